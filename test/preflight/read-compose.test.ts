import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { parseServingConfig, readServingConfig } from '../../src/preflight/read-config.js';
import { fixture } from './paths.js';

describe('compose files', () => {
  it('reads a vLLM command written as a folded string, each flag on its own line', () => {
    const config = readServingConfig(fixture('configs/compose-vllm-folded.yml'));
    expect(config).toMatchObject({
      form: 'compose',
      service: 'vllm',
      engine: 'vllm',
      engineVersion: '0.10.1.1',
    });
    expect(config.model).toMatchObject({ value: 'Qwen/Qwen3-30B-A3B-FP8', line: 22 });
    // ${MAX_MODEL_LEN:-131072} takes its default.
    expect(config.maxContextTokens).toMatchObject({
      value: 131072,
      line: 23,
      key: '--max-model-len',
    });
    expect(config.ropeScaling).toMatchObject({
      value: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 },
      line: 24,
    });
    expect(config.kvCacheDtype).toMatchObject({ value: 'fp8', line: 25 });
    expect(config.gpuMemoryUtilization).toMatchObject({ value: 0.9, line: 26 });
    expect(config.environment?.VLLM_ALLOW_LONG_MAX_MODEL_LEN).toMatchObject({
      value: '1',
      line: 30,
    });
    expect(config.image?.line).toBe(19);
  });

  it('reads a command list after an entrypoint, with the environment as a list', () => {
    const config = readServingConfig(fixture('configs/compose-vllm-list.yml'));
    expect(config.engine).toBe('vllm');
    expect(config.engineSource).toMatchObject({ value: 'vllm', line: 4 });
    expect(config.model).toMatchObject({ value: 'meta-llama/Llama-3.1-70B-Instruct', line: 6 });
    expect(config.tensorParallelSize).toMatchObject({ value: 4, line: 7 });
    expect(config.maxContextTokens).toMatchObject({
      value: 65536,
      line: 9,
      key: '--max-model-len',
    });
    expect(config.ropeScaling).toMatchObject({
      value: { type: 'dynamic', factor: 2 },
      key: '--rope-scaling',
      line: 10,
    });
    expect(config.maxNumSeqs?.value).toBe(32);
    expect(config.environment?.NCCL_DEBUG).toMatchObject({ value: 'WARN', line: 16 });
    expect(config.notes).toEqual([]);
  });

  it('finds an SGLang launcher inside bash -c after another command', () => {
    const config = readServingConfig(fixture('configs/compose-sglang.yml'));
    expect(config.engine).toBe('sglang');
    expect(config.model?.value).toBe('Qwen/Qwen3-30B-A3B');
    expect(config.maxContextTokens?.value).toBe(131072);
    expect(config.ropeScaling?.value).toEqual({
      type: 'yarn',
      factor: 4,
      originalMaxPositionEmbeddings: 32768,
    });
    expect(config.tensorParallelSize?.value).toBe(2);
    expect(config.maxNumSeqs?.value).toBe(48);
  });

  it('reads TGI settings from flags and an environment map', () => {
    const config = readServingConfig(fixture('configs/compose-tgi.yml'));
    expect(config.engine).toBe('tgi');
    expect(config.model).toMatchObject({ value: 'meta-llama/Llama-3.1-8B-Instruct', line: 4 });
    expect(config.maxContextTokens).toMatchObject({
      value: 16384,
      key: 'MAX_TOTAL_TOKENS',
      line: 6,
    });
    expect(config.ropeScaling).toMatchObject({ value: { type: 'dynamic', factor: 2 }, line: 8 });
    expect(config.gpuMemoryUtilization?.value).toBe(0.95);
  });

  it('reads llama.cpp server flags from a list, by line', () => {
    const config = readServingConfig(fixture('configs/compose-llamacpp.yml'));
    expect(config.engine).toBe('llamacpp');
    expect(config.model).toMatchObject({ value: 'Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M', line: 5 });
    expect(config.maxContextTokens).toMatchObject({ value: 131072, key: '-c', line: 7 });
    expect(config.ropeScaling).toMatchObject({
      value: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 },
      line: 9,
    });
    expect(config.kvCacheDtype?.value).toBe('q8_0');
    expect(config.maxNumSeqs).toMatchObject({ value: 4, line: 19 });
  });

  it('reads Ollama settings from its environment', () => {
    const config = readServingConfig(fixture('configs/compose-ollama.yml'));
    expect(config.engine).toBe('ollama');
    expect(config.model).toBeNull();
    expect(config.maxContextTokens).toMatchObject({ value: 32768, line: 5 });
    expect(config.maxNumSeqs?.value).toBe(2);
  });

  it('refuses a compose file with no serving service, listing what it has', () => {
    const run = () =>
      readServingConfig(fixture('configs/compose-no-serving.yml'), { displayName: 'compose.yml' });
    expect(run).toThrowError(GateError);
    expect(run).toThrow(
      'compose.yml: no service runs a serving engine (vLLM, SGLang, TGI, llama.cpp server or Ollama); services: db (line 3, postgres:16), cache (line 5, redis:7)',
    );
  });

  it('reads the one service of a file whose engine it cannot tell, leaving the engine unknown', () => {
    const config = readServingConfig(fixture('configs/compose-unknown-engine.yml'));
    expect(config).toMatchObject({ service: 'inference', engine: null, model: null });
    expect(config.image?.line).toBe(3);
  });

  it('asks which service when several run an engine, and reads the one named', () => {
    expect(() => readServingConfig(fixture('configs/compose-two-engines.yml'))).toThrow(
      'several services run a serving engine: fast (line 3, vllm/vllm-openai:latest), slow (line 6, lmsysorg/sglang:latest)',
    );
    const slow = readServingConfig(fixture('configs/compose-two-engines.yml'), { service: 'slow' });
    expect(slow).toMatchObject({
      engine: 'sglang',
      service: 'slow',
      maxContextTokens: { value: 32768 },
    });
    expect(() =>
      readServingConfig(fixture('configs/compose-two-engines.yml'), { service: 'gpu' }),
    ).toThrow('no service named gpu');
  });

  it('takes variables from the .env beside the compose file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-compose-'));
    writeFileSync(join(dir, '.env'), 'MAX_MODEL_LEN=32768\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax
    const command = 'command: --model m --max-model-len ${MAX_MODEL_LEN:-131072}';
    writeFileSync(
      join(dir, 'compose.yml'),
      `services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    ${command}\n`,
    );
    expect(readServingConfig(join(dir, 'compose.yml')).maxContextTokens?.value).toBe(32768);
  });

  it('names a variable it cannot resolve instead of guessing its value', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax
    const variable = '${LEN}';
    const text = `services:\n  vllm:\n    image: vllm/vllm-openai\n    command: --model m --max-model-len ${variable}\n`;
    expect(() => parseServingConfig(text, 'compose.yml')).toThrow(
      `compose.yml:4: --max-model-len is "${variable}", not a token count`,
    );
  });

  it('notes flags vLLM would refuse and extra positional words', () => {
    const text =
      'services:\n  vllm:\n    image: vllm/vllm-openai\n    command: m extra --max-modle-len 4096\n';
    const config = parseServingConfig(text, 'compose.yml');
    expect(config.notes?.map((n) => [n.rule, n.line])).toEqual([
      ['unknown-flag', 4],
      ['unknown-flag', 4],
    ]);
  });

  it('refuses a command written as a map', () => {
    const text = 'services:\n  vllm:\n    image: vllm/vllm-openai\n    command:\n      model: m\n';
    expect(() => parseServingConfig(text, 'compose.yml')).toThrow(
      'compose.yml:5: vllm.command is a map',
    );
  });
});
