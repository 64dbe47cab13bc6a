import type { ModelArchitecture } from './architecture.js';
import { formatBytes, formatTokens } from './format-figures.js';
import type { GpuTotals } from './gpu-totals.js';
import { kvBytesForTokens, kvShareOfOneGpu, largestContextFitting } from './kv-cache.js';
import type { KvElementBytes } from './kv-dtype.js';
import type { Finding, FindingSeverity, Located, ServingConfig } from './types.js';
import type { WeightsFigure } from './weights.js';

/**
 * Memory the engine needs besides weights and KV cache, per GPU: the activation peak of a
 * prefill chunk, CUDA graphs, the sampler's warm-up, NCCL and cuBLAS workspaces. 2 GiB
 * matches what vLLM's own profiling reported for Llama-3.1-8B on a 24 GiB card (a peak
 * 2.1–3.0 GiB above the 15 GiB of weights, vllm#10517) and is the gap between the KV
 * cache of a 131K-token Qwen3-30B-A3B FP8 sequence (6 GiB) and the 8 GiB such a request
 * took in the story behind this gate. Set it with `--runtime-allowance`.
 */
export const DEFAULT_RUNTIME_ALLOWANCE_BYTES = 2 * 1024 ** 3;

/** Above this share of the KV budget, a fit is reported as tight. */
const TIGHT_SHARE = 0.8;

/** The share of GPU memory an engine takes when the config does not say. */
const DEFAULT_UTILIZATION: Record<string, { value: number; source: string }> = {
  vllm: { value: 0.9, source: "vLLM's default gpu-memory-utilization" },
  sglang: {
    value: 0.88,
    source: "about SGLang's default mem-fraction-static (it varies with the GPU)",
  },
  tgi: { value: 1, source: "TGI's default cuda-memory-fraction" },
  llamacpp: { value: 1, source: 'llama.cpp takes what it allocates' },
  ollama: { value: 1, source: 'Ollama takes what it allocates' },
};

export type Bar1Check = 'error' | 'warning' | 'off';

export interface BudgetInput {
  config: ServingConfig;
  arch: ModelArchitecture;
  kvBytes: KvElementBytes;
  maxContextTokens: number;
  /** The line that sets the context, or null when it is the engine's default. */
  contextAt: Located<number> | null;
  /** The model's reach: the largest context worth suggesting. */
  capTokens: number;
  weights: WeightsFigure;
  gpu: GpuTotals;
  allowanceBytes: number;
  /** Requests the soak runs at once, when known. */
  soakConcurrency: number | null;
  bar1Check: Bar1Check;
}

export interface Bar1Figures {
  totalBytes: number;
  usedBytes: number;
  /** BAR1 left for one sequence: total − used − the runtime allowance. */
  availableBytes: number;
  largestContextTokens: number | null;
}

export interface BudgetFigures {
  gpuTotalBytes: number;
  utilization: number;
  utilizationSource: string;
  tensorParallelSize: number;
  /** GPU memory the engine may use: total × utilisation. */
  usableBytes: number;
  weightsPerGpuBytes: number;
  allowanceBytes: number;
  /** What is left for KV cache on each GPU (negative: the weights alone do not fit). */
  kvBudgetPerGpuBytes: number;
  /** KV cache the engine allocates for the configured context, on each GPU. */
  kvAtMaxContextPerGpuBytes: number;
  /** One GPU's part of the whole model's KV cache (1 for MLA, 1/TP for GQA). */
  kvShareOfOneGpu: number;
  /** How many full-length sequences fit the budget at once. */
  fullLengthSequences: number;
  largestContextTokens: number | null;
  bar1: Bar1Figures | null;
}

