import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig, quantizationOf } from '../../src/preflight/architecture.js';
import { hfConfig } from './paths.js';

describe('architectureFromHfConfig', () => {
  it('reads Qwen3-30B-A3B: GQA with 4 KV heads of 128, 40960 positions, no window', () => {
    const arch = architectureFromHfConfig(hfConfig('qwen3-30b-a3b'), 'qwen3');
    expect(arch).toMatchObject({
      modelType: 'qwen3_moe',
      numLayers: 48,
      attention: { kind: 'gqa', numHeads: 32, numKvHeads: 4, headDim: 128 },
      maxPositionEmbeddings: 40960,
      ropeScaling: null,
      slidingWindowTokens: null,
      slidingLayers: 0,
      torchDtype: 'bfloat16',
      quantization: null,
    });
  });

  it("reads Llama 3.1's own llama3 rope scaling", () => {
    const arch = architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'llama');
    expect(arch.attention).toEqual({
      kind: 'gqa',
      numHeads: 32,
      numKvHeads: 8,
      headDim: 4096 / 32,
    });
    expect(arch.ropeScaling).toEqual({
      type: 'llama3',
      factor: 8,
      originalMaxPositionEmbeddings: 8192,
    });
  });

  it("reads DeepSeek-V3's MLA latent and its FP8 block quantisation", () => {
    const arch = architectureFromHfConfig(hfConfig('deepseek-v3'), 'dsv3');
    expect(arch.attention).toEqual({
      kind: 'mla',
      numHeads: 128,
      kvLoraRank: 512,
      qkRopeHeadDim: 64,
    });
    expect(arch.ropeScaling).toEqual({
      type: 'yarn',
      factor: 40,
      originalMaxPositionEmbeddings: 4096,
    });
    expect(arch.quantization).toEqual({ method: 'fp8', bitsPerWeight: 8 });
  });

  it('slides every Mistral 7B v0.1 layer and every other Gemma 2 layer', () => {
    expect(architectureFromHfConfig(hfConfig('mistral-7b-v0.1'), 'm')).toMatchObject({
      slidingWindowTokens: 4096,
      slidingLayers: 32,
    });
    expect(architectureFromHfConfig(hfConfig('gemma-2-9b-it'), 'g')).toMatchObject({
      slidingWindowTokens: 4096,
      slidingLayers: 21,
      attention: { numKvHeads: 8, headDim: 256 },
    });
  });

  it('ignores a window the config turns off, and counts layer_types when given', () => {
    const qwen25 = {
      num_hidden_layers: 28,
      num_attention_heads: 28,
      num_key_value_heads: 4,
      hidden_size: 3584,
      sliding_window: 131072,
      use_sliding_window: false,
    };
    expect(architectureFromHfConfig(qwen25, 'q').slidingLayers).toBe(0);
    const typed = {
      ...qwen25,
      use_sliding_window: true,
      sliding_window: 1024,
      layer_types: ['sliding_attention', 'full_attention', 'sliding_attention', 'full_attention'],
    };
    expect(architectureFromHfConfig(typed, 'q')).toMatchObject({
      slidingLayers: 2,
      slidingWindowTokens: 1024,
    });
  });

  it("reads a multimodal config's text_config and transformers 5 rope_parameters", () => {
    const config = {
      model_type: 'some_vl',
      text_config: {
        num_hidden_layers: 36,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        head_dim: 128,
        max_position_embeddings: 32768,
        rope_parameters: {
          rope_type: 'yarn',
          factor: 2,
          original_max_position_embeddings: 16384,
          rope_theta: 1e6,
        },
      },
    };
    const arch = architectureFromHfConfig(config, 'vl');
    expect(arch.numLayers).toBe(36);
    expect(arch.ropeScaling).toEqual({
      type: 'yarn',
      factor: 2,
      originalMaxPositionEmbeddings: 16384,
    });
  });

  it('refuses an object that is not a model config, saying what to pass', () => {
    expect(() => architectureFromHfConfig({ model: 'x' }, 'wrong.json')).toThrow(
      'wrong.json: not a model config (no num_hidden_layers or num_attention_heads)',
    );
  });
});

describe('quantizationOf', () => {
  it('gives bits per weight, group scales included', () => {
    expect(quantizationOf({ quant_method: 'awq', bits: 4, group_size: 128 })).toEqual({
      method: 'awq',
      bitsPerWeight: 4 + 32 / 128,
    });
    expect(quantizationOf({ quant_method: 'gptq', bits: 8, group_size: -1 })).toEqual({
      method: 'gptq',
      bitsPerWeight: 8,
    });
    expect(
      quantizationOf({
        quant_method: 'compressed-tensors',
        config_groups: { group_0: { weights: { num_bits: 4, group_size: 32 } } },
      }),
    ).toEqual({ method: 'compressed-tensors', bitsPerWeight: 5 });
    expect(quantizationOf({ quant_method: 'bitsandbytes', load_in_4bit: true })).toEqual({
      method: 'bitsandbytes',
      bitsPerWeight: 4,
    });
    expect(quantizationOf({ quant_method: 'mxfp4' })?.bitsPerWeight).toBe(4.25);
  });

  it('says the width is unknown for a method it does not know', () => {
    expect(quantizationOf({ quant_method: 'exotic' })).toEqual({
      method: 'exotic',
      bitsPerWeight: null,
    });
    expect(quantizationOf(undefined)).toBeNull();
  });
});
