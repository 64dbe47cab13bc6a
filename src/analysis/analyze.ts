import type { MemorySample } from '../memory/types.js';
import type { Reason } from '../verdict/types.js';
import { seriesFigures } from './figures.js';
import { DEFAULT_MEMORY_POLICY, type MemoryPolicy } from './policy.js';
import { gpuLabel, metricLabel, seriesReasons } from './rules.js';
import { extractSeries, type SeriesGap } from './series.js';
import type { MemoryAnalysis, MemorySeries, SeriesAnalysis, SeriesVerdict } from './types.js';

function unmeasuredReason(what: string, policy: MemoryPolicy): Reason {
  return {
    rule: 'memory-unmeasured',
    severity: policy.memoryRequired ? 'fail' : 'warn',
    message: policy.memoryRequired
      ? `${what}: memory could not be measured, so it cannot pass`
      : `${what}: memory could not be measured (memory: optional, so this is a warning)`,
  };
}

function gapReason(gap: SeriesGap, policy: MemoryPolicy): Reason {
  const gpu = gpuLabel(gap.gpu);
  const judged = gap.judged ? metricLabel(gap.judged) : null;
  switch (gap.kind) {
    case 'bar1-unavailable':
      return {
        rule: 'bar1-unavailable',
        severity: 'warn',
        message: `BAR1 is unreadable on ${gpu}: ${judged} is judged instead`,
        figures: { gpuIndex: gap.gpu.index, judged: gap.judged },
      };
    case 'mig-fb-unavailable':
      return {
        rule: 'mig-fb-unavailable',
        severity: 'warn',
        message: `MIG is on for ${gpu} but no instance's FB is readable: the whole GPU's ${judged} is judged instead`,
        figures: { gpuIndex: gap.gpu.index, judged: gap.judged },
      };
    case 'fb-unavailable':
      return {
        rule: 'fb-unavailable',
        severity: 'warn',
        message: `FB is unreadable on ${gpu}: ${judged} is judged instead`,
        figures: { gpuIndex: gap.gpu.index, judged: gap.judged },
      };
    case 'unmeasured':
      return unmeasuredReason(`${gpu}: neither BAR1, FB nor process memory`, policy);
  }
}

function unmeasuredSeries(series: MemorySeries, reasons: Reason[]): SeriesAnalysis {
  return {
    ...seriesFigures({ ...series, points: [] }, DEFAULT_MEMORY_POLICY).figures,
    verdict: 'unmeasured',
    reasons,
  };
}

function analyzeSeries(series: MemorySeries, policy: MemoryPolicy): SeriesAnalysis {
  const { figures, evidence } = seriesFigures(series, policy);
  if (!evidence) {
    const what = `${metricLabel(series.metric)} on ${gpuLabel(series.gpu)}: no reading after the engine was ready`;
    return unmeasuredSeries(series, [unmeasuredReason(what, policy)]);
  }
  const reasons = seriesReasons(figures, evidence, policy);
  const verdict: SeriesVerdict = reasons.some((r) => r.severity === 'fail') ? 'fail' : 'pass';
  return { ...figures, verdict, reasons };
}

/**
 * Judges GPU memory over a gate's samples: one series per GPU and metric, each with its
 * figures, verdict and reasons, and an overall verdict. `fail` when any series fails;
 * `unmeasured` when memory is required and a GPU (or every GPU) could not be read; `pass`
 * otherwise, with warnings for what was judged on a fallback metric.
 */
export function analyzeMemory(
  samples: readonly MemorySample[],
  policy: MemoryPolicy = DEFAULT_MEMORY_POLICY,
): MemoryAnalysis {
  const { series: inputs, gaps } = extractSeries(samples);
  const series: SeriesAnalysis[] = inputs.map((s) => analyzeSeries(s, policy));
  const reasons: Reason[] = series.flatMap((s) => s.reasons);

  for (const gap of gaps) {
    const reason = gapReason(gap, policy);
    if (gap.kind === 'unmeasured') {
      const placeholder: MemorySeries = { gpu: gap.gpu, metric: 'fb', points: [], totalMiB: null };
      series.push(unmeasuredSeries(placeholder, [reason]));
    }
    reasons.push(reason);
  }
  if (series.length === 0) {
    reasons.push(unmeasuredReason('No GPU was read', policy));
  }

  const verdict: SeriesVerdict = series.some((s) => s.verdict === 'fail')
    ? 'fail'
    : hasUnmeasuredGpu(series) && policy.memoryRequired
      ? 'unmeasured'
      : 'pass';
  return { verdict, series, reasons };
}

/** True when no GPU was read, or some GPU has no series that could be measured. */
function hasUnmeasuredGpu(series: readonly SeriesAnalysis[]): boolean {
  if (series.length === 0) return true;
  const measured = new Map<string, boolean>();
  for (const s of series) {
    const key = s.gpu.uuid ?? `index:${s.gpu.index}`;
    measured.set(key, (measured.get(key) ?? false) || s.verdict !== 'unmeasured');
  }
  return [...measured.values()].some((m) => !m);
}
