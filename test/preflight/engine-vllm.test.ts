import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { isVllmBoolean, readVllmSettings } from '../../src/preflight/engine-vllm.js';
import { parseArgs } from '../../src/preflight/settings.js';
import { VLLM_SHORT_FLAGS } from '../../src/preflight/vllm-keys.js';

function fromCommand(...texts: string[]) {
  const words = texts.map((text, i) => ({ text, line: 10 + i }));
  const { settings } = parseArgs(words, 'compose.yml', {
    isBoolean: isVllmBoolean,
    aliases: VLLM_SHORT_FLAGS,
  });
  return settings;
}

describe('readVllmSettings', () => {
  it('reads the values preflight uses, each with its key and line', () => {
    const fields = readVllmSettings(
      fromCommand(
        '--model',
        'Qwen/Qwen3-30B-A3B-FP8',
        '--max-model-len',
        '128K',
        '-tp',
        '2',
        '--gpu-memory-utilization',
        '0.92',
        '--max-num-seqs',
        '64',
        '--kv-cache-dtype',
        'fp8_e4m3',
        '--quantization',
        'fp8',
        '--dtype',
        'bfloat16',
      ),
      { unknown: 'refuse' },
    );
    expect(fields.model).toEqual({
      value: 'Qwen/Qwen3-30B-A3B-FP8',
      file: 'compose.yml',
      line: 10,
      key: '--model',
    });
    expect(fields.maxContextTokens).toMatchObject({ value: 131_072, line: 12 });
    expect(fields.tensorParallelSize).toMatchObject({ value: 2, key: '-tp', line: 14 });
    expect(fields.gpuMemoryUtilization?.value).toBe(0.92);
    expect(fields.maxNumSeqs?.value).toBe(64);
    expect(fields.kvCacheDtype?.value).toBe('fp8_e4m3');
    expect(fields.quantization?.value).toBe('fp8');
    expect(fields.dtype?.value).toBe('bfloat16');
  });

  it('builds rope scaling from dotted --hf-overrides flags', () => {
    const fields = readVllmSettings(
      fromCommand(
        '--hf-overrides.rope_scaling.rope_type',
        'yarn',
        '--hf-overrides.rope_scaling.factor',
        '4.0',
        '--hf-overrides.rope_scaling.original_max_position_embeddings',
        '32768',
      ),
      { unknown: 'refuse' },
    );
    expect(fields.ropeScaling).toMatchObject({
      value: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 },
      line: 10,
    });
  });

  it('reads the older --rope-scaling with its `type` spelling', () => {
    const fields = readVllmSettings(
      fromCommand('--rope-scaling', '{"type": "dynamic", "factor": 2.0}'),
      {
        unknown: 'refuse',
      },
    );
    expect(fields.ropeScaling).toMatchObject({
      value: { type: 'dynamic', factor: 2 },
      key: '--rope-scaling',
    });
  });

  it('lets hf-overrides win over --rope-scaling, as vLLM applies overrides last', () => {
    const fields = readVllmSettings(
      fromCommand(
        '--hf-overrides',
        '{"rope_scaling": {"rope_type": "yarn", "factor": 4, "original_max_position_embeddings": 32768}}',
        '--rope-scaling',
        '{"rope_type": "linear", "factor": 2}',
      ),
      { unknown: 'refuse' },
    );
    expect(fields.ropeScaling?.value.type).toBe('yarn');
  });

  it('keeps other overrides apart from rope scaling', () => {
    const fields = readVllmSettings(
      fromCommand('--hf-overrides', '{"max_position_embeddings": 65536}'),
      {
        unknown: 'refuse',
      },
    );
    expect(fields.ropeScaling).toBeNull();
    expect(fields.modelOverrides?.value).toEqual({ max_position_embeddings: 65536 });
  });

  it('refuses an unknown key in a config file, suggesting the near one', () => {
    const run = () =>
      readVllmSettings(fromCommand('--max-modle-len', '4096'), { unknown: 'refuse' });
    expect(run).toThrowError(GateError);
    expect(run).toThrow(
      'compose.yml:10: --max-modle-len is not a vLLM option (did you mean max-model-len?)',
    );
  });

  it('notes an unknown flag of a compose command as a warning instead', () => {
    const fields = readVllmSettings(fromCommand('--made-up-flag', 'x'), { unknown: 'note' });
    expect(fields.notes).toEqual([
      expect.objectContaining({
        rule: 'unknown-flag',
        severity: 'warning',
        file: 'compose.yml',
        line: 10,
      }),
    ]);
  });

  it('refuses a dtype vLLM does not have and a utilisation above 1', () => {
    expect(() => readVllmSettings(fromCommand('--dtype', 'fp4'), { unknown: 'refuse' })).toThrow(
      'compose.yml:10: --dtype is "fp4", not one of auto, half, float16, bfloat16, float, float32',
    );
    expect(() =>
      readVllmSettings(fromCommand('--gpu-memory-utilization', '90'), { unknown: 'refuse' }),
    ).toThrow('not a number from 0.01 to 1');
  });

  it('refuses a yarn rope scaling that is not an object', () => {
    expect(() =>
      readVllmSettings(fromCommand('--hf-overrides', '{"rope_scaling": "yarn"}'), {
        unknown: 'refuse',
      }),
    ).toThrow('rope scaling must be an object');
  });
});