export function computeBudget(input: BudgetInput): { figures: BudgetFigures; findings: Finding[] } {
  const { config, arch, kvBytes, gpu } = input;
  const engine = config.engine ?? 'vllm';
  const tp = config.tensorParallelSize?.value ?? 1;
  const utilization = config.gpuMemoryUtilization
    ? {
        value: config.gpuMemoryUtilization.value,
        source: `${config.gpuMemoryUtilization.key} ${config.gpuMemoryUtilization.value}`,
      }
    : (DEFAULT_UTILIZATION[engine] ?? { value: 0.9, source: 'an assumed 0.9' });

  const usable = Math.round(gpu.fbTotalBytes * utilization.value);
  const weightsPerGpu = Math.round(input.weights.bytes / tp);
  const budget = usable - weightsPerGpu - input.allowanceBytes;
  const share = kvShareOfOneGpu(arch, tp);
  // Ollama allocates num_ctx for each parallel slot; the others allocate per sequence.
  const copies = engine === 'ollama' ? (config.maxNumSeqs?.value ?? 1) : 1;
  const kvAtMax = Math.round(
    kvBytesForTokens(arch, kvBytes, input.maxContextTokens) * share * copies,
  );
  const largest =
    budget > 0
      ? largestContextFitting(arch, kvBytes, budget / share / copies, input.capTokens)
      : null;

  const figures: BudgetFigures = {
    gpuTotalBytes: gpu.fbTotalBytes,
    utilization: utilization.value,
    utilizationSource: utilization.source,
    tensorParallelSize: tp,
    usableBytes: usable,
    weightsPerGpuBytes: weightsPerGpu,
    allowanceBytes: input.allowanceBytes,
    kvBudgetPerGpuBytes: budget,
    kvAtMaxContextPerGpuBytes: kvAtMax,
    kvShareOfOneGpu: share,
    fullLengthSequences: budget > 0 && kvAtMax > 0 ? Math.floor(budget / kvAtMax) : 0,
    largestContextTokens: largest,
    bar1: null,
  };

  const findings: Finding[] = [];
  const file = config.file;
  const contextLine = input.contextAt?.line ?? null;
  const contextWords = input.contextAt
    ? `sequence at ${input.contextAt.key} ${formatTokens(input.maxContextTokens)}`
    : `sequence of ${formatTokens(input.maxContextTokens)} tokens`;
  const perGpu = tp > 1 ? ' per GPU' : '';
  const gpuWords = `${tp > 1 ? 'each ' : 'the '}${formatBytes(gpu.fbTotalBytes)} GPU`;
  const leftWords =
    `${formatBytes(usable)} at ${utilization.source}, less ${formatBytes(weightsPerGpu)} of weights` +
    `${tp > 1 ? ` (÷ tensor-parallel-size ${tp})` : ''} and the ${formatBytes(input.allowanceBytes)} runtime allowance`;

  if (budget <= 0) {
    const line =
      config.tensorParallelSize?.line ??
      config.gpuMemoryUtilization?.line ??
      config.model?.line ??
      null;
    findings.push({
      rule: 'weights-exceed-budget',
      severity: 'error',
      message:
        `The weights do not fit: ${leftWords} leaves ${formatBytes(budget)} on ${gpuWords}, nothing for the KV cache. ` +
        'Spread the model over more GPUs (tensor-parallel-size), serve a quantised checkpoint, or use a larger GPU.',
      file,
      line,
    });
  } else if (kvAtMax > budget) {
    findings.push({
      rule: 'kv-exceeds-budget',
      severity: 'error',
      message:
        `One ${contextWords} needs ${formatBytes(kvAtMax)} of KV cache${perGpu} (${kvBytes.label}), ` +
        `but only ${formatBytes(budget)} is left on ${gpuWords}: ${leftWords}. ` +
        `${largestWords(largest)}${kvAdvice(config, kvBytes)}`,
      file,
      line: contextLine,
    });
  } else if (kvAtMax > TIGHT_SHARE * budget) {
    findings.push({
      rule: 'kv-budget-tight',
      severity: 'warning',
      message:
        `One ${contextWords} fills ${Math.round((100 * kvAtMax) / budget)}% of the ${formatBytes(budget)} KV budget${perGpu}. ` +
        "The engine's own profiling may leave less: vLLM has refused 29,000 tokens on a card where 20,000 and 35,000 started (vllm#10517). " +
        'The deploy step tests the exact value.',
      file,
      line: contextLine,
    });
  }

  if (budget > 0 && input.soakConcurrency !== null && input.soakConcurrency > 1) {
    const need = kvAtMax * input.soakConcurrency;
    if (need > budget) {
      findings.push({
        rule: 'concurrency-exceeds-budget',
        severity: 'warning',
        message:
          `The soak runs ${input.soakConcurrency} requests at once; ${input.soakConcurrency} full-length sequences need ${formatBytes(need)} of KV cache${perGpu}, ` +
          `the budget holds ${figures.fullLengthSequences}. The engine queues or preempts the rest, so long-context soak requests wait.`,
        file,
        line: contextLine,
      });
    }
  }

  const bar1 = bar1Check(input, kvAtMax, share, copies, contextWords);
  figures.bar1 = bar1.figures;
  findings.push(...bar1.findings);
  return { figures, findings };
}

