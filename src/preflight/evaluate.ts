import type { ModelArchitecture } from './architecture.js';
import { type Bar1Check, type BudgetFigures, computeBudget } from './budget.js';
import type { FoundModel } from './find-model.js';
import { formatTokens } from './format-figures.js';
import type { GpuTotals } from './gpu-totals.js';
import { kvBytesForTokens, kvBytesPerToken, kvShareOfOneGpu } from './kv-cache.js';
import { kvElementBytes } from './kv-dtype.js';
import { modelWindow, ropeFindings, ropeReach } from './rope-checks.js';
import type { EngineName, Finding, ServingConfig } from './types.js';
import { chooseWeights, type WeightsFigure } from './weights.js';

export type PreflightVerdict = 'pass' | 'warn' | 'fail';

/**
 * What preflight says of a candidate config. The top-level figures are those of
 * `serving-gate preflight --json`; KV figures are for the whole model (all tensor-parallel
 * ranks together), and `kvBudgetBytes` is in the same terms, so `kvBytesAtMaxContext >
 * kvBudgetBytes` means one full-length sequence does not fit. Per-GPU figures are in
 * `details.budget`.
 */
export interface PreflightResult {
  verdict: PreflightVerdict;
  engine: EngineName | null;
  model: string | null;
  maxContextTokens: number | null;
  kvBytesPerToken: number | null;
  kvBytesAtMaxContext: number | null;
  weightsBytes: number | null;
  kvBudgetBytes: number | null;
  findings: Finding[];
  details: PreflightDetails;
}

export interface PreflightDetails {
  file: string;
  form: ServingConfig['form'];
  service: string | null;
  tensorParallelSize: number;
  kvCacheDtype: string | null;
  architectureSource: string | null;
  weightsSource: string | null;
  gpuSource: string | null;
  /** The longest context that fits the KV budget (and BAR1, where it is the smaller). */
  largestContextTokens: number | null;
  budget: BudgetFigures | null;
}

export interface PreflightInputs {
  config: ServingConfig;
  model: FoundModel;
  gpu: GpuTotals | null;
  givenWeights: WeightsFigure | null;
  allowanceBytes: number;
  soakConcurrency: number | null;
  bar1Check: Bar1Check;
}

