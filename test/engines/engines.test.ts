/**
 * Every engine's flavour against the whole gate, in one file so the cases run side by side:
 * vitest gives a 2-core runner one worker, and a gate run mostly waits on its soak's clock.
 */
import { describe, expect, it, vi } from 'vitest';
import { describeEngineCases } from './engine-cases.js';
import { CONFIGS, GATE_TIMEOUT_MS, gateOn, reason, summary } from './gate-run.js';

vi.setConfig({ maxConcurrency: 10 });

describeEngineCases({
  engine: 'vllm',
  label: 'vLLM',
  generatePath: '/v1/completions',
  streamPath: '/v1/chat/completions',
  failureStatus: 500,
  shortContext: /→ 400 "This model's maximum context length is 1024 tokens/,
});

describeEngineCases({
  engine: 'sglang',
  label: 'SGLang',
  generatePath: '/v1/completions',
  streamPath: '/v1/chat/completions',
  failureStatus: 500,
  shortContext:
    /→ 400 "The input \(1991 tokens\) is longer than the model's context length \(1024 tokens\)/,
});

describeEngineCases({
  engine: 'tgi',
  label: 'TGI',
  generatePath: '/v1/completions',
  streamPath: '/generate_stream',
  failureStatus: 424,
  shortContext: /→ 422 "Input validation error: `inputs` must have less than 1023 tokens/,
});

describeEngineCases({
  engine: 'llamacpp',
  label: 'llama.cpp server',
  generatePath: '/completion',
  streamPath: '/completion',
  failureStatus: 500,
  shortContext: /→ 400 "request \(1991 tokens\) exceeds the available context size \(1024 tokens\)/,
});

describeEngineCases({
  engine: 'ollama',
  label: 'Ollama',
  generatePath: '/api/generate',
  streamPath: '/api/generate',
  failureStatus: 500,
  shortContext: /→ 200, but the engine processed only 1,024 prompt tokens \(silently truncated\)/,
});

describeEngineCases({
  engine: 'openai',
  label: 'generic OpenAI-compatible',
  generatePath: '/v1/completions',
  streamPath: '/v1/chat/completions',
  failureStatus: 500,
  shortContext: /→ 400 "This model's maximum context length is 1024 tokens/,
});

describe.concurrent('the gate against vLLM faults only its own metrics and logs show', () => {
  it(
    'fails when the KV cache stays in use after the soak with nothing running',
    async () => {
      const results = await gateOn('vllm-kv-stuck.yaml', { config: CONFIGS.vllm });
      expect(results.verdict, summary(results)).toBe('fail');
      const stuck = reason(results, 'kv-cache-stuck');
      expect(stuck?.message).toMatch(/^KV cache usage stuck at \d+% with 0 running\/0 waiting/);
      expect(stuck?.figures?.kvCacheUsage).toBeGreaterThan(0.5);
      expect(results.engineMetrics?.samples.some((s) => s.phase === 'settle')).toBe(true);
    },
    GATE_TIMEOUT_MS,
  );

  it(
    'fails a server that exits at start-up, with the KV cache figures from its log',
    async () => {
      const results = await gateOn('vllm-kv-too-small.yaml', { config: CONFIGS.vllm });
      expect(results.verdict, summary(results)).toBe('fail');
      expect(reason(results, 'engine-log')?.message).toContain(
        'the KV cache fits 1,536 tokens < max_model_len 2,048. Lower max_model_len to ≤1,536',
      );
      expect(results.checks).toEqual([]);
    },
    GATE_TIMEOUT_MS,
  );
});
