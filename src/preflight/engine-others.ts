import {
  type EngineFields,
  emptyFields,
  located,
  otherOverrides,
  ropeFromObject,
} from './engine-fields.js';
import {
  at,
  readInteger,
  readJsonObject,
  readNumber,
  readString,
  readTokenCount,
  type Setting,
} from './settings.js';
import type { EngineName, Located } from './types.js';

/**
 * The settings preflight reads from SGLang, TGI, llama.cpp server and Ollama, by flag
 * (normalised long name) and by environment variable. A flag wins over its variable, as
 * in each engine. Flags not listed are left alone: these engines are not checked key by
 * key the way a vLLM config is.
 */
interface Spec {
  flags: string[];
  env?: string[];
}

type Specs = Partial<
  Record<keyof Omit<EngineFields, 'notes'> | 'ropeType' | 'ropeFactor' | 'ropeOriginal', Spec>
>;

const SPECS: Record<Exclude<EngineName, 'vllm' | 'openai'>, Specs> = {
  sglang: {
    model: { flags: ['model-path', 'model'] },
    maxContextTokens: { flags: ['context-length'] },
    modelOverrides: { flags: ['json-model-override-args'] },
    kvCacheDtype: { flags: ['kv-cache-dtype'] },
    tensorParallelSize: { flags: ['tp-size', 'tp', 'tensor-parallel-size'] },
    gpuMemoryUtilization: { flags: ['mem-fraction-static'] },
    maxNumSeqs: { flags: ['max-running-requests'] },
    dtype: { flags: ['dtype'] },
    quantization: { flags: ['quantization'] },
  },
  tgi: {
    model: { flags: ['model-id'], env: ['MODEL_ID'] },
    maxContextTokens: { flags: ['max-total-tokens'], env: ['MAX_TOTAL_TOKENS'] },
    ropeType: { flags: ['rope-scaling'], env: ['ROPE_SCALING'] },
    ropeFactor: { flags: ['rope-factor'], env: ['ROPE_FACTOR'] },
    kvCacheDtype: { flags: ['kv-cache-dtype'], env: ['KV_CACHE_DTYPE'] },
    tensorParallelSize: { flags: ['num-shard'], env: ['NUM_SHARD'] },
    gpuMemoryUtilization: { flags: ['cuda-memory-fraction'], env: ['CUDA_MEMORY_FRACTION'] },
    maxNumSeqs: { flags: ['max-batch-size'], env: ['MAX_BATCH_SIZE'] },
    dtype: { flags: ['dtype'], env: ['DTYPE'] },
    quantization: { flags: ['quantize'], env: ['QUANTIZE'] },
  },
  llamacpp: {
    model: { flags: ['model', 'hf-repo'], env: ['LLAMA_ARG_MODEL', 'LLAMA_ARG_HF_REPO'] },
    maxContextTokens: { flags: ['ctx-size'], env: ['LLAMA_ARG_CTX_SIZE'] },
    ropeType: { flags: ['rope-scaling'], env: ['LLAMA_ARG_ROPE_SCALING_TYPE'] },
    ropeFactor: { flags: ['rope-scale'], env: ['LLAMA_ARG_ROPE_SCALE'] },
    ropeOriginal: { flags: ['yarn-orig-ctx'], env: ['LLAMA_ARG_YARN_ORIG_CTX'] },
    kvCacheDtype: { flags: ['cache-type-k'], env: ['LLAMA_ARG_CACHE_TYPE_K'] },
    kvCacheDtypeV: { flags: ['cache-type-v'], env: ['LLAMA_ARG_CACHE_TYPE_V'] },
    maxNumSeqs: { flags: ['parallel'], env: ['LLAMA_ARG_N_PARALLEL'] },
  },
  ollama: {
    maxContextTokens: { flags: ['num-ctx'], env: ['OLLAMA_CONTEXT_LENGTH'] },
    kvCacheDtype: { flags: [], env: ['OLLAMA_KV_CACHE_TYPE'] },
    maxNumSeqs: { flags: [], env: ['OLLAMA_NUM_PARALLEL'] },
  },
};

/** Short flags, by long name, for the engines that have them. */
export const SHORT_FLAGS: Partial<Record<EngineName, Record<string, string>>> = {
  llamacpp: {
    '-m': 'model',
    '-hf': 'hf-repo',
    '-hfr': 'hf-repo',
    '-c': 'ctx-size',
    '-ctk': 'cache-type-k',
    '-ctv': 'cache-type-v',
    '-np': 'parallel',
    '-ngl': 'n-gpu-layers',
    '-fa': 'flash-attn',
    '-t': 'threads',
  },
  sglang: { '--tp': 'tp-size' },
};

export function readEngineSettings(
  engine: Exclude<EngineName, 'vllm' | 'openai'>,
  settings: readonly Setting[],
  env: Record<string, Located<string>>,
): EngineFields {
  const specs = SPECS[engine];
  const fields = emptyFields();
  const find = (spec: Spec | undefined) => (spec ? pick(settings, env, spec) : null);

  const model = find(specs.model);
  if (model) fields.model = located(model, readString(model));
  const context = find(specs.maxContextTokens);
  if (context) {
    const tokens = readTokenCount(context);
    if (tokens !== null) fields.maxContextTokens = located(context, tokens);
  }
  const tp = find(specs.tensorParallelSize);
  if (tp) fields.tensorParallelSize = located(tp, readInteger(tp, { min: 1 }));
  const util = find(specs.gpuMemoryUtilization);
  if (util) fields.gpuMemoryUtilization = located(util, readNumber(util, { min: 0.01, max: 1 }));
  const seqs = find(specs.maxNumSeqs);
  if (seqs) fields.maxNumSeqs = located(seqs, readInteger(seqs, { min: 1 }));
  for (const key of ['kvCacheDtype', 'kvCacheDtypeV', 'dtype', 'quantization'] as const) {
    const s = find(specs[key]);
    if (s) fields[key] = located(s, readString(s));
  }

  const overrides = find(specs.modelOverrides);
  if (overrides) {
    const object = readJsonObject(overrides);
    const rope = ropeFromObject(object.rope_scaling ?? object.rope_parameters, at(overrides));
    if (rope) fields.ropeScaling = located(overrides, rope);
    const rest = otherOverrides(object);
    if (rest) fields.modelOverrides = located(overrides, rest);
  }

  const ropeType = find(specs.ropeType);
  if (ropeType) {
    const type = readString(ropeType);
    const factor = find(specs.ropeFactor);
    const original = find(specs.ropeOriginal);
    if (type !== 'none') {
      fields.ropeScaling = located(ropeType, {
        type,
        factor: factor ? readNumber(factor, { min: 0 }) : null,
        // llama.cpp reads 0 as "the model's training context", the same as not giving it.
        originalMaxPositionEmbeddings: original ? readInteger(original, { min: 0 }) || null : null,
      });
    }
  }
  return fields;
}

function pick(
  settings: readonly Setting[],
  env: Record<string, Located<string>>,
  spec: Spec,
): Setting | null {
  // The last occurrence wins, as with argparse and clap.
  const flag = settings.findLast((s) => spec.flags.includes(s.name));
  if (flag) return flag;
  for (const name of spec.env ?? []) {
    const v = env[name];
    if (v)
      return {
        key: name,
        name,
        path: [],
        file: v.file,
        line: v.line,
        value: { kind: 'text', text: v.value },
      };
  }
  return null;
}