/** The pure half of runPreflight: plain data in, findings and figures out. */
export function evaluatePreflight(inputs: PreflightInputs): PreflightResult {
  const { config, gpu } = inputs;
  const file = config.file;
  const findings: Finding[] = [...(config.notes ?? [])];
  const tp = config.tensorParallelSize?.value ?? 1;

  const result: PreflightResult = {
    verdict: 'pass',
    engine: config.engine,
    model: config.model?.value ?? null,
    maxContextTokens: config.maxContextTokens?.value ?? null,
    kvBytesPerToken: null,
    kvBytesAtMaxContext: null,
    weightsBytes: null,
    kvBudgetBytes: null,
    findings,
    details: {
      file,
      form: config.form,
      service: config.service ?? null,
      tensorParallelSize: tp,
      kvCacheDtype: null,
      architectureSource: null,
      weightsSource: null,
      gpuSource: gpu?.source ?? null,
      largestContextTokens: null,
      budget: null,
    },
  };

  if (config.engine === null) {
    const where = config.engineSource ?? config.image ?? null;
    findings.push({
      rule: 'unknown-engine',
      severity: 'warning',
      message:
        `Could not tell which engine this config runs${config.service ? ` (service ${config.service}${config.image ? `, image ${config.image.value}` : ''})` : ''}: ` +
        'preflight reads vLLM, SGLang, TGI, llama.cpp server and Ollama. Nothing was checked.',
      file,
      line: where?.line ?? null,
    });
    return finish(result);
  }
  if (!config.model) {
    findings.push({
      rule: 'model-unknown',
      severity: 'warning',
      message:
        'The config names no model, so its KV cache, weights and rope scaling were not checked.' +
        (config.engine === 'ollama'
          ? ' Ollama loads models by request; give the Modelfile instead.'
          : ''),
      file,
      line: null,
    });
    return finish(result);
  }

  const arch = applyOverrides(inputs.model.architecture, config);
  if (!arch) {
    findings.push({
      rule: 'architecture-unknown',
      severity: 'warning',
      message:
        `No architecture is known for ${config.model.value}: preflight looked in ${inputs.model.searched.join(', ') || 'nothing'}. ` +
        "KV cache, weights and rope scaling were not checked; pass the model's config.json with --model-config.",
      file,
      line: config.model.line,
    });
    return finish(result);
  }
  result.details.architectureSource = arch.source;

  const window = modelWindow(arch);
  const reach = config.ropeScaling
    ? ropeReach(config.ropeScaling.value, arch.maxPositionEmbeddings)
    : window;
  const context = config.maxContextTokens?.value ?? reach ?? window;
  if (context === null) {
    findings.push({
      rule: 'context-unknown',
      severity: 'warning',
      message:
        'Neither the config nor the model says how long a context is; KV cache was not sized.',
      file,
      line: null,
    });
    return finish(result);
  }
  result.maxContextTokens = context;
  if (!config.maxContextTokens) {
    findings.push({
      rule: 'context-default',
      severity: 'info',
      message: `The config sets no maximum context; the engine's default is sized here as the model's ${formatTokens(context)} tokens (the most it will take). Set it explicitly so the gate tests what production serves.`,
      file,
      line: null,
    });
  }
  findings.push(
    ...ropeFindings({
      config,
      arch,
      maxContextTokens: context,
      contextAt: config.maxContextTokens,
    }),
  );
  if (config.engine === 'llamacpp' && (config.maxNumSeqs?.value ?? 1) > 1) {
    const slots = config.maxNumSeqs!.value;
    findings.push({
      rule: 'context-per-slot',
      severity: 'info',
      message: `llama.cpp splits the ${formatTokens(context)}-token context over ${slots} slots: each request gets ${formatTokens(Math.floor(context / slots))} tokens.`,
      file,
      line: config.maxNumSeqs!.line,
    });
  }

  const kvBytes = kvElementBytes(
    config.engine,
    config.kvCacheDtype?.value ?? null,
    config.kvCacheDtypeV?.value ?? null,
    config.dtype?.value ?? null,
  );
  if (!kvBytes.known) {
    findings.push({
      rule: 'kv-dtype-unknown',
      severity: 'warning',
      message: `KV cache dtype ${kvBytes.label}: figures assume 2 bytes per element.`,
      file,
      line: config.kvCacheDtype?.line ?? null,
    });
  }
  result.details.kvCacheDtype = kvBytes.label;
  result.kvBytesPerToken = kvBytesPerToken(arch, kvBytes);
  result.kvBytesAtMaxContext = kvBytesForTokens(arch, kvBytes, context);

  const weights = chooseWeights({
    given: inputs.givenWeights,
    index: inputs.model.index,
    arch,
    configQuantization: config.quantization?.value ?? null,
    dtype: config.dtype?.value ?? null,
  });
  if (weights) {
    result.weightsBytes = weights.bytes;
    result.details.weightsSource = weights.source;
  } else {
    findings.push({
      rule: 'weights-unknown',
      severity: 'warning',
      message: `The weight size of ${config.model.value} is unknown (no safetensors index, and the quantisation's width is not known); the memory budget was not checked. Pass --weights-gib.`,
      file,
      line: config.model.line,
    });
  }

  if (!gpu) {
    findings.push({
      rule: 'gpu-unknown',
      severity: 'warning',
      message:
        'No GPU totals were given, so the memory budget was not checked. Pass --gpu-memory 80GiB, or --smi with a saved nvidia-smi -q -x.',
      file,
      line: null,
    });
  }

  if (weights && gpu) {
    const budget = computeBudget({
      config,
      arch,
      kvBytes,
      maxContextTokens: context,
      contextAt: config.maxContextTokens,
      capTokens: Math.max(context, reach ?? window ?? context),
      weights,
      gpu,
      allowanceBytes: inputs.allowanceBytes,
      soakConcurrency: inputs.soakConcurrency,
      bar1Check: inputs.bar1Check,
    });
    findings.push(...budget.findings);
    result.details.budget = budget.figures;
    result.kvBudgetBytes = Math.round(
      budget.figures.kvBudgetPerGpuBytes / kvShareOfOneGpu(arch, tp),
    );
    const fits = [budget.figures.largestContextTokens, budget.figures.bar1?.largestContextTokens];
    const known = fits.filter((t): t is number => t !== null && t !== undefined);
    result.details.largestContextTokens =
      budget.figures.kvBudgetPerGpuBytes <= 0 ? null : known.length > 0 ? Math.min(...known) : null;
  }
  return finish(result);
}

/** Config overrides of the model's figures (`hf-overrides: {max_position_embeddings: ...}`). */
function applyOverrides(
  arch: ModelArchitecture | null,
  config: ServingConfig,
): ModelArchitecture | null {
  if (!arch) return null;
  const max = config.modelOverrides?.value.max_position_embeddings;
  if (typeof max !== 'number' || max <= 0) return arch;
  return { ...arch, maxPositionEmbeddings: max };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function finish(result: PreflightResult): PreflightResult {
  result.findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  result.verdict = result.findings.some((f) => f.severity === 'error')
    ? 'fail'
    : result.findings.some((f) => f.severity === 'warning')
      ? 'warn'
      : 'pass';
  return result;
}
