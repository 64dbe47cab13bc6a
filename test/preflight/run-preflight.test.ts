import { describe, expect, it } from 'vitest';
import { gpuTotalsFromSizes } from '../../src/preflight/gpu-totals.js';
import { parseServingConfig, readServingConfig } from '../../src/preflight/read-config.js';
import { runPreflight } from '../../src/preflight/run-preflight.js';
import { example, fixture, GIB } from './paths.js';

/** No HF cache: the built-in table answers, whatever the machine running the tests has. */
const env = { HF_HOME: '/nonexistent' };
const storyGpu = gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' });

describe('runPreflight on the examples, against the story', () => {
  it('fails the 131072-token config on BAR1, pointing at max-model-len', () => {
    const result = runPreflight({
      config: example('qwen3-30b-a3b-fp8-131k.yaml'),
      displayName: 'examples/qwen3-30b-a3b-fp8-131k.yaml',
      env,
      gpu: storyGpu,
    });
    expect(result).toMatchObject({
      verdict: 'fail',
      engine: 'vllm',
      model: 'Qwen/Qwen3-30B-A3B-FP8',
      maxContextTokens: 131_072,
      // 2 × 48 × 4 × 128 × 1 B (fp8).
      kvBytesPerToken: 49_152,
      kvBytesAtMaxContext: 6 * GIB,
      weightsBytes: 31_167_221_760,
    });
    // 0.9 × 48 GiB − 31,167,221,760 − 2 GiB = 12.17 GiB: FB is not the problem.
    expect(result.kvBudgetBytes).toBe(Math.round(0.9 * 48 * GIB) - 31_167_221_760 - 2 * GIB);
    expect(result.findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['bar1-exceeds-budget', 'error', 'examples/qwen3-30b-a3b-fp8-131k.yaml', 9],
    ]);
    expect(result.details.largestContextTokens).toBe(76_458);
  });

  it('passes the 32768-token config', () => {
    const result = runPreflight({
      config: example('qwen3-30b-a3b-fp8-32k.yaml'),
      env,
      gpu: storyGpu,
    });
    expect(result.verdict).toBe('pass');
    expect(result.kvBytesAtMaxContext).toBe(1.5 * GIB);
    expect(result.findings).toEqual([]);
  });

  it('warns, and checks nothing it cannot, when no GPU is given', () => {
    const result = runPreflight({ config: example('qwen3-30b-a3b-fp8-131k.yaml'), env });
    expect(result.verdict).toBe('warn');
    expect(result.kvBudgetBytes).toBeNull();
    expect(result.findings.map((f) => f.rule)).toEqual(['gpu-unknown']);
  });

  it('with an auto KV cache, needs twice the KV (12 GiB) and fails on FB of a 40 GiB card', () => {
    const config = readServingConfig(example('qwen3-30b-a3b-fp8-131k.yaml'));
    config.kvCacheDtype = null;
    const result = runPreflight({ config, env, gpu: gpuTotalsFromSizes({ gpuMemory: '40GiB' }) });
    expect(result.kvBytesAtMaxContext).toBe(12 * GIB);
    // 0.9 × 40 GiB − 29.03 GiB − 2 GiB = 4.97 GiB.
    expect(result.findings[0]).toMatchObject({ rule: 'kv-exceeds-budget', line: 9 });
    expect(result.findings[0]?.message).toContain(
      'An FP8 KV cache (kv-cache-dtype fp8) would halve it.',
    );
  });
});

describe('runPreflight on configs that are not what they claim', () => {
  it('gives an unknown engine a finding, not a crash', () => {
    const result = runPreflight({ config: fixture('configs/compose-unknown-engine.yml'), env });
    expect(result.verdict).toBe('warn');
    expect(result.findings[0]).toMatchObject({
      rule: 'unknown-engine',
      severity: 'warning',
      line: 3,
    });
    expect(result.findings[0]?.message).toContain(
      'service inference, image ghcr.io/example-org/custom-llm-server:2.1',
    );
  });

  it('gives a model with no known architecture a finding that says how to fix it', () => {
    const result = runPreflight({ config: fixture('configs/unknown-model.yaml'), env });
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'architecture-unknown', severity: 'warning', line: 1 }),
    ]);
    expect(result.findings[0]?.message).toContain(
      "pass the model's config.json with --model-config",
    );
    expect(result.kvBytesPerToken).toBeNull();
  });

  it('refuses a native Qwen3 at 131072 without rope scaling', () => {
    const result = runPreflight({ config: fixture('configs/qwen3-native-131k.yaml'), env });
    expect(result.verdict).toBe('fail');
    expect(result.findings[0]).toMatchObject({ rule: 'context-beyond-model', line: 2 });
  });

  it('notes a config with no model', () => {
    const config = parseServingConfig('max-model-len: 4096\n', 'c.yaml');
    expect(runPreflight({ config, env }).findings[0]).toMatchObject({
      rule: 'model-unknown',
      line: null,
    });
  });
});

