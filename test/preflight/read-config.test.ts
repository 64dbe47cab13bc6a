import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { parseServingConfig, readServingConfig } from '../../src/preflight/read-config.js';
import { example, fixture } from './paths.js';

function refusal(run: () => unknown): GateError {
  try {
    run();
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
  throw new Error('expected a GateError');
}

describe('readServingConfig', () => {
  it('reads the 131072-token example with the line of every value', () => {
    const config = readServingConfig(example('qwen3-30b-a3b-fp8-131k.yaml'), {
      displayName: 'examples/131k.yaml',
    });
    expect(config).toMatchObject({ file: 'examples/131k.yaml', form: 'vllm-yaml', engine: 'vllm' });
    expect(config.model).toEqual({
      value: 'Qwen/Qwen3-30B-A3B-FP8',
      file: 'examples/131k.yaml',
      line: 5,
      key: 'model',
    });
    expect(config.maxContextTokens).toEqual({
      value: 131072,
      file: 'examples/131k.yaml',
      line: 9,
      key: 'max-model-len',
    });
    expect(config.ropeScaling).toMatchObject({
      value: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 },
      line: 12,
      key: 'hf-overrides',
    });
    expect(config.kvCacheDtype).toMatchObject({ value: 'fp8', line: 18 });
    expect(config.gpuMemoryUtilization).toMatchObject({ value: 0.9, line: 19 });
    expect(config.tensorParallelSize).toMatchObject({ value: 1, line: 20 });
    expect(config.maxNumSeqs).toMatchObject({ value: 16, line: 21 });
  });

  it('reads the 32768-token example without rope scaling', () => {
    const config = readServingConfig(example('qwen3-30b-a3b-fp8-32k.yaml'));
    expect(config.maxContextTokens).toMatchObject({ value: 32768, line: 8 });
    expect(config.ropeScaling).toBeNull();
  });

  it('accepts snake_case keys and hf_overrides as a JSON string, as vLLM does', () => {
    const config = readServingConfig(fixture('configs/vllm-underscores.yaml'));
    expect(config.maxContextTokens).toMatchObject({ value: 32000, line: 3, key: 'max_model_len' });
    expect(config.modelOverrides).toMatchObject({
      value: { max_position_embeddings: 131072 },
      line: 4,
    });
    expect(config.tensorParallelSize).toMatchObject({ value: 2, line: 5 });
    expect(config.gpuMemoryUtilization).toMatchObject({ value: 0.85, line: 6 });
    expect(config.maxNumSeqs).toMatchObject({ value: 64, line: 7 });
  });

  it('reads the plain JSON form with lines', () => {
    const config = readServingConfig(fixture('configs/vllm-plain.json'));
    expect(config.form).toBe('json');
    expect(config.maxContextTokens).toMatchObject({ value: 131072, line: 3 });
    expect(config.ropeScaling).toMatchObject({ value: { factor: 4 }, line: 5 });
    expect(config.maxNumSeqs).toMatchObject({ value: 8, line: 13 });
  });

  it('reads an Ollama Modelfile by its name', () => {
    expect(readServingConfig(fixture('configs/Modelfile')).form).toBe('ollama-modelfile');
  });

  it('says a missing file is missing', () => {
    const error = refusal(() => readServingConfig('/nonexistent/serving.yaml'));
    expect(error.code).toBe('config');
    expect(error.message).toBe('/nonexistent/serving.yaml: no such file');
  });

  it('names file, line and key of an unknown key, and what is valid', () => {
    const error = refusal(() =>
      readServingConfig(fixture('configs/unknown-key.yaml'), { displayName: 'u.yaml' }),
    );
    expect(error.message).toBe(
      'u.yaml:3: gpu-memory-utilisation is not a vLLM option (did you mean gpu-memory-utilization?)',
    );
    expect(error.help).toContain('vllm serve --help');
  });

  it('names file, line and key of an ill-typed value', () => {
    const error = refusal(() =>
      readServingConfig(fixture('configs/ill-typed.yaml'), { displayName: 'i.yaml' }),
    );
    expect(error.message).toBe('i.yaml:3: tensor-parallel-size is "two", not a whole number');
  });

  it('refuses forms that are not serving configs with a message that says what they are', () => {
    expect(refusal(() => readServingConfig(fixture('configs/k8s.yaml'))).message).toContain(
      'a Kubernetes manifest is not a form preflight reads',
    );
    expect(
      refusal(() => readServingConfig(fixture('hf/qwen3-30b-a3b/config.json'))).help,
    ).toContain('--model-config');
    expect(refusal(() => parseServingConfig('- model: m\n', 'list.yaml')).message).toBe(
      'list.yaml:1: the file holds a list, not a config',
    );
  });

  it('refuses a directory and an oversized file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-read-'));
    expect(refusal(() => readServingConfig(dir)).message).toContain('not a file');
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024 + 10)}\nmodel: m\n`);
    expect(refusal(() => readServingConfig(big)).message).toContain(
      'too large for a serving config',
    );
  });
});
