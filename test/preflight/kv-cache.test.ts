import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import {
  kvBytesForTokens,
  kvBytesPerToken,
  kvShareOfOneGpu,
  largestContextFitting,
} from '../../src/preflight/kv-cache.js';
import type { KvElementBytes } from '../../src/preflight/kv-dtype.js';
import { GIB, hfConfig } from './paths.js';

const BF16: KvElementBytes = { k: 2, v: 2, label: 'bf16', known: true };
const FP8: KvElementBytes = { k: 1, v: 1, label: 'fp8', known: true };
const arch = (model: string) => architectureFromHfConfig(hfConfig(model), model);

describe('KV cache per token', () => {
  it('Qwen3-30B-A3B: 2 × 48 layers × 4 KV heads × 128 × 2 B = 96 KiB bf16, 48 KiB fp8', () => {
    expect(kvBytesPerToken(arch('qwen3-30b-a3b'), BF16)).toBe(2 * 48 * 4 * 128 * 2);
    expect(kvBytesPerToken(arch('qwen3-30b-a3b'), FP8)).toBe(49_152);
    // 131,072 tokens: 12 GiB bf16, 6 GiB fp8 (reference engines.md 3.1).
    expect(kvBytesForTokens(arch('qwen3-30b-a3b'), BF16, 131_072)).toBe(12 * GIB);
    expect(kvBytesForTokens(arch('qwen3-30b-a3b'), FP8, 131_072)).toBe(6 * GIB);
  });

  it('Llama 3.1 8B: 2 × 32 × 8 × 128 × 2 B = 128 KiB; 16 GiB at 131,072 tokens', () => {
    expect(kvBytesPerToken(arch('llama-3.1-8b-instruct'), BF16)).toBe(131_072);
    expect(kvBytesForTokens(arch('llama-3.1-8b-instruct'), BF16, 131_072)).toBe(16 * GIB);
  });

  it('DeepSeek-V3 MLA: (512 + 64) × 61 layers × 2 B = 70,272 B, whatever the 128 heads', () => {
    expect(kvBytesPerToken(arch('deepseek-v3'), BF16)).toBe((512 + 64) * 61 * 2);
    expect(kvBytesPerToken(arch('deepseek-v3'), FP8)).toBe(35_136);
  });

  it('Mistral 7B v0.1 keeps at most its 4096-token window: 512 MiB at 32768, not 4 GiB', () => {
    const mistral = arch('mistral-7b-v0.1');
    expect(kvBytesPerToken(mistral, BF16)).toBe(131_072);
    expect(kvBytesForTokens(mistral, BF16, 2048)).toBe(2048 * 131_072);
    expect(kvBytesForTokens(mistral, BF16, 32_768)).toBe(4096 * 131_072);
  });

  it('Gemma 2 9B: 21 global layers keep every token, 21 sliding layers 4096', () => {
    // Per layer and token: 8 KV heads × 256 × (2 + 2) B = 8192 B; 42 layers: 344,064 B.
    const gemma = arch('gemma-2-9b-it');
    expect(kvBytesPerToken(gemma, BF16)).toBe(344_064);
    expect(kvBytesForTokens(gemma, BF16, 8192)).toBe(8192 * (21 * 8192 + 21 * 4096));
  });
});

describe('kvShareOfOneGpu', () => {
  it('splits KV heads over tensor-parallel ranks, never below one head a rank', () => {
    const llama = arch('llama-3.1-8b-instruct');
    expect(kvShareOfOneGpu(llama, 1)).toBe(1);
    expect(kvShareOfOneGpu(llama, 4)).toBe(2 / 8);
    expect(kvShareOfOneGpu(llama, 16)).toBe(1 / 8);
  });

  it('keeps the whole MLA latent on every rank', () => {
    expect(kvShareOfOneGpu(arch('deepseek-v3'), 8)).toBe(1);
  });
});

describe('largestContextFitting', () => {
  it('divides the budget by the bytes per token for full attention', () => {
    // 1 GiB / 96 KiB = 10,922.67 tokens.
    expect(largestContextFitting(arch('qwen3-30b-a3b'), BF16, GIB, 1_000_000)).toBe(10_922);
    expect(largestContextFitting(arch('qwen3-30b-a3b'), BF16, GIB, 8192)).toBe(8192);
  });

  it('counts only the global layers past the window (Gemma 2 9B)', () => {
    const gemma = arch('gemma-2-9b-it');
    // Below the window: 1 GiB / 344,064 B = 3120 tokens.
    expect(largestContextFitting(gemma, BF16, GIB, 100_000)).toBe(3120);
    // Past it: 4096 + (2 GiB − 42 × 4096 × 8192) / (21 × 8192) = 4096 + 4291.
    expect(largestContextFitting(gemma, BF16, 2 * GIB, 100_000)).toBe(8387);
  });

  it('fits any length once the window of an all-sliding model fits', () => {
    expect(largestContextFitting(arch('mistral-7b-v0.1'), BF16, GIB, 32_768)).toBe(32_768);
  });

  it('is null when not one token fits', () => {
    expect(largestContextFitting(arch('qwen3-30b-a3b'), BF16, 1000, 40_960)).toBeNull();
  });
});
