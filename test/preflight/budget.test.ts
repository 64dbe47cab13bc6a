import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import {
  type BudgetInput,
  computeBudget,
  DEFAULT_RUNTIME_ALLOWANCE_BYTES,
} from '../../src/preflight/budget.js';
import { gpuTotalsFromSizes } from '../../src/preflight/gpu-totals.js';
import { kvElementBytes } from '../../src/preflight/kv-dtype.js';
import { lookupModel } from '../../src/preflight/model-table.js';
import { parseServingConfig } from '../../src/preflight/read-config.js';
import { GIB, hfConfig } from './paths.js';

const llama = architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'llama');
const LLAMA_WEIGHTS = { bytes: 16_060_522_496, source: 'index' };

function budget(yaml: string, overrides: Partial<BudgetInput> = {}) {
  const config = parseServingConfig(yaml, 'c.yaml');
  const arch = overrides.arch ?? llama;
  return computeBudget({
    config,
    arch,
    kvBytes: kvElementBytes(config.engine, config.kvCacheDtype?.value ?? null, null, null),
    maxContextTokens: config.maxContextTokens!.value,
    contextAt: config.maxContextTokens,
    capTokens: arch.maxPositionEmbeddings ?? 0,
    weights: LLAMA_WEIGHTS,
    // The RTX 3090 of vllm#10517: 23.58 GiB.
    gpu: gpuTotalsFromSizes({ gpuMemory: '23.58GiB' }),
    allowanceBytes: DEFAULT_RUNTIME_ALLOWANCE_BYTES,
    soakConcurrency: null,
    bar1Check: 'error',
    ...overrides,
  });
}

describe('computeBudget on the RTX 3090 of vllm#10517 (Llama 3.1 8B, utilisation 0.9)', () => {
  // 23.58 GiB = 25,318,832,209.92 B; × 0.9 = 22,786,948,989 B usable (rounded);
  // − 16,060,522,496 weights − 2 GiB allowance = 4,578,942,845 B of KV budget;
  // ÷ 131,072 B (128 KiB) a token = 34,934.4 → 34,934 tokens.
  const BUDGET = 22_786_948_989 - 16_060_522_496 - 2 * GIB;

  it('works out the budget and the largest context that fits', () => {
    const { figures, findings } = budget(
      'model: m\nmax-model-len: 20000\ngpu-memory-utilization: 0.9\n',
    );
    expect(figures.usableBytes).toBe(22_786_948_989);
    expect(figures.kvBudgetPerGpuBytes).toBe(BUDGET);
    expect(figures.kvAtMaxContextPerGpuBytes).toBe(20_000 * 131_072);
    expect(figures.largestContextTokens).toBe(Math.floor(BUDGET / 131_072));
    expect(figures.largestContextTokens).toBe(34_934);
    expect(figures.fullLengthSequences).toBe(1);
    expect(findings).toEqual([]);
  });

  it('calls 29,000 tokens tight (83% of the budget), the value vLLM refused there', () => {
    const { findings } = budget('model: m\nmax-model-len: 29000\n');
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'kv-budget-tight', severity: 'warning', line: 2 }),
    ]);
    expect(findings[0]?.message).toContain('fills 83% of the 4.26 GiB KV budget');
  });

  it('refuses 40,000 tokens, in the user terms: GiB, tokens, the largest context that fits', () => {
    const { findings } = budget('model: m\nmax-model-len: 40000\n');
    expect(findings[0]).toMatchObject({
      rule: 'kv-exceeds-budget',
      severity: 'error',
      file: 'c.yaml',
      line: 2,
    });
    expect(findings[0]?.message).toBe(
      "One sequence at max-model-len 40,000 needs 4.88 GiB of KV cache (auto (the model's 16-bit dtype)), " +
        "but only 4.26 GiB is left on the 23.58 GiB GPU: 21.22 GiB at vLLM's default gpu-memory-utilization, " +
        'less 14.96 GiB of weights and the 2.00 GiB runtime allowance. ' +
        'The largest context that fits the budget is 34,934 tokens. An FP8 KV cache (kv-cache-dtype fp8) would halve it.',
    );
  });

  it('says the weights alone do not fit a 12 GiB card', () => {
    const { figures, findings } = budget('model: m\nmax-model-len: 8192\n', {
      gpu: gpuTotalsFromSizes({ gpuMemory: '12GiB' }),
    });
    expect(figures.kvBudgetPerGpuBytes).toBeLessThan(0);
    expect(figures.largestContextTokens).toBeNull();
    expect(findings[0]).toMatchObject({
      rule: 'weights-exceed-budget',
      severity: 'error',
      line: 1,
    });
  });

  it('splits weights and KV heads over tensor parallelism', () => {
    const { figures } = budget('model: m\nmax-model-len: 40000\ntensor-parallel-size: 2\n');
    expect(figures.weightsPerGpuBytes).toBe(16_060_522_496 / 2);
    expect(figures.kvShareOfOneGpu).toBe(0.5);
    expect(figures.kvAtMaxContextPerGpuBytes).toBe((40_000 * 131_072) / 2);
  });

  it('warns when the soak concurrency exceeds the full-length sequences that fit', () => {
    const { findings } = budget('model: m\nmax-model-len: 16384\n', { soakConcurrency: 4 });
    // 16,384 × 128 KiB = 2 GiB a sequence; the 4.26 GiB budget holds 2.
    expect(findings[0]).toMatchObject({ rule: 'concurrency-exceeds-budget', severity: 'warning' });
    expect(findings[0]?.message).toContain(
      '4 full-length sequences need 8.00 GiB of KV cache, the budget holds 2',
    );
  });
});

