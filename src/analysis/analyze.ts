import type { MemorySample } from '../memory/types.js';
import type { Reason } from '../verdict/types.js';
import { emptyFigures, seriesFigures } from './figures.js';
import { DEFAULT_MEMORY_POLICY, type MemoryPolicy } from './policy.js';
import { gpuLabel, metricLabel, seriesReasons } from './rules.js';
import { extractSeries, type SeriesGap } from './series.js';
import type {
  GpuRef,
  MemoryAnalysis,
  MemorySeries,
  SeriesAnalysis,
  SeriesVerdict,
} from './types.js';

/**
 * A GPU with nothing readable is never a silent pass: it fails the analysis unless memory
 * is optional. A metric unreadable on a GPU that another metric judged is only a warning.
 */
function unmeasuredReason(what: string, policy: MemoryPolicy, gpuBlind: boolean): Reason {
  const fails = policy.memoryRequired && gpuBlind;
  return {
    rule: 'memory-unmeasured',
    severity: fails ? 'fail' : 'warn',
    message: fails
      ? `${what}: memory could not be measured, so it cannot pass`
      : `${what}: memory could not be measured${gpuBlind ? ' (memory: optional, so this is a warning)' : ''}`,
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
      return unmeasuredReason(`${gpu}: neither BAR1, FB nor process memory`, policy, true);
  }
}

function unmeasuredSeries(series: MemorySeries, reasons: Reason[]): SeriesAnalysis {
  const { gpu, metric, ...rest } = emptyFigures(series);
  return { gpu, metric, verdict: 'unmeasured', ...rest, reasons };
}

function gpuKey(gpu: GpuRef): string {
  return gpu.uuid ?? `index:${gpu.index}`;
}

function judgeSeries(
  series: MemorySeries,
  policy: MemoryPolicy,
  blindGpus: ReadonlySet<string>,
): SeriesAnalysis {
  const { figures, evidence } = seriesFigures(series, policy);
  if (!evidence) {
    const what = `${metricLabel(series.metric)} on ${gpuLabel(series.gpu)}: no reading after the engine was ready`;
    const blind = blindGpus.has(gpuKey(series.gpu));
    return unmeasuredSeries(series, [unmeasuredReason(what, policy, blind)]);
  }
  const reasons = seriesReasons(figures, evidence, policy);
  const verdict: SeriesVerdict = reasons.some((r) => r.severity === 'fail') ? 'fail' : 'pass';
  // gpu, metric and verdict first: the order a person reads the JSON in.
  const { gpu, metric, ...rest } = figures;
  return { gpu, metric, verdict, ...rest, reasons };
}

/** Keys of the GPUs with no series that has a reading after the engine was ready. */
function blindGpus(inputs: readonly MemorySeries[], gaps: readonly SeriesGap[]): Set<string> {
  const measured = new Map<string, boolean>();
  for (const gap of gaps) measured.set(gpuKey(gap.gpu), measured.get(gpuKey(gap.gpu)) ?? false);
  for (const s of inputs) {
    const key = gpuKey(s.gpu);
    const readable = s.points.some((p) => p.phase !== 'baseline');
    measured.set(key, (measured.get(key) ?? false) || readable);
  }
  return new Set([...measured].filter(([, m]) => !m).map(([key]) => key));
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
  const blind = blindGpus(inputs, gaps);
  const series: SeriesAnalysis[] = inputs.map((s) => judgeSeries(s, policy, blind));
  const reasons: Reason[] = series.flatMap((s) => s.reasons);

  for (const gap of gaps) {
    const reason = gapReason(gap, policy);
    if (gap.kind === 'unmeasured') {
      const placeholder: MemorySeries = { gpu: gap.gpu, metric: 'fb', points: [], totalMiB: null };
      series.push(unmeasuredSeries(placeholder, [reason]));
    }
    reasons.push(reason);
  }
  if (series.length === 0) reasons.push(unmeasuredReason('No GPU was read', policy, true));

  const unmeasured = series.length === 0 || blind.size > 0;
  const verdict: SeriesVerdict = series.some((s) => s.verdict === 'fail')
    ? 'fail'
    : unmeasured && policy.memoryRequired
      ? 'unmeasured'
      : 'pass';
  return { verdict, series, reasons };
}
