import { describe, expect, it } from 'vitest';
import { formatPreflight } from '../../src/preflight/format-report.js';
import { gpuTotalsFromSizes } from '../../src/preflight/gpu-totals.js';
import { runPreflight } from '../../src/preflight/run-preflight.js';
import { example, fixture } from './paths.js';

const env = { HF_HOME: '/nonexistent' };

describe('formatPreflight', () => {
  it('puts the verdict first, then the figures, then each finding at its line', () => {
    const text = formatPreflight(
      runPreflight({
        config: example('qwen3-30b-a3b-fp8-131k.yaml'),
        displayName: 'examples/131k.yaml',
        env,
        gpu: gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' }),
      }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('preflight FAIL: examples/131k.yaml');
    expect(text).toContain('  max context         131,072 tokens\n');
    expect(text).toContain('  KV cache per token  48 KiB (fp8)\n');
    expect(text).toContain('  KV at max context   6.00 GiB\n');
    expect(text).toContain(
      '  KV budget per GPU   12.17 GiB = 43.20 GiB (gpu-memory-utilization 0.9) − 29.03 GiB weights − 2.00 GiB runtime allowance\n',
    );
    expect(text).toContain(
      '  BAR1                8.00 GiB total, 2.50 GiB mapped, 3.50 GiB left after the runtime allowance\n',
    );
    expect(text).toContain('  largest context     76,458 tokens\n');
    expect(text).toContain('  error   bar1-exceeds-budget  examples/131k.yaml:9\n');
  });

  it('names the service of a compose file and says when there is nothing to report', () => {
    const text = formatPreflight(
      runPreflight({
        config: fixture('configs/compose-ollama.yml'),
        displayName: 'compose.yml',
        env,
      }),
    );
    expect(text.split('\n')[0]).toBe('preflight WARN: compose.yml (service ollama)');
    expect(text).toContain('  engine              Ollama\n');
    expect(text).toContain('model-unknown  compose.yml\n');
  });
});
