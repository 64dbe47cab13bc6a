import { describe, expect, it } from 'vitest';
import { brokenFromText, classifyBrokenLine } from '../../src/memory/smi-broken.js';

describe('classifyBrokenLine', () => {
  it.each([
    ['No devices were found', 'no-devices'],
    ['Failed to initialize NVML: Unknown Error', 'nvml-init-failed'],
    ['Failed to initialize NVML: Driver/library version mismatch', 'driver-mismatch'],
    ['Failed to initialize NVML: Insufficient Permissions', 'nvml-init-failed'],
    [
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
      'nvml-init-failed',
    ],
    ['Unable to determine the device handle for GPU 0000:01:00.0: Unknown Error', 'gpu-lost'],
    [
      'Unable to determine the device handle for GPU0000:3B:00.0: GPU is lost.  Reboot the system to recover this GPU',
      'gpu-lost',
    ],
    ['GPU 00000000:01:00.0: GPU is lost', 'gpu-lost'],
  ])('names "%s" as %s, with the raw line as message', (line, state) => {
    expect(classifyBrokenLine(`  ${line}\r`)).toEqual({ kind: 'broken', state, message: line });
  });

  it('does not name lines it does not know, or blank lines', () => {
    expect(classifyBrokenLine('NVML library version: 535.183')).toBeNull();
    expect(classifyBrokenLine('   ')).toBeNull();
  });
});

describe('brokenFromText', () => {
  it('prefers a known line over the unknown lines around it', () => {
    const text =
      'Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.183\n';
    expect(brokenFromText(text)).toMatchObject({
      state: 'driver-mismatch',
      message: 'Failed to initialize NVML: Driver/library version mismatch',
    });
  });

  it('calls an unknown text garbage, quoting its first line', () => {
    expect(brokenFromText('\nSegmentation fault (core dumped)\nmore\n')).toEqual({
      kind: 'broken',
      state: 'garbage',
      message: 'Segmentation fault (core dumped)',
    });
  });

  it('says when the text is empty', () => {
    expect(brokenFromText(' \n')).toMatchObject({
      state: 'garbage',
      message: 'nvidia-smi printed nothing',
    });
  });

  it('cuts a very long line so a message stays readable', () => {
    const r = brokenFromText('x'.repeat(5000));
    expect(r.message.length).toBeLessThan(600);
  });
});
