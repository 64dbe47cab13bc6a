import { describe, expect, it } from 'vitest';
import { smiView } from '../../src/sim/gpu-state.js';
import { parseSmiArgs } from '../../src/sim/smi-args.js';
import { renderSmiList, renderSmiText } from '../../src/sim/smi-text.js';
import { scenario } from './helpers.js';

describe('nvidia-smi arguments', () => {
  it('reads -q -x, -x alone and -q alone', () => {
    expect(parseSmiArgs(['-q', '-x'])).toEqual({
      kind: 'report',
      format: 'xml',
      loopMs: null,
      target: null,
    });
    expect(parseSmiArgs(['-x'])).toMatchObject({ kind: 'report', format: 'xml' });
    expect(parseSmiArgs(['--query'])).toMatchObject({ kind: 'report', format: 'text' });
  });

  it('reads loop intervals in seconds and milliseconds, short and long', () => {
    expect(parseSmiArgs(['-q', '-x', '-l', '2'])).toMatchObject({ loopMs: 2000 });
    expect(parseSmiArgs(['-q', '-x', '--loop=3'])).toMatchObject({ loopMs: 3000 });
    expect(parseSmiArgs(['-q', '-x', '-lms', '250'])).toMatchObject({ loopMs: 250 });
    expect(parseSmiArgs(['-q', '-x', '--loop-ms=100'])).toMatchObject({ loopMs: 100 });
  });

  it('reads -i and -L', () => {
    expect(parseSmiArgs(['-q', '-x', '-i', '1'])).toMatchObject({ target: '1' });
    expect(parseSmiArgs(['-L'])).toEqual({ kind: 'list', target: null });
  });

  it('refuses an unknown option in nvidia-smi words', () => {
    expect(parseSmiArgs(['-q', '--bogus'])).toEqual({
      kind: 'invalid',
      message: "ERROR: Option --bogus is not recognized. Please run 'nvidia-smi -h' for help.",
    });
  });

  it('refuses a missing or zero loop interval and -L with -q', () => {
    for (const args of [['-q', '-l'], ['-q', '-lms', '0'], ['-L', '-q'], []]) {
      expect(parseSmiArgs(args)).toEqual({
        kind: 'invalid',
        message: "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.",
      });
    }
  });
});

describe('nvidia-smi text output', () => {
  const view = smiView(scenario('gpus: { count: 2 }'), null, new Date(2026, 6, 14, 8, 12, 53));

  it('lists GPUs with their UUIDs as -L does', () => {
    expect(renderSmiList(view)).toBe(
      'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000001)\n' +
        'GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000002)\n',
    );
  });

  it('prints the memory sections with the colon in column 55, BAR1 before Conf Compute', () => {
    const text = renderSmiText(view);
    expect(text).toContain('==============NVSMI LOG==============');
    expect(text).toContain(`${'    BAR1 Memory Usage'}\n${'        Total'.padEnd(55)}: 131072 MiB`);
    const bar1 = text.indexOf('BAR1 Memory Usage');
    expect(text.indexOf('Conf Compute Protected Memory Usage', bar1)).toBeGreaterThan(bar1);
    expect(text).toContain(`${'    Processes'.padEnd(55)}: None`);
  });
});
