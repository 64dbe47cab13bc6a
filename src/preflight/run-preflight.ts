import type { Bar1Check } from './budget.js';
import { DEFAULT_RUNTIME_ALLOWANCE_BYTES } from './budget.js';
import { evaluatePreflight, type PreflightResult } from './evaluate.js';
import { findModel } from './find-model.js';
import type { GpuTotals } from './gpu-totals.js';
import { readServingConfig } from './read-config.js';
import type { ServingConfig } from './types.js';

export interface PreflightOptions {
  /** A path (read with readServingConfig) or a config already read. */
  config: string | ServingConfig;
  /** Compose only: the service to read. */
  service?: string;
  /** The name findings give the config file, when `config` is a path (default: the path). */
  displayName?: string;
  /** `--model-config FILE`. */
  modelConfigPath?: string;
  /** For HF_HOME / HF_HUB_CACHE. */
  env?: NodeJS.ProcessEnv;
  /** The GPU's totals (from `--gpu-memory`, `--smi FILE`, or the runner's nvidia-smi). */
  gpu?: GpuTotals | null;
  /** `--weights-gib`, in bytes: wins over the index and the estimate. */
  weightsBytes?: number | null;
  /** Memory per GPU for activations and runtime (default 2 GiB, see budget.ts). */
  runtimeAllowanceBytes?: number;
  /** Requests the soak will run at once. */
  soakConcurrency?: number | null;
  /** How a config that does not fit BAR1 is reported (default `error`). */
  bar1Check?: Bar1Check;
}

/** Reads the config and the model's architecture, then judges them. Synchronous. */
export function runPreflight(options: PreflightOptions): PreflightResult {
  const config =
    typeof options.config === 'string'
      ? readServingConfig(options.config, {
          ...(options.service === undefined ? {} : { service: options.service }),
          ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
        })
      : options.config;
  const model = findModel(config.model?.value ?? null, {
    ...(options.modelConfigPath === undefined ? {} : { modelConfigPath: options.modelConfigPath }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const given =
    options.weightsBytes === null || options.weightsBytes === undefined
      ? null
      : { bytes: options.weightsBytes, source: 'given with --weights-gib' };
  return evaluatePreflight({
    config,
    model,
    gpu: options.gpu ?? null,
    givenWeights: given,
    allowanceBytes: options.runtimeAllowanceBytes ?? DEFAULT_RUNTIME_ALLOWANCE_BYTES,
    soakConcurrency: options.soakConcurrency ?? null,
    bar1Check: options.bar1Check ?? 'error',
  });
}
