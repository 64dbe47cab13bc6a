import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/cli/commands/analyze.js';
import type { CliIO } from '../../src/cli/io.js';
import { EXIT, exitCodeFor, GateError } from '../../src/errors.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');

function io(stdin = ''): CliIO & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
    stdin: Readable.from([stdin]),
    env: {},
    cwd: FIXTURES,
    out: () => out,
  };
}

async function run(argv: string[], stdin?: string) {
  const fake = io(stdin);
  const code = await analyzeCommand(argv, fake);
  return { code, out: fake.out() };
}

async function usageError(argv: string[]): Promise<GateError> {
  const error = await analyzeCommand(argv, io()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GateError);
  expect(exitCodeFor(error)).toBe(EXIT.usage);
  return error as GateError;
}

describe('serving-gate analyze', () => {
  it('fails a CSV trace that leaks 10 MiB per request, and says why', async () => {
    const { code, out } = await run(['trace-leak-10mib-per-request.csv']);
    expect(code).toBe(EXIT.fail);
    expect(out).toContain('Read csv-trace: GPU 0');
    expect(out).toMatch(/^0 +BAR1 +fail +2\.6 GiB +3\.1 GiB +\+5\d\d MiB +\+10\.0 MiB/m);
    expect(out).toContain('FAIL memory-exhaustion: BAR1 on GPU 0 rose +10 MiB per request');
    expect(out.trimEnd().endsWith('Memory verdict: fail')).toBe(true);
  });

  it('passes a flat two-GPU trace and warns where BAR1 is missing', async () => {
    const { code, out } = await run(['trace-flat-two-gpus.csv']);
    expect(code).toBe(EXIT.pass);
    expect(out).toContain(
      'WARN bar1-unavailable: BAR1 is unreadable on GPU 1: FB is judged instead',
    );
    expect(out.trimEnd().endsWith('Memory verdict: pass')).toBe(true);
  });

  it('prints the figures as JSON with --json', async () => {
    const { code, out } = await run(['nvidia-smi-query-gpu-growing.log', '--json']);
    expect(code).toBe(EXIT.fail);
    const json = JSON.parse(out);
    expect(json.verdict).toBe('fail');
    expect(json.format).toBe('nvidia-smi-log');
    expect(
      json.series.map((s: { gpu: { index: number }; metric: string; verdict: string }) => [
        s.gpu.index,
        s.metric,
        s.verdict,
      ]),
    ).toEqual([
      [0, 'fb', 'fail'],
      [1, 'fb', 'pass'],
    ]);
    // 3 GiB an hour against the 61.7 GiB left of 81559 MiB: about 20 h, within 24 h.
    const [gpu0] = json.series;
    expect(gpu0.slopeMiBPerHour).toBeCloseTo(3072, -2);
    expect(gpu0.slopeMiBPerRequest).toBeNull();
    expect(gpu0.projectedExhaustionHours).toBeGreaterThan(18);
    expect(gpu0.projectedExhaustionHours).toBeLessThan(22);
    expect(Object.keys(gpu0).slice(0, 3)).toEqual(['gpu', 'metric', 'verdict']);
    expect(json.reasons[0].rule).toBe('memory-exhaustion');
  });

  it('lets the policy flags move the limits', async () => {
    const { code } = await run(['nvidia-smi-query-gpu-growing.log', '--exhaustion-horizon', '12h']);
    expect(code).toBe(EXIT.pass);
  });

  it('reads a results file written by run', async () => {
    const { code, out } = await run(['results-allocator-plateau.json', '--json']);
    expect(code).toBe(EXIT.pass);
    const json = JSON.parse(out);
    expect(json.format).toBe('results');
    expect(json.series.map((s: { metric: string }) => s.metric)).toEqual(['bar1', 'fb']);
    expect(json.series[0].plateau).toBe(true);
  });

  it('reads stdin for -', async () => {
    const csv = 't_s,gpu,requests,fb_used_mib,fb_total_mib\n0,0,0,,\n10,0,1,,\n';
    const { code, out } = await run(['-', '--json'], csv);
    expect(code).toBe(EXIT.fail);
    expect(JSON.parse(out).verdict).toBe('unmeasured');
  });

  it('passes an unreadable GPU with memory optional', async () => {
    const csv = 't_s,gpu,requests,fb_used_mib\n0,0,0,\n10,0,1,\n';
    const { code } = await run(['-', '--memory', 'optional'], csv);
    expect(code).toBe(EXIT.pass);
  });

  it('is a usage error, naming what is wrong, for a bad flag, value or file', async () => {
    expect((await usageError(['x.csv', '--max-bar1-growth', 'lots'])).message).toBe(
      '--max-bar1-growth: "lots" is not a size',
    );
    expect((await usageError(['x.csv', '--frobnicate'])).message).toContain('--frobnicate');
    expect((await usageError([])).message).toBe('no FILE given');
    expect((await usageError(['missing.csv'])).message).toBe('missing.csv: no such file');
  });

  it('prints its usage with --help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(EXIT.pass);
    expect(out).toContain('Usage: serving-gate analyze FILE [--json] [policy flags]');
    expect(out).toContain('--max-bar1-growth SIZE');
  });
});
