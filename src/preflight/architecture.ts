import { GateError } from '../errors.js';
import { ropeFromObject } from './engine-fields.js';
import { countParams, type ParamCount } from './params.js';
import type { RopeScaling } from './types.js';

/** How a layer stores attention state per token. */
export type Attention =
  /** Standard (MHA) and grouped-query attention: K and V per KV head. */
  | { kind: 'gqa'; numHeads: number; numKvHeads: number; headDim: number }
  /** Multi-head latent attention (DeepSeek V2/V3): one compressed latent plus a rope key. */
  | { kind: 'mla'; numHeads: number; kvLoraRank: number; qkRopeHeadDim: number };

export interface WeightQuantization {
  method: string;
  /** Bits per quantised weight, scales included where known; null when the method is unknown. */
  bitsPerWeight: number | null;
}

/** The figures of a model that decide its memory: what a config.json says, reduced. */
export interface ModelArchitecture {
  modelType: string | null;
  numLayers: number;
  attention: Attention;
  /** Tokens a sliding-window layer keeps; null when no layer slides. */
  slidingWindowTokens: number | null;
  /** How many of the layers use the sliding window (the rest attend to the whole context). */
  slidingLayers: number;
  maxPositionEmbeddings: number | null;
  /** The model's own rope scaling (Llama 3.1's `llama3`, DeepSeek's `yarn`), not the config's. */
  ropeScaling: RopeScaling | null;
  /** The checkpoint's dtype (`bfloat16`). */
  torchDtype: string | null;
  quantization: WeightQuantization | null;
  /** Parameter count split by how quantisation treats it; null when the config lacks sizes. */
  params: ParamCount | null;
  /** Where the figures come from, for the report. */
  source: string;
}

type Json = Record<string, unknown>;

/**
 * Reads a Hugging Face `config.json` object. Multimodal configs keep the language model's
 * figures in `text_config`, which is read in their place. Throws GateError('usage') when
 * the object lacks the figures KV sizing needs.
 */
export function architectureFromHfConfig(config: Json, source: string): ModelArchitecture {
  const text = isObject(config.text_config) ? { ...config, ...config.text_config } : config;
  const n = (key: string) => positive(text[key]);

  const numLayers = n('num_hidden_layers') ?? n('n_layer') ?? n('num_layers');
  const numHeads = n('num_attention_heads') ?? n('n_head');
  if (numLayers === null || numHeads === null) {
    throw new GateError(
      'usage',
      `${source}: not a model config (no num_hidden_layers or num_attention_heads)`,
      "pass the model's config.json with --model-config",
    );
  }

  const kvLoraRank = n('kv_lora_rank');
  const attention: Attention =
    kvLoraRank !== null
      ? { kind: 'mla', numHeads, kvLoraRank, qkRopeHeadDim: n('qk_rope_head_dim') ?? 0 }
      : {
          kind: 'gqa',
          numHeads,
          numKvHeads: n('num_key_value_heads') ?? n('num_kv_heads') ?? numHeads,
          headDim: n('head_dim') ?? Math.floor((n('hidden_size') ?? 0) / numHeads),
        };
  if (attention.kind === 'gqa' && attention.headDim === 0) {
    throw new GateError('usage', `${source}: has neither head_dim nor hidden_size`);
  }

  const modelType = typeof text.model_type === 'string' ? text.model_type : null;
  const window = slidingWindow(text, modelType, numLayers);
  const rope = text.rope_scaling ?? text.rope_parameters;
  return {
    modelType,
    numLayers,
    attention,
    slidingWindowTokens: window.tokens,
    slidingLayers: window.layers,
    maxPositionEmbeddings: n('max_position_embeddings') ?? n('n_positions') ?? n('max_seq_len'),
    ropeScaling: ropeFromObject(isObject(rope) ? rope : null, source),
    torchDtype:
      typeof text.torch_dtype === 'string'
        ? text.torch_dtype
        : typeof text.dtype === 'string'
          ? text.dtype
          : null,
    quantization: quantizationOf(config.quantization_config ?? text.quantization_config),
    params: countParams(text, attention, numLayers, modelType),
    source,
  };
}

/**
 * Which layers slide and over how many tokens. `layer_types` (transformers 4.5x+) says it
 * per layer; older configs imply it: Gemma 2 alternates (even layers slide), Gemma 3 makes
 * every sixth layer global, Mistral-style configs slide every layer unless
 * `use_sliding_window` is false (Qwen 2/3 carry a window they do not use).
 */
function slidingWindow(
  config: Json,
  modelType: string | null,
  numLayers: number,
): { tokens: number | null; layers: number } {
  const tokens = positive(config.sliding_window);
  if (tokens === null || config.use_sliding_window === false) return { tokens: null, layers: 0 };

  if (Array.isArray(config.layer_types)) {
    const layers = config.layer_types.filter((t) => t === 'sliding_attention').length;
    return layers > 0 ? { tokens, layers } : { tokens: null, layers: 0 };
  }
  if (modelType === 'gemma2') return { tokens, layers: Math.ceil(numLayers / 2) };
  const pattern = positive(config.sliding_window_pattern);
  if (modelType?.startsWith('gemma3') || pattern !== null) {
    const every = pattern ?? 6;
    return { tokens, layers: numLayers - Math.floor(numLayers / every) };
  }
  return { tokens, layers: numLayers };
}

/** Bits per weight of a checkpoint's `quantization_config`, as far as it says. */
export function quantizationOf(value: unknown): WeightQuantization | null {
  if (!isObject(value)) return null;
  const method = String(value.quant_method ?? value.quant_algo ?? 'unknown').toLowerCase();
  const group = positive(value.group_size) ?? positive(value.q_group_size);
  // Integer formats keep a 16-bit scale and a packed zero point per group: about 32 bits.
  const grouped = (bits: number) => bits + (group ? 32 / group : 0);

  if (method.includes('fp8') || method === 'fbgemm_fp8') return { method, bitsPerWeight: 8 };
  if (method === 'mxfp4') return { method, bitsPerWeight: 4.25 };
  if (method === 'modelopt') {
    const algo = String(value.quant_algo ?? '').toUpperCase();
    return { method, bitsPerWeight: algo === 'FP8' ? 8 : algo === 'NVFP4' ? 4.5 : null };
  }
  if (method === 'bitsandbytes') {
    return { method, bitsPerWeight: value.load_in_8bit === true ? 8 : 4 };
  }
  if (['awq', 'gptq', 'awq_marlin', 'gptq_marlin', 'marlin'].includes(method)) {
    return { method, bitsPerWeight: grouped(positive(value.bits) ?? positive(value.w_bit) ?? 4) };
  }
  if (method === 'compressed-tensors') {
    const groups = isObject(value.config_groups) ? Object.values(value.config_groups) : [];
    const weights = groups.map((g) => (isObject(g) && isObject(g.weights) ? g.weights : null))[0];
    const bits = weights ? positive(weights.num_bits) : null;
    const size = weights ? positive(weights.group_size) : null;
    return { method, bitsPerWeight: bits === null ? null : bits + (size ? 32 / size : 0) };
  }
  return { method, bitsPerWeight: positive(value.bits) };
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
