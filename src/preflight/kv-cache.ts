import type { ModelArchitecture } from './architecture.js';
import type { KvElementBytes } from './kv-dtype.js';

/**
 * KV cache bytes one token adds to one layer, whole model (all tensor-parallel ranks):
 * GQA/MHA keep a K and a V vector per KV head, `kv_heads × head_dim × (K bytes + V bytes)`;
 * MLA keeps one compressed latent and the decoupled rope key, `(kv_lora_rank +
 * qk_rope_head_dim) × bytes`, whatever the number of heads.
 */
export function kvBytesPerLayerToken(arch: ModelArchitecture, bytes: KvElementBytes): number {
  const a = arch.attention;
  if (a.kind === 'mla') return (a.kvLoraRank + a.qkRopeHeadDim) * bytes.k;
  return a.numKvHeads * a.headDim * (bytes.k + bytes.v);
}

/** KV bytes per token across every layer, windows ignored: the figure people quote. */
export function kvBytesPerToken(arch: ModelArchitecture, bytes: KvElementBytes): number {
  return arch.numLayers * kvBytesPerLayerToken(arch, bytes);
}

/**
 * KV bytes of one sequence of `tokens`: full-attention layers keep every token,
 * sliding-window layers at most their window. Engines that size sliding layers by their
 * window (vLLM's hybrid KV cache manager, llama.cpp's SWA cache) allocate this much.
 */
export function kvBytesForTokens(
  arch: ModelArchitecture,
  bytes: KvElementBytes,
  tokens: number,
): number {
  const perLayer = kvBytesPerLayerToken(arch, bytes);
  const full = arch.numLayers - arch.slidingLayers;
  const windowTokens =
    arch.slidingWindowTokens === null ? tokens : Math.min(tokens, arch.slidingWindowTokens);
  return perLayer * (full * tokens + arch.slidingLayers * windowTokens);
}

/**
 * The share of the whole model's KV cache that one GPU of a tensor-parallel group holds.
 * GQA splits KV heads across ranks, but never below one head per rank (vLLM replicates
 * heads when there are fewer than ranks); MLA's latent is not split: every rank keeps all
 * of it.
 */
export function kvShareOfOneGpu(arch: ModelArchitecture, tensorParallelSize: number): number {
  const a = arch.attention;
  if (a.kind === 'mla') return 1;
  const headsPerGpu = Math.max(1, Math.floor(a.numKvHeads / tensorParallelSize));
  return headsPerGpu / a.numKvHeads;
}

/**
 * The longest sequence whose KV cache fits `budgetBytes` (whole-model bytes), or null when
 * even one token does not fit. Sliding layers stop growing at their window, so past it
 * only the full-attention layers count; a model whose every layer slides fits any length
 * once its window fits, and `capTokens` (the model's window) bounds the answer.
 */
export function largestContextFitting(
  arch: ModelArchitecture,
  bytes: KvElementBytes,
  budgetBytes: number,
  capTokens: number,
): number | null {
  const perLayer = kvBytesPerLayerToken(arch, bytes);
  const full = arch.numLayers - arch.slidingLayers;
  const window = arch.slidingWindowTokens;
  if (budgetBytes < perLayer * arch.numLayers) return null;

  if (window === null || arch.slidingLayers === 0) {
    return Math.min(capTokens, Math.floor(budgetBytes / (perLayer * arch.numLayers)));
  }
  const atWindow = kvBytesForTokens(arch, bytes, window);
  if (budgetBytes < atWindow) {
    return Math.min(capTokens, Math.floor(budgetBytes / (perLayer * arch.numLayers)));
  }
  if (full === 0) return capTokens;
  return Math.min(capTokens, window + Math.floor((budgetBytes - atWindow) / (perLayer * full)));
}
