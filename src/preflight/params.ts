import type { Attention } from './architecture.js';

/**
 * A model's parameters split the way quantisation treats them: the linear layers of the
 * decoder blocks (attention projections, MLP or experts) are what FP8/INT4 checkpoints
 * store in fewer bits; embeddings, the LM head, norms and MoE routers stay 16-bit.
 */
export interface ParamCount {
  quantisable: number;
  other: number;
}

type Json = Record<string, unknown>;

/**
 * Counts parameters from a config's sizes: embeddings (and an untied LM head), per layer
 * the attention projections (GQA or MLA), a gated MLP of three matrices, or routed and
 * shared experts with their router, and two norms. Biases and the small per-head norms are
 * left out (well under 0.1% of any model here). Null when the sizes are missing.
 *
 * Known shortcoming: multi-token-prediction layers (DeepSeek's `num_nextn_predict_layers`)
 * are not counted; engines load them only for speculative decoding.
 */
export function countParams(
  config: Json,
  attention: Attention,
  numLayers: number,
  modelType: string | null,
): ParamCount | null {
  const n = (key: string) => {
    const v = config[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
  };
  const hidden = n('hidden_size');
  const vocab = n('vocab_size');
  if (hidden === null || vocab === null) return null;

  const tied =
    typeof config.tie_word_embeddings === 'boolean'
      ? config.tie_word_embeddings
      : (modelType?.startsWith('gemma') ?? false);
  let other = vocab * hidden * (tied ? 1 : 2) + hidden;

  const attentionParams = attentionLinear(config, attention, hidden);
  if (attentionParams === null) return null;

  const experts = n('num_experts') ?? n('n_routed_experts') ?? n('num_local_experts') ?? 0;
  const dense = n('intermediate_size');
  const expertSize = n('moe_intermediate_size') ?? dense;
  const shared = (n('n_shared_experts') ?? 0) * 3 * hidden * (expertSize ?? 0);
  const sharedExpert = 3 * hidden * (n('shared_expert_intermediate_size') ?? 0);
  const firstDense = n('first_k_dense_replace') ?? 0;
  const step = n('decoder_sparse_step') ?? 1;
  const denseOnly = new Set(
    Array.isArray(config.mlp_only_layers)
      ? config.mlp_only_layers.filter((x) => typeof x === 'number')
      : [],
  );

  let quantisable = 0;
  for (let layer = 0; layer < numLayers; layer++) {
    quantisable += attentionParams;
    other += 2 * hidden;
    const moe =
      experts > 0 && layer >= firstDense && !denseOnly.has(layer) && (layer + 1) % step === 0;
    if (moe) {
      if (expertSize === null) return null;
      quantisable += experts * 3 * hidden * expertSize + shared + sharedExpert;
      other += hidden * experts;
    } else {
      if (dense === null) return null;
      quantisable += 3 * hidden * dense;
    }
  }
  return { quantisable, other };
}

function attentionLinear(config: Json, attention: Attention, hidden: number): number | null {
  if (attention.kind === 'gqa') {
    const q = attention.numHeads * attention.headDim;
    const kv = attention.numKvHeads * attention.headDim;
    return hidden * q + 2 * hidden * kv + q * hidden;
  }
  const get = (key: string) => {
    const v = config[key];
    return typeof v === 'number' && v > 0 ? v : 0;
  };
  const heads = attention.numHeads;
  const nope = get('qk_nope_head_dim');
  const rope = attention.qkRopeHeadDim;
  const valueDim = get('v_head_dim');
  const qRank = get('q_lora_rank');
  if (nope === 0 || valueDim === 0) return null;
  const q =
    qRank > 0 ? hidden * qRank + qRank * heads * (nope + rope) : hidden * heads * (nope + rope);
  const kvDown = hidden * (attention.kvLoraRank + rope);
  const kvUp = attention.kvLoraRank * heads * (nope + valueDim);
  const out = heads * valueDim * hidden;
  return q + kvDown + kvUp + out;
}
