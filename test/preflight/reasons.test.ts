import { describe, expect, it } from 'vitest';
import { gpuTotalsFromSizes } from '../../src/preflight/gpu-totals.js';
import { preflightReasons } from '../../src/preflight/reasons.js';
import { runPreflight } from '../../src/preflight/run-preflight.js';
import { example } from './paths.js';

const result = runPreflight({
  config: example('qwen3-30b-a3b-fp8-131k.yaml'),
  displayName: 'serving/131k.yaml',
  env: { HF_HOME: '/nonexistent' },
  gpu: gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' }),
});

describe('preflightReasons', () => {
  it('turns an error finding into a failing reason on its config line', () => {
    expect(preflightReasons(result)).toEqual([
      {
        rule: 'preflight',
        severity: 'fail',
        message: result.findings[0]?.message,
        file: 'serving/131k.yaml',
        line: 9,
        figures: { finding: 'bar1-exceeds-budget' },
      },
    ]);
  });

  it('downgrades errors to warnings under preflight: warn, and leaves info out', () => {
    expect(preflightReasons(result, 'warn').map((r) => r.severity)).toEqual(['warn']);
    const info = { ...result, findings: [{ ...result.findings[0]!, severity: 'info' as const }] };
    expect(preflightReasons(info)).toEqual([]);
  });
});
