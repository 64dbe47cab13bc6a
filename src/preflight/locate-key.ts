import type { Located, ServingConfig } from './types.js';

/** The config's line for a key the user would name (`max-model-len`, `--max-model-len`, `num_ctx`). */
export function locateConfigKey(
  config: ServingConfig,
  key: string | undefined,
): { file?: string; line?: number } {
  if (key === undefined) return { file: config.file };
  const wanted = key.replace(/^-+/, '').replace(/_/g, '-');
  const fields: (Located<unknown> | null | undefined)[] = [
    config.model,
    config.maxContextTokens,
    config.ropeScaling,
    config.kvCacheDtype,
    config.tensorParallelSize,
    config.gpuMemoryUtilization,
    config.maxNumSeqs,
  ];
  const hit = fields.find((f) => f && f.key.replace(/^-+/, '').replace(/_/g, '-') === wanted);
  // Context faults concern the context line whatever the engine calls it.
  const context = ['max-model-len', 'context-length', 'max-total-tokens', 'ctx-size', 'num-ctx'];
  const found = hit ?? (context.includes(wanted) ? config.maxContextTokens : null);
  return found ? { file: found.file, line: found.line } : { file: config.file };
}