describe('runPreflight with other engines and models', () => {
  it('sizes DeepSeek-V3 from its config.json: MLA replicated on every one of 8 GPUs', () => {
    const config = parseServingConfig(
      'model: deepseek-ai/DeepSeek-V3\nmax-model-len: 163840\ntensor-parallel-size: 8\n',
      'c.yaml',
    );
    const result = runPreflight({
      config,
      modelConfigPath: fixture('hf/deepseek-v3/config.json'),
      gpu: gpuTotalsFromSizes({ gpuMemory: '141GiB' }),
    });
    // 70,272 B a token × 163,840 = 10.72 GiB on each GPU.
    expect(result.kvBytesAtMaxContext).toBe(70_272 * 163_840);
    expect(result.details.budget?.kvAtMaxContextPerGpuBytes).toBe(70_272 * 163_840);
    // 669,065,609,216 FP8 + 2 × 1,960,670,208 = 672,986,949,632 B; ÷ 8 per GPU.
    expect(result.weightsBytes).toBe(672_986_949_632);
    expect(result.verdict).toBe('pass');
  });

  it('reads the llama.cpp compose: GGUF weights unknown, per-slot context noted', () => {
    const result = runPreflight({
      config: fixture('configs/compose-llamacpp.yml'),
      env,
      gpu: gpuTotalsFromSizes({ gpuMemory: '24GiB' }),
    });
    const rules = result.findings.map((f) => f.rule);
    expect(rules).toContain('weights-unknown');
    expect(rules).toContain('context-per-slot');
    // K and V q8_0: 48 layers × 4 heads × 128 × (34/32 + 34/32) B = 52,224 B a token.
    expect(result.kvBytesPerToken).toBe(52_224);
  });

  it('sizes from --weights-gib when the weights are otherwise unknown', () => {
    const result = runPreflight({
      config: fixture('configs/compose-llamacpp.yml'),
      env,
      gpu: gpuTotalsFromSizes({ gpuMemory: '24GiB' }),
      weightsBytes: 17 * GIB,
    });
    expect(result.weightsBytes).toBe(17 * GIB);
    expect(result.details.weightsSource).toBe('given with --weights-gib');
    // 24 GiB − 17 GiB − 2 GiB = 5 GiB for 131,072 × 52,224 B = 6.38 GiB: does not fit.
    expect(result.findings[0]).toMatchObject({ rule: 'kv-exceeds-budget', line: 7 });
  });

  it("reads the Llama 3.1 8B index and the config's context override", () => {
    const result = runPreflight({
      config: fixture('configs/vllm-underscores.yaml'),
      modelConfigPath: fixture('hf/llama-3.1-8b-instruct/config.json'),
      gpu: gpuTotalsFromSizes({ gpuMemory: '24GiB' }),
    });
    expect(result.weightsBytes).toBe(16_060_522_496);
    expect(result.details.weightsSource).toContain('model.safetensors.index.json');
    expect(result.details.budget?.weightsPerGpuBytes).toBe(16_060_522_496 / 2);
    expect(result.verdict).toBe('pass');
  });

  it('sizes an unset context as the model window and says so', () => {
    const config = parseServingConfig('model: mistralai/Mistral-7B-v0.1\n', 'c.yaml');
    const result = runPreflight({ config, env, gpu: gpuTotalsFromSizes({ gpuMemory: '24GiB' }) });
    expect(result.maxContextTokens).toBe(32_768);
    // The 4096-token window bounds it: 4096 × 128 KiB = 512 MiB.
    expect(result.kvBytesAtMaxContext).toBe(512 * 1024 * 1024);
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['context-default', 'info']]);
    expect(result.verdict).toBe('pass');
  });
});
