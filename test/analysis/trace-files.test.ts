import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../src/analysis/trace-files.js';
import { GateError } from '../../src/errors.js';
import { sharedFixture } from '../shared-fixtures.js';

const fixture = (name: string) =>
  readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');

function usage(run: () => unknown): GateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe('usage');
    return error as GateError;
  }
  throw new Error('expected a usage error');
}

describe('readTrace on a results file', () => {
  it('reads memory.samples as the gate wrote them', () => {
    const trace = readTrace(fixture('results-allocator-plateau.json'), 'results.json');
    expect(trace.format).toBe('results');
    expect(trace.samples).toHaveLength(96);
    expect(trace.samples[0]).toMatchObject({ tMs: 0, requests: 0, phase: 'baseline' });
    expect(trace.samples[2]!.gpus[0]!.bar1).toEqual({ totalMiB: 8192, usedMiB: 2560 });
  });

  it('names the field that is wrong', () => {
    const error = usage(() =>
      readTrace('{"memory":{"samples":[{"tMs":"soon","gpus":[]}]}}', 'r.json'),
    );
    expect(error.message).toContain('r.json: not a results file with memory.samples');
    expect(error.message).toContain('memory.samples.0.tMs');
  });

  it('says so when the JSON does not parse', () => {
    expect(usage(() => readTrace('{"memory":', 'r.json')).message).toMatch(
      /^r\.json: not valid JSON/,
    );
  });
});

describe('readTrace on a CSV trace', () => {
  it('reads one sample per time, one GPU per row, empty cells as unavailable', () => {
    const trace = readTrace(fixture('trace-flat-two-gpus.csv'), 'flat.csv');
    expect(trace.format).toBe('csv-trace');
    expect(trace.samples).toHaveLength(61);
    const [gpu0, gpu1] = trace.samples[1]!.gpus;
    expect(trace.samples[1]).toMatchObject({ tMs: 7500, requests: 1, phase: 'soak' });
    expect(gpu0).toMatchObject({
      index: 0,
      fb: { usedMiB: 21002, totalMiB: 24576 },
      bar1: { usedMiB: 2562, totalMiB: 8192 },
    });
    expect(gpu1).toMatchObject({ index: 1, bar1: { usedMiB: null, totalMiB: null } });
  });

  it('keeps the phase column when there is one', () => {
    const trace = readTrace(fixture('trace-leak-10mib-per-request.csv'), 'leak.csv');
    expect(trace.samples.map((s) => s.phase)).toContain('settle');
    expect(trace.samples[0]!.phase).toBe('ready');
  });

  it('names the line and column of a value that is not a number', () => {
    const text = 't_s,gpu,requests,fb_used_mib\n0,0,0,1000\n1,0,1,lots\n';
    expect(usage(() => readTrace(text, 't.csv')).message).toBe(
      't.csv line 3: fb_used_mib "lots" is not a number of MiB',
    );
  });

  it('names a missing column', () => {
    const error = usage(() => readTrace('t_s,gpu,fb_used_mib\n0,0,1000\n', 't.csv'));
    expect(error.message).toBe('t.csv line 1: the header has no requests column');
  });
});

describe('readTrace on an nvidia-smi --query-gpu log', () => {
  it('reads timestamps, indexes and values, through a repeated header', () => {
    const trace = readTrace(fixture('nvidia-smi-query-gpu-growing.log'), 'smi.log');
    expect(trace.format).toBe('nvidia-smi-log');
    expect(trace.samples).toHaveLength(181);
    expect(trace.samples[0]!.tMs).toBe(0);
    expect(trace.samples[1]!.tMs).toBe(5000);
    expect(trace.samples[180]!.tMs).toBe(900_000);
    expect(trace.samples[0]!.gpus.map((g) => [g.index, g.fb.usedMiB, g.fb.totalMiB])).toEqual([
      [0, 19818, 81559],
      [1, 19820, 81559],
    ]);
    expect(trace.samples.every((s) => s.requests === 0)).toBe(true);
  });

  it('reads [N/A] as unavailable, never 0', () => {
    const trace = readTrace(fixture('nvidia-smi-query-gpu-growing.log'), 'smi.log');
    expect(trace.samples[100]!.gpus[1]!.fb.usedMiB).toBeNull();
  });

  it('refuses a one-off --query-gpu snapshot, which has no timestamps', () => {
    const real = sharedFixture('nvidia-smi-csv/query-gpu-memory-h100-590-load.csv');
    const error = usage(() => readTrace(real, 'snapshot.csv'));
    expect(error.message).toBe('snapshot.csv: not a results file, CSV trace or nvidia-smi log');
    expect(error.help).toContain('--query-gpu=timestamp,index,memory.used,memory.total');
  });

  it('names a timestamp it cannot read', () => {
    const text =
      'timestamp, index, memory.used [MiB], memory.total [MiB]\nyesterday, 0, 1 MiB, 2 MiB\n';
    expect(usage(() => readTrace(text, 's.log')).message).toBe(
      's.log line 2: "yesterday" is not a timestamp',
    );
  });
});

describe('readTrace on anything else', () => {
  it('refuses an empty file', () => {
    expect(usage(() => readTrace('\n\n', 'e.csv')).message).toBe('e.csv: the file is empty');
  });
});