describe('the BAR1 comparison', () => {
  const entry = lookupModel('Qwen/Qwen3-30B-A3B-FP8')!;
  const qwen = architectureFromHfConfig(entry.config, entry.source);
  const story = (
    context: number,
    gpu = gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' }),
  ) =>
    budget(`model: m\nmax-model-len: ${context}\nkv-cache-dtype: fp8\n`, {
      arch: qwen,
      capTokens: 131_072,
      weights: { bytes: 31_167_221_760, source: 'estimate' },
      gpu,
    });

  it('flags the story: 6 GiB of KV + 2 GiB allowance against 8 − 2.5 GiB of BAR1', () => {
    const { figures, findings } = story(131_072);
    expect(figures.bar1).toEqual({
      totalBytes: 8 * GIB,
      usedBytes: 2.5 * GIB,
      availableBytes: 3.5 * GIB,
      // 3.5 GiB / 48 KiB a token.
      largestContextTokens: Math.floor((3.5 * GIB) / 49_152),
    });
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'bar1-exceeds-budget', severity: 'error', line: 2 }),
    ]);
    expect(findings[0]?.message).toContain(
      'needs 6.00 GiB of KV cache plus the 2.00 GiB runtime allowance = 8.00 GiB, more than the 5.50 GiB of BAR1 left',
    );
    expect(findings[0]?.message).toContain('The largest context that fits BAR1 is 76,458 tokens.');
  });

  it('passes the 32768-token config: 1.5 GiB + 2 GiB within 5.5 GiB', () => {
    expect(story(32_768).findings).toEqual([]);
  });

  it('reports BAR1 as a warning, or not at all, when asked', () => {
    const warn = budget('model: m\nmax-model-len: 131072\nkv-cache-dtype: fp8\n', {
      arch: qwen,
      capTokens: 131_072,
      weights: { bytes: 31_167_221_760, source: 'estimate' },
      gpu: gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' }),
      bar1Check: 'warning',
    });
    expect(warn.findings[0]?.severity).toBe('warning');
    const off = budget('model: m\nmax-model-len: 131072\nkv-cache-dtype: fp8\n', {
      arch: qwen,
      capTokens: 131_072,
      weights: { bytes: 31_167_221_760, source: 'estimate' },
      gpu: gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' }),
      bar1Check: 'off',
    });
    expect(off.findings).toEqual([]);
    expect(off.figures.bar1).toBeNull();
  });

  it('skips BAR1 when it is at least as large as FB, in MIG mode, or unknown', () => {
    expect(
      story(131_072, gpuTotalsFromSizes({ gpuMemory: '80GiB', bar1: '128GiB' })).figures.bar1,
    ).toBeNull();
    const mig = { ...gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB' }), migEnabled: true };
    expect(story(131_072, mig).findings).toEqual([]);
    expect(story(131_072, gpuTotalsFromSizes({ gpuMemory: '48GiB' })).figures.bar1).toBeNull();
  });
});
