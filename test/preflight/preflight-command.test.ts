import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preflightCommand } from '../../src/cli/commands/preflight.js';
import type { CliIO } from '../../src/cli/io.js';
import { exitCodeFor } from '../../src/errors.js';
import { SHARED_FIXTURES } from '../shared-fixtures.js';
import { example, fixture } from './paths.js';

/** Runs the command as the CLI entry does: thrown errors become their exit codes. */
async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: process.stdin,
    env: { HF_HOME: '/nonexistent' },
    cwd: process.cwd(),
  };
  try {
    const code = await preflightCommand(argv, io);
    return { code, stdout, stderr, error: null as Error | null };
  } catch (error) {
    return { code: exitCodeFor(error), stdout, stderr, error: error as Error };
  }
}

const STORY = ['--gpu-memory', '48GiB', '--bar1', '8GiB', '--bar1-used', '2.5GiB'];

describe('serving-gate preflight', () => {
  it('exits 1 on the 131072-token example and 0 on the 32768-token one', async () => {
    expect((await run(example('qwen3-30b-a3b-fp8-131k.yaml'), ...STORY)).code).toBe(1);
    expect((await run(example('qwen3-30b-a3b-fp8-32k.yaml'), ...STORY)).code).toBe(0);
  });

  it('exits 0 on warnings only', async () => {
    const { code, stdout } = await run(example('qwen3-30b-a3b-fp8-131k.yaml'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^preflight WARN: /);
  });

  it('prints the JSON shape of issue 5 with --json', async () => {
    const { code, stdout } = await run(example('qwen3-30b-a3b-fp8-131k.yaml'), ...STORY, '--json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(Object.keys(json).slice(0, 9)).toEqual([
      'verdict',
      'engine',
      'model',
      'maxContextTokens',
      'kvBytesPerToken',
      'kvBytesAtMaxContext',
      'weightsBytes',
      'kvBudgetBytes',
      'findings',
    ]);
    expect(json).toMatchObject({
      verdict: 'fail',
      engine: 'vllm',
      maxContextTokens: 131072,
      kvBytesPerToken: 49152,
    });
    expect(Object.keys(json.findings[0])).toEqual(['rule', 'severity', 'message', 'file', 'line']);
  });

  it('reads GPU totals from a saved nvidia-smi -q -x', async () => {
    const smi = join(
      SHARED_FIXTURES,
      'nvidia-smi-xml',
      'datacenter-h100-590-v13-load-ABRIDGED.xml',
    );
    const { code, stdout } = await run(
      example('qwen3-30b-a3b-fp8-131k.yaml'),
      '--smi',
      smi,
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).details.gpuSource).toContain('NVIDIA H100 80GB HBM3');
  });

  it('takes the runtime allowance, the concurrency and the BAR1 mode from flags', async () => {
    const { code, stdout } = await run(
      example('qwen3-30b-a3b-fp8-131k.yaml'),
      ...STORY,
      '--bar1-check',
      'warn',
      '--runtime-allowance',
      '1GiB',
      '--concurrency',
      '4',
      '--json',
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.details.budget.allowanceBytes).toBe(1024 ** 3);
    // 4 × 6 GiB of KV against 0.9 × 48 − 29.03 − 1 = 13.17 GiB; BAR1 6 + 1 GiB > 5.5 GiB.
    expect(
      json.findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity]),
    ).toEqual([
      ['concurrency-exceeds-budget', 'warning'],
      ['bar1-exceeds-budget', 'warning'],
    ]);
  });

  it('exits 2 with a clear message on usage errors and unreadable configs', async () => {
    const both = await run(
      example('qwen3-30b-a3b-fp8-32k.yaml'),
      '--gpu-memory',
      '80GiB',
      '--smi',
      'x.xml',
    );
    expect(both.code).toBe(2);
    expect(both.error?.message).toContain('--gpu-memory and --smi both give the GPU');
    expect((await run()).error?.message).toContain('give one CONFIG, got 0');
    expect((await run(example('qwen3-30b-a3b-fp8-32k.yaml'), '--gpus', '2')).code).toBe(2);
    expect((await run(example('qwen3-30b-a3b-fp8-32k.yaml'), '--bar1-check', 'maybe')).code).toBe(
      2,
    );
    const missing = await run('serving/missing.yaml');
    expect(missing.code).toBe(2);
    expect(missing.error?.message).toBe('serving/missing.yaml: no such file');
    const loop = await run(fixture('configs/anchor-loop.yaml'));
    expect(loop.code).toBe(2);
    expect(loop.error?.message).toContain('is inside its own anchor (a loop)');
    expect((await run(fixture('configs/compose-no-serving.yml'))).code).toBe(2);
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: serving-gate preflight CONFIG/);
  });
});
