import { describe, expect, it } from 'vitest';
import { kvElementBytes } from '../../src/preflight/kv-dtype.js';

describe('kvElementBytes', () => {
  it("reads vLLM's auto as the model's 16-bit dtype and fp8 kinds as one byte", () => {
    expect(kvElementBytes('vllm', null, null, null)).toMatchObject({ k: 2, v: 2, known: true });
    expect(kvElementBytes('vllm', 'auto', null, 'float32')).toMatchObject({ k: 4, v: 4 });
    expect(kvElementBytes('vllm', 'fp8', null, null)).toEqual({
      k: 1,
      v: 1,
      label: 'fp8',
      known: true,
    });
    expect(kvElementBytes('sglang', 'fp8_e5m2', null, null).k).toBe(1);
  });

  it('sizes llama.cpp block formats: q8_0 is 34 bytes per 32 values, q4_0 18', () => {
    expect(kvElementBytes('llamacpp', null, null, null)).toMatchObject({
      k: 2,
      v: 2,
      label: 'f16',
    });
    expect(kvElementBytes('llamacpp', 'q8_0', 'q4_0', null)).toEqual({
      k: 34 / 32,
      v: 18 / 32,
      label: 'K q8_0, V q4_0',
      known: true,
    });
    expect(kvElementBytes('ollama', 'q8_0', null, null)).toMatchObject({ k: 34 / 32, v: 34 / 32 });
  });

  it('assumes 2 bytes for a dtype it does not know, and says so', () => {
    expect(kvElementBytes('vllm', 'int3', null, null)).toMatchObject({ k: 2, known: false });
    expect(kvElementBytes('llamacpp', 'tq3_0', null, null)).toMatchObject({ k: 2, known: false });
  });
});
