import { describe, expect, it } from 'vitest';
import { readEngineSettings, SHORT_FLAGS } from '../../src/preflight/engine-others.js';
import { parseArgs } from '../../src/preflight/settings.js';
import type { Located } from '../../src/preflight/types.js';

function args(engine: 'sglang' | 'llamacpp' | 'tgi' | 'ollama', ...texts: string[]) {
  const words = texts.map((text, i) => ({ text, line: 20 + i }));
  return parseArgs(words, 'compose.yml', {
    isBoolean: (n) => n.startsWith('enable-'),
    aliases: SHORT_FLAGS[engine] ?? {},
  }).settings;
}

function env(vars: Record<string, string>): Record<string, Located<string>> {
  return Object.fromEntries(
    Object.entries(vars).map(([key, value], i) => [
      key,
      { value, file: 'compose.yml', line: 5 + i, key },
    ]),
  );
}

describe('readEngineSettings', () => {
  it('reads SGLang flags, rope scaling from --json-model-override-args', () => {
    const fields = readEngineSettings(
      'sglang',
      args(
        'sglang',
        '--model-path',
        'Qwen/Qwen3-30B-A3B',
        '--context-length',
        '131072',
        '--json-model-override-args',
        '{"rope_scaling":{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}}',
        '--tp',
        '2',
        '--mem-fraction-static',
        '0.85',
        '--max-running-requests',
        '48',
      ),
      {},
    );
    expect(fields.model?.value).toBe('Qwen/Qwen3-30B-A3B');
    expect(fields.maxContextTokens).toMatchObject({
      value: 131072,
      line: 22,
      key: '--context-length',
    });
    expect(fields.ropeScaling?.value).toEqual({
      type: 'yarn',
      factor: 4,
      originalMaxPositionEmbeddings: 32768,
    });
    expect(fields.tensorParallelSize).toMatchObject({ value: 2, key: '--tp' });
    expect(fields.gpuMemoryUtilization?.value).toBe(0.85);
    expect(fields.maxNumSeqs?.value).toBe(48);
  });

  it('reads TGI from its environment when no flag is given, and a flag over its variable', () => {
    const fields = readEngineSettings(
      'tgi',
      args('tgi', '--model-id', 'meta-llama/Llama-3.1-8B-Instruct', '--max-total-tokens', '8192'),
      env({
        MAX_TOTAL_TOKENS: '16384',
        ROPE_SCALING: 'dynamic',
        ROPE_FACTOR: '2.0',
        NUM_SHARD: '2',
      }),
    );
    expect(fields.maxContextTokens).toMatchObject({
      value: 8192,
      key: '--max-total-tokens',
      line: 22,
    });
    expect(fields.ropeScaling).toMatchObject({
      value: { type: 'dynamic', factor: 2, originalMaxPositionEmbeddings: null },
      key: 'ROPE_SCALING',
      line: 6,
    });
    expect(fields.tensorParallelSize).toMatchObject({ value: 2, key: 'NUM_SHARD', line: 8 });
  });

  it('reads llama.cpp short flags: context, YaRN, K and V cache types, slots', () => {
    const fields = readEngineSettings(
      'llamacpp',
      args(
        'llamacpp',
        '-m',
        '/models/qwen3-30b-a3b-q4_k_m.gguf',
        '-c',
        '65536',
        '--rope-scaling',
        'yarn',
        '--rope-scale',
        '2',
        '--yarn-orig-ctx',
        '32768',
        '-ctk',
        'q8_0',
        '-ctv',
        'q4_0',
        '-np',
        '2',
      ),
      {},
    );
    expect(fields.model?.value).toBe('/models/qwen3-30b-a3b-q4_k_m.gguf');
    expect(fields.maxContextTokens).toMatchObject({ value: 65536, key: '-c' });
    expect(fields.ropeScaling?.value).toEqual({
      type: 'yarn',
      factor: 2,
      originalMaxPositionEmbeddings: 32768,
    });
    expect(fields.kvCacheDtype?.value).toBe('q8_0');
    expect(fields.kvCacheDtypeV?.value).toBe('q4_0');
    expect(fields.maxNumSeqs?.value).toBe(2);
  });

  it('reads llama.cpp --rope-scaling none as no scaling, and --yarn-orig-ctx 0 as unset', () => {
    expect(
      readEngineSettings('llamacpp', args('llamacpp', '--rope-scaling', 'none'), {}).ropeScaling,
    ).toBeNull();
    const fields = readEngineSettings(
      'llamacpp',
      args('llamacpp', '--rope-scaling', 'yarn', '--rope-scale', '4', '--yarn-orig-ctx', '0'),
      {},
    );
    expect(fields.ropeScaling?.value.originalMaxPositionEmbeddings).toBeNull();
  });

  it("reads Ollama's server environment", () => {
    const fields = readEngineSettings(
      'ollama',
      [],
      env({
        OLLAMA_CONTEXT_LENGTH: '32768',
        OLLAMA_NUM_PARALLEL: '2',
        OLLAMA_KV_CACHE_TYPE: 'q8_0',
      }),
    );
    expect(fields.maxContextTokens).toMatchObject({
      value: 32768,
      key: 'OLLAMA_CONTEXT_LENGTH',
      line: 5,
    });
    expect(fields.maxNumSeqs?.value).toBe(2);
    expect(fields.kvCacheDtype?.value).toBe('q8_0');
  });

  it('refuses an ill-typed value with the variable it came from', () => {
    expect(() => readEngineSettings('tgi', [], env({ NUM_SHARD: 'all' }))).toThrow(
      'compose.yml:5: NUM_SHARD is "all", not a whole number of at least 1',
    );
  });
});
