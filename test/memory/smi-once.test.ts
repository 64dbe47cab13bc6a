import { describe, expect, it } from 'vitest';
import { readSmiOnce } from '../../src/memory/smi-once.js';
import { SHARED_FIXTURES } from '../shared-fixtures.js';
import { fakeSmiArgv } from './fake-smi.js';

describe('readSmiOnce with a real child process', () => {
  it('reads the document the command prints for -q -x', async () => {
    const reading = await readSmiOnce(fakeSmiArgv());
    expect(reading).toMatchObject({
      kind: 'ok',
      driverVersion: '590.48.01',
      gpus: [{ fb: { usedMiB: 19818 }, bar1: { totalMiB: 131072, usedMiB: 19819 } }],
    });
  });

  it('reads a document written in many small pieces', async () => {
    const fixture = `${SHARED_FIXTURES}/nvidia-smi-xml/multi-gpu-dual-rtx2070-590-v13.xml`;
    const reading = await readSmiOnce(fakeSmiArgv('--fixture', fixture, '--chunk', '997'));
    expect(reading.kind === 'ok' && reading.gpus.map((g) => g.busId)).toEqual([
      '00000000:01:00.0',
      '00000000:02:00.0',
    ]);
  });

  it('names a missing command "missing", naming the command', async () => {
    const reading = await readSmiOnce(['/nonexistent/nvidia-smi-xyz']);
    expect(reading).toEqual({
      kind: 'broken',
      state: 'missing',
      message: 'nvidia-smi command "/nonexistent/nvidia-smi-xyz" not found',
    });
  });

  it('kills a hung command at its deadline and says so', async () => {
    const reading = await readSmiOnce(fakeSmiArgv('--hang'), { timeoutMs: 300 });
    expect(reading.kind === 'broken' && reading.state).toBe('timeout');
    expect(reading.kind === 'broken' && reading.message).toMatch(/no document within 300 ms/);
  });

  it('keeps the document of a command that printed it and then hung', async () => {
    const reading = await readSmiOnce(fakeSmiArgv('--hang-after', '1'), { timeoutMs: 500 });
    expect(reading).toMatchObject({ kind: 'ok', driverVersion: '590.48.01' });
  });

  it('names the broken-driver line the command prints', async () => {
    const reading = await readSmiOnce(
      fakeSmiArgv('--print', 'No devices were found', '--exit-code', '6'),
    );
    expect(reading).toEqual({
      kind: 'broken',
      state: 'no-devices',
      message: 'No devices were found',
    });
  });

  it('names a broken-driver line written to stderr', async () => {
    const reading = await readSmiOnce(
      fakeSmiArgv(
        '--print',
        '',
        '--stderr',
        'Failed to initialize NVML: Unknown Error',
        '--exit-code',
        '255',
      ),
    );
    expect(reading).toMatchObject({
      state: 'nvml-init-failed',
      message: 'Failed to initialize NVML: Unknown Error',
    });
  });

  it('calls output that is not nvidia-smi output garbage', async () => {
    const reading = await readSmiOnce(fakeSmiArgv('--garbage'));
    expect(reading).toMatchObject({
      state: 'garbage',
      message: 'Segmentation fault (core dumped)',
    });
  });

  it('names a document cut off by a crash truncated', async () => {
    const reading = await readSmiOnce(fakeSmiArgv('--die-after', '0', '--die-mid-doc'));
    expect(reading).toMatchObject({ state: 'truncated' });
  });
});