/**
 * The same comparison against BAR1 where the aperture is smaller than the framebuffer
 * (small-BAR consumer cards, some WSL2 setups, the 8 GiB aperture of the story behind the
 * gate): BAR1 total, less what is already mapped (with the model loaded, the model's
 * share), less the runtime allowance, against the KV cache of one full-length sequence.
 * MIG instances are gated on FB only: their whole-GPU BAR1 is a constant.
 */
function bar1Check(
  input: BudgetInput,
  kvAtMax: number,
  share: number,
  copies: number,
  contextWords: string,
): { figures: Bar1Figures | null; findings: Finding[] } {
  const { gpu, config } = input;
  if (input.bar1Check === 'off' || gpu.migEnabled || gpu.bar1TotalBytes === null) {
    return { figures: null, findings: [] };
  }
  if (gpu.bar1TotalBytes >= gpu.fbTotalBytes) return { figures: null, findings: [] };

  const used = gpu.bar1UsedBytes ?? 0;
  const available = gpu.bar1TotalBytes - used - input.allowanceBytes;
  const largest =
    available > 0
      ? largestContextFitting(
          input.arch,
          input.kvBytes,
          available / share / copies,
          input.capTokens,
        )
      : null;
  const figures: Bar1Figures = {
    totalBytes: gpu.bar1TotalBytes,
    usedBytes: used,
    availableBytes: available,
    largestContextTokens: largest,
  };
  if (kvAtMax + input.allowanceBytes <= gpu.bar1TotalBytes - used) return { figures, findings: [] };

  const severity: FindingSeverity = input.bar1Check;
  return {
    figures,
    findings: [
      {
        rule: 'bar1-exceeds-budget',
        severity,
        message:
          `BAR1 is ${formatBytes(gpu.bar1TotalBytes)}, smaller than the ${formatBytes(gpu.fbTotalBytes)} FB, ` +
          `and ${formatBytes(used)} of it is already mapped; one ${contextWords} needs ${formatBytes(kvAtMax)} of KV cache ` +
          `plus the ${formatBytes(input.allowanceBytes)} runtime allowance = ${formatBytes(kvAtMax + input.allowanceBytes)}, ` +
          `more than the ${formatBytes(gpu.bar1TotalBytes - used)} of BAR1 left. ${largestWords(largest, 'BAR1')}`,
        file: config.file,
        line: input.contextAt?.line ?? null,
      },
    ],
  };
}

function largestWords(tokens: number | null, what = 'the budget'): string {
  return tokens === null
    ? `Not even a short context fits ${what}.`
    : `The largest context that fits ${what} is ${formatTokens(tokens)} tokens.`;
}

function kvAdvice(config: ServingConfig, kvBytes: KvElementBytes): string {
  const engine = config.engine;
  if ((engine === 'vllm' || engine === 'sglang') && kvBytes.k > 1) {
    return ' An FP8 KV cache (kv-cache-dtype fp8) would halve it.';
  }
  if ((engine === 'llamacpp' || engine === 'ollama') && kvBytes.k >= 2) {
    return ' A q8_0 KV cache would about halve it.';
  }
  return '';
}
