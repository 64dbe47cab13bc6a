import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import { evaluatePreflight, type PreflightInputs } from '../../src/preflight/evaluate.js';
import { gpuTotalsFromSizes } from '../../src/preflight/gpu-totals.js';
import { parseServingConfig } from '../../src/preflight/read-config.js';
import { GIB, hfConfig } from './paths.js';

function inputs(
  yaml: string,
  model: string,
  extra: Partial<PreflightInputs> = {},
): PreflightInputs {
  return {
    config: parseServingConfig(yaml, 'c.yaml'),
    model: {
      architecture: architectureFromHfConfig(hfConfig(model), model),
      index: null,
      searched: [],
    },
    gpu: gpuTotalsFromSizes({ gpuMemory: '80GiB' }),
    givenWeights: null,
    allowanceBytes: 2 * GIB,
    soakConcurrency: null,
    bar1Check: 'error',
    ...extra,
  };
}

describe('evaluatePreflight', () => {
  it('states the KV budget in whole-model terms, comparable with kvBytesAtMaxContext', () => {
    // Llama 3.1 8B at TP 2 on 80 GiB: per GPU 72 GiB − 7.48 GiB − 2 GiB; each GPU holds
    // half the KV heads, so the whole group holds twice that.
    const result = evaluatePreflight(
      inputs('model: m\nmax-model-len: 131072\ntensor-parallel-size: 2\n', 'llama-3.1-8b-instruct'),
    );
    const perGpu = result.details.budget!.kvBudgetPerGpuBytes;
    expect(result.kvBudgetBytes).toBe(Math.round(perGpu * 2));
    expect(result.kvBytesAtMaxContext).toBe(16 * GIB);
    expect(result.verdict).toBe('pass');
  });

  it('puts errors before warnings before info, and decides the verdict from them', () => {
    // No context set: the model window, an info; 262,144 forced past it, an error.
    const result = evaluatePreflight(
      inputs('model: m\nmax-model-len: 262144\n', 'llama-3.1-8b-instruct', { gpu: null }),
    );
    expect(result.findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(result.verdict).toBe('fail');
  });

  it('uses an hf-overrides max_position_embeddings as the model window', () => {
    const result = evaluatePreflight(
      inputs('model: m\nhf-overrides: {max_position_embeddings: 65536}\n', 'qwen3-30b-a3b'),
    );
    expect(result.maxContextTokens).toBe(65_536);
  });

  it('stops at what it cannot know, with one finding that says so', () => {
    const noArch = inputs('model: m\nmax-model-len: 4096\n', 'qwen3-30b-a3b');
    noArch.model = { architecture: null, index: null, searched: ['/hub/models--m'] };
    const result = evaluatePreflight(noArch);
    expect(result.findings.map((f) => f.rule)).toEqual(['architecture-unknown']);
    expect(result.findings[0]?.message).toContain('preflight looked in /hub/models--m');
  });
});
