/**
 * Architectures of common models, for when no config.json is at hand (a runner that has
 * not pulled the model yet, a laptop). Each entry holds the figures of the model's Hugging
 * Face config.json that sizing needs, written as that file writes them so one reader
 * serves both, and says where they come from.
 */
export interface TableEntry {
  /** Repository names (after the organisation), lower case, that this entry answers. */
  names: string[];
  config: Record<string, unknown>;
  source: string;
}

const QWEN3_30B_A3B = {
  model_type: 'qwen3_moe',
  num_hidden_layers: 48,
  hidden_size: 2048,
  num_attention_heads: 32,
  num_key_value_heads: 4,
  head_dim: 128,
  intermediate_size: 6144,
  moe_intermediate_size: 768,
  num_experts: 128,
  num_experts_per_tok: 8,
  decoder_sparse_step: 1,
  mlp_only_layers: [],
  vocab_size: 151936,
  max_position_embeddings: 40960,
  rope_scaling: null,
  sliding_window: null,
  use_sliding_window: false,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
};

const LLAMA_31_ROPE = {
  rope_type: 'llama3',
  factor: 8.0,
  low_freq_factor: 1.0,
  high_freq_factor: 4.0,
  original_max_position_embeddings: 8192,
};

export const MODEL_TABLE: readonly TableEntry[] = [
  {
    names: ['qwen3-30b-a3b', 'qwen3-30b-a3b-base'],
    config: QWEN3_30B_A3B,
    source:
      'built-in table: Qwen/Qwen3-30B-A3B config.json (48 layers, 4 KV heads, head_dim 128, ' +
      '40960 positions, as in reference engines.md 3.1; expert sizes from the same file)',
  },
  {
    names: ['qwen3-30b-a3b-fp8'],
    config: {
      ...QWEN3_30B_A3B,
      quantization_config: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
    },
    source:
      'built-in table: Qwen/Qwen3-30B-A3B config.json figures, with the FP8 block ' +
      'quantisation (e4m3, 128×128 blocks) of Qwen/Qwen3-30B-A3B-FP8',
  },
  {
    names: [
      'llama-3.1-8b',
      'llama-3.1-8b-instruct',
      'meta-llama-3.1-8b',
      'meta-llama-3.1-8b-instruct',
    ],
    config: {
      model_type: 'llama',
      num_hidden_layers: 32,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      head_dim: 128,
      intermediate_size: 14336,
      vocab_size: 128256,
      max_position_embeddings: 131072,
      rope_scaling: LLAMA_31_ROPE,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
    },
    source: 'built-in table: meta-llama/Llama-3.1-8B-Instruct config.json',
  },
  {
    names: [
      'llama-3.1-70b',
      'llama-3.1-70b-instruct',
      'meta-llama-3.1-70b',
      'meta-llama-3.1-70b-instruct',
    ],
    config: {
      model_type: 'llama',
      num_hidden_layers: 80,
      hidden_size: 8192,
      num_attention_heads: 64,
      num_key_value_heads: 8,
      head_dim: 128,
      intermediate_size: 28672,
      vocab_size: 128256,
      max_position_embeddings: 131072,
      rope_scaling: LLAMA_31_ROPE,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
    },
    source: 'built-in table: meta-llama/Llama-3.1-70B-Instruct config.json',
  },
  {
    names: ['deepseek-v3', 'deepseek-v3-0324', 'deepseek-r1', 'deepseek-r1-0528'],
    config: {
      model_type: 'deepseek_v3',
      num_hidden_layers: 61,
      hidden_size: 7168,
      num_attention_heads: 128,
      num_key_value_heads: 128,
      kv_lora_rank: 512,
      q_lora_rank: 1536,
      qk_nope_head_dim: 128,
      qk_rope_head_dim: 64,
      v_head_dim: 128,
      intermediate_size: 18432,
      moe_intermediate_size: 2048,
      n_routed_experts: 256,
      n_shared_experts: 1,
      num_experts_per_tok: 8,
      first_k_dense_replace: 3,
      vocab_size: 129280,
      max_position_embeddings: 163840,
      rope_scaling: {
        type: 'yarn',
        factor: 40,
        original_max_position_embeddings: 4096,
        beta_fast: 32,
        beta_slow: 1,
        mscale: 1.0,
        mscale_all_dim: 1.0,
      },
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
      quantization_config: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
    },
    source:
      'built-in table: deepseek-ai/DeepSeek-V3 config.json (MLA: kv_lora_rank 512, ' +
      'qk_rope_head_dim 64; 61 layers, the first 3 dense; FP8 weights)',
  },
  {
    names: ['mistral-7b-v0.1', 'mistral-7b-instruct-v0.1'],
    config: {
      model_type: 'mistral',
      num_hidden_layers: 32,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      intermediate_size: 14336,
      vocab_size: 32000,
      max_position_embeddings: 32768,
      sliding_window: 4096,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
    },
    source:
      'built-in table: mistralai/Mistral-7B-v0.1 config.json (sliding window 4096 on every layer)',
  },
  {
    names: ['gemma-2-9b', 'gemma-2-9b-it'],
    config: {
      model_type: 'gemma2',
      num_hidden_layers: 42,
      hidden_size: 3584,
      num_attention_heads: 16,
      num_key_value_heads: 8,
      head_dim: 256,
      intermediate_size: 14336,
      vocab_size: 256000,
      max_position_embeddings: 8192,
      sliding_window: 4096,
      torch_dtype: 'bfloat16',
    },
    source:
      'built-in table: google/gemma-2-9b-it config.json (sliding window 4096 on every other ' +
      'layer, as Gemma 2 alternates local and global attention)',
  },
];

/**
 * The entry for a model id: `Qwen/Qwen3-30B-A3B-FP8`, a local path ending in the
 * repository name, or a llama.cpp `-hf` reference (`Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M`, whose
 * architecture is the base model's). Null when the table does not have it.
 */
export function lookupModel(modelId: string): TableEntry | null {
  const name = repositoryName(modelId);
  const candidates = [name, name.replace(/-gguf$/, '')];
  return MODEL_TABLE.find((entry) => candidates.some((c) => entry.names.includes(c))) ?? null;
}

export function repositoryName(modelId: string): string {
  const last = modelId.replace(/\/+$/, '').split('/').pop() ?? modelId;
  return last.replace(/:[^:]*$/, '').toLowerCase();
}
