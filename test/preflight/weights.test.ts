import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import { MODEL_TABLE } from '../../src/preflight/model-table.js';
import { chooseWeights, estimateWeights, totalSizeFromIndex } from '../../src/preflight/weights.js';
import { fixture, hfConfig } from './paths.js';

const qwenFp8 = () => {
  const entry = MODEL_TABLE.find((e) => e.names.includes('qwen3-30b-a3b-fp8'))!;
  return architectureFromHfConfig(entry.config, entry.source);
};

describe('totalSizeFromIndex', () => {
  it("reads Llama 3.1 8B's index: 16,060,522,496 B = 8,030,261,248 params × 2", () => {
    const index = JSON.parse(
      readFileSync(fixture('hf/llama-3.1-8b-instruct/model.safetensors.index.json'), 'utf8'),
    );
    expect(totalSizeFromIndex(index)).toBe(8_030_261_248 * 2);
  });

  it('is null for an index without the figure', () => {
    expect(totalSizeFromIndex({ weight_map: {} })).toBeNull();
    expect(totalSizeFromIndex('nope')).toBeNull();
  });
});

describe('estimateWeights', () => {
  it('Qwen3-30B-A3B-FP8: linear layers at 1 byte, the rest at 2', () => {
    // 29,896,998,912 × 1 + 635,111,424 × 2 = 31,167,221,760 B (29.03 GiB).
    expect(estimateWeights(qwenFp8(), qwenFp8().quantization, null)?.bytes).toBe(31_167_221_760);
  });

  it('16-bit models at 2 bytes a parameter, float32 served at 4', () => {
    const llama = architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'llama');
    expect(estimateWeights(llama, null, null)?.bytes).toBe(16_060_522_496);
    expect(estimateWeights(llama, null, 'float32')?.bytes).toBe(32_121_044_992);
  });

  it('is null for a quantisation of unknown width', () => {
    expect(estimateWeights(qwenFp8(), { method: 'gguf', bitsPerWeight: null }, null)).toBeNull();
  });
});

describe('chooseWeights', () => {
  const llama = architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'llama');
  const index = { bytes: 16_060_522_496, source: 'index' };
  const given = { bytes: 20 * 1024 ** 3, source: 'given with --weights-gib' };

  it('takes the figure given, then the index, then the estimate', () => {
    expect(
      chooseWeights({ given, index, arch: llama, configQuantization: null, dtype: null }),
    ).toBe(given);
    expect(
      chooseWeights({ given: null, index, arch: llama, configQuantization: null, dtype: null }),
    ).toBe(index);
    expect(
      chooseWeights({
        given: null,
        index: null,
        arch: llama,
        configQuantization: null,
        dtype: null,
      })?.source,
    ).toMatch(/^estimated from 8\.03B parameters/);
  });

  it('estimates instead of trusting a 16-bit index when the config quantises on load', () => {
    const chosen = chooseWeights({
      given: null,
      index,
      arch: llama,
      configQuantization: 'fp8',
      dtype: null,
    });
    // 6,979,321,856 linear × 1 + 1,050,939,392 other × 2.
    expect(chosen?.bytes).toBe(6_979_321_856 + 2 * 1_050_939_392);
  });

  it('is null with nothing to go on', () => {
    expect(
      chooseWeights({
        given: null,
        index: null,
        arch: null,
        configQuantization: null,
        dtype: null,
      }),
    ).toBeNull();
  });
});
