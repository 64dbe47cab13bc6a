import type { EngineName } from './types.js';

/** Bytes per stored K and V element, and how the choice reads in a report. */
export interface KvElementBytes {
  k: number;
  v: number;
  label: string;
  /** False when the dtype was not recognised and 2 bytes were assumed. */
  known: boolean;
}

/**
 * llama.cpp and Ollama cache types. Block formats store 32 values with a 16-bit scale (and
 * a 16-bit minimum for the `_1` kinds): q8_0 is 34 bytes per 32 values, q4_0 18, and so on.
 */
const GGML_TYPES: Record<string, number> = {
  f32: 4,
  f16: 2,
  bf16: 2,
  q8_0: 34 / 32,
  q5_1: 24 / 32,
  q5_0: 22 / 32,
  q4_1: 20 / 32,
  q4_0: 18 / 32,
  iq4_nl: 18 / 32,
};

/**
 * 16-bit unless the config asks for float32: with `dtype: auto` vLLM and SGLang serve a
 * float32 checkpoint in 16 bits, so the checkpoint's dtype never makes it 4.
 */
function modelElementBytes(dtype: string | null): number {
  return dtype === 'float32' || dtype === 'float' ? 4 : 2;
}

/**
 * Bytes of each cached element. `kvDtype` is the config's KV cache dtype (null: the
 * engine's default), `dtype` the config's model dtype.
 */
export function kvElementBytes(
  engine: EngineName | null,
  kvDtype: string | null,
  kvDtypeV: string | null,
  dtype: string | null,
): KvElementBytes {
  if (engine === 'llamacpp' || engine === 'ollama') {
    const k = (kvDtype ?? 'f16').toLowerCase();
    const v = (kvDtypeV ?? kvDtype ?? 'f16').toLowerCase();
    const kb = GGML_TYPES[k];
    const vb = GGML_TYPES[v];
    return {
      k: kb ?? 2,
      v: vb ?? 2,
      label: k === v ? k : `K ${k}, V ${v}`,
      known: kb !== undefined && vb !== undefined,
    };
  }

  const model = modelElementBytes(dtype);
  const kv = (kvDtype ?? 'auto').toLowerCase();
  if (kv === 'auto') {
    return { k: model, v: model, label: `auto (the model's ${model * 8}-bit dtype)`, known: true };
  }
  if (kv.startsWith('fp8')) return { k: 1, v: 1, label: kv, known: true };
  if (['bfloat16', 'float16', 'half', 'fp16', 'bf16'].includes(kv)) {
    return { k: 2, v: 2, label: kv, known: true };
  }
  if (kv === 'float32' || kv === 'float') return { k: 4, v: 4, label: kv, known: true };
  return { k: 2, v: 2, label: `${kv} (not known; 2 bytes assumed)`, known: false };
}
