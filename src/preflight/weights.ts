import { type ModelArchitecture, quantizationOf, type WeightQuantization } from './architecture.js';

export interface WeightsFigure {
  bytes: number;
  /** How it was found, for the report: the index file, the estimate's terms, the flag. */
  source: string;
}

/** `metadata.total_size` of a `model.safetensors.index.json`, or null when it has none. */
export function totalSizeFromIndex(index: unknown): number | null {
  if (index === null || typeof index !== 'object') return null;
  const metadata = (index as Record<string, unknown>).metadata;
  if (metadata === null || typeof metadata !== 'object') return null;
  const size = Number((metadata as Record<string, unknown>).total_size);
  return Number.isFinite(size) && size > 0 ? size : null;
}

/**
 * The quantisation the engine will apply: the checkpoint's own, else the one the config
 * asks for (`quantization: fp8` quantises a 16-bit checkpoint while loading).
 */
export function effectiveQuantization(
  arch: ModelArchitecture,
  configQuantization: string | null,
): WeightQuantization | null {
  if (arch.quantization) return arch.quantization;
  if (!configQuantization) return null;
  return quantizationOf({ quant_method: configQuantization });
}

/**
 * Weight bytes estimated from the parameter count: quantised linear layers at their bits,
 * the rest at 16 bits (or 32 when the config serves float32). Null when the parameter
 * count or the quantisation's width is unknown.
 */
export function estimateWeights(
  arch: ModelArchitecture,
  quantization: WeightQuantization | null,
  dtype: string | null,
): WeightsFigure | null {
  if (!arch.params) return null;
  const { quantisable, other } = arch.params;
  const wide = dtype === 'float32' || dtype === 'float' ? 4 : 2;
  if (quantization && quantization.bitsPerWeight === null) return null;
  const bits = quantization?.bitsPerWeight ?? wide * 8;
  const bytes = Math.round((quantisable * bits) / 8 + other * wide);
  const billions = ((quantisable + other) / 1e9).toFixed(2);
  const how = quantization
    ? `${quantization.method} linear layers at ${bits} bits, embeddings and norms at ${wide * 8}`
    : `${wide * 8}-bit`;
  return { bytes, source: `estimated from ${billions}B parameters (${how})` };
}

/**
 * Picks the weights figure: the user's (`--weights-gib`) when given, since they know what
 * they deploy; else the checkpoint's safetensors index, unless the config quantises a
 * 16-bit checkpoint while loading (the index then counts 16-bit bytes); else the estimate.
 */
export function chooseWeights(input: {
  given: WeightsFigure | null;
  index: WeightsFigure | null;
  arch: ModelArchitecture | null;
  configQuantization: string | null;
  dtype: string | null;
}): WeightsFigure | null {
  if (input.given) return input.given;
  const quantisesOnLoad = input.configQuantization !== null && !input.arch?.quantization;
  if (input.index && !quantisesOnLoad) return input.index;
  if (!input.arch) return input.index;
  const quantization = effectiveQuantization(input.arch, input.configQuantization);
  return estimateWeights(input.arch, quantization, input.dtype) ?? input.index;
}
