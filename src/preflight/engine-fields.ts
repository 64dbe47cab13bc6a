import { GateError } from '../errors.js';
import type { Setting } from './settings.js';
import type { Finding, Located, RopeScaling, ServingConfig } from './types.js';

/** What an engine's settings say, before the reader adds the file, form and service. */
export type EngineFields = Pick<
  ServingConfig,
  | 'model'
  | 'maxContextTokens'
  | 'ropeScaling'
  | 'kvCacheDtype'
  | 'kvCacheDtypeV'
  | 'tensorParallelSize'
  | 'gpuMemoryUtilization'
  | 'maxNumSeqs'
  | 'dtype'
  | 'quantization'
  | 'modelOverrides'
> & { notes: Finding[] };

export function emptyFields(): EngineFields {
  return {
    model: null,
    maxContextTokens: null,
    ropeScaling: null,
    kvCacheDtype: null,
    kvCacheDtypeV: null,
    tensorParallelSize: null,
    gpuMemoryUtilization: null,
    maxNumSeqs: null,
    dtype: null,
    quantization: null,
    modelOverrides: null,
    notes: [],
  };
}

export function located<T>(setting: Setting, value: T, line = setting.line): Located<T> {
  return { value, file: setting.file, line, key: setting.key };
}

/**
 * Reads a rope-scaling object in either spelling: `rope_type` (current) or `type` (older
 * configs), and transformers 5's `rope_parameters`, which holds the same keys.
 */
export function ropeFromObject(value: unknown, where: string): RopeScaling | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GateError(
      'config',
      `${where}: rope scaling must be an object such as {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}`,
    );
  }
  const o = value as Record<string, unknown>;
  const type =
    typeof o.rope_type === 'string' ? o.rope_type : typeof o.type === 'string' ? o.type : null;
  if (type === null || type === 'default') {
    // transformers 5 keeps rope_theta in rope_parameters even with no scaling at all.
    if (o.factor === undefined) return null;
  }
  return {
    type: type ?? 'unknown',
    factor: numberOrNull(o.factor),
    originalMaxPositionEmbeddings: numberOrNull(o.original_max_position_embeddings),
  };
}

export function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return null;
}

/** Model config overrides other than rope scaling, or null when nothing is left. */
export function otherOverrides(overrides: Record<string, unknown>): Record<string, unknown> | null {
  const rest = Object.fromEntries(
    Object.entries(overrides).filter(([k]) => k !== 'rope_scaling' && k !== 'rope_parameters'),
  );
  return Object.keys(rest).length > 0 ? rest : null;
}
