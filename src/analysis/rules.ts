import { formatMiB } from '../units.js';
import type { Reason } from '../verdict/types.js';
import type { SeriesEvidence, SeriesFigures } from './figures.js';
import { BAR1_CEILING, type MemoryPolicy } from './policy.js';
import { MIN_TREND_POINTS } from './trend.js';
import type { GpuRef, MemoryMetric } from './types.js';

/**
 * A rise is a trend when Mann–Kendall says so at this level (one-sided). Strict, because the
 * rule projects the rise over hours: noise that looks like a trend one run in a hundred would
 * block one PR in a hundred on its own.
 */
export const TREND_P = 0.001;

export function gpuLabel(gpu: GpuRef): string {
  const name = gpu.name ? ` (${gpu.name})` : '';
  const mig = gpu.gpuInstanceId === undefined ? '' : `, MIG instance ${gpu.gpuInstanceId}`;
  return `GPU ${gpu.index}${name}${mig}`;
}

export function metricLabel(metric: MemoryMetric): string {
  return {
    bar1: 'BAR1',
    fb: 'FB',
    'mig-fb': 'FB',
    'process-sum': 'process memory',
  }[metric];
}

function hours(h: number): string {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  return h < 10 ? `${h.toFixed(1)} h` : `${Math.round(h)} h`;
}

function perRequest(f: SeriesFigures): string {
  if (f.slopeMiBPerRequest !== null) return `${signed(f.slopeMiBPerRequest)} per request`;
  if (f.slopeMiBPerHour !== null) return `${signed(f.slopeMiBPerHour)} per hour`;
  return 'no trend measured';
}

function signed(mib: number): string {
  const rounded = Math.abs(mib) >= 10 ? Math.round(mib) : Math.round(mib * 10) / 10;
  return `${rounded >= 0 ? '+' : ''}${rounded} MiB`;
}

function pValue(p: number | null): string {
  if (p === null) return 'p n/a';
  return p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`;
}

function projection(f: SeriesFigures): string {
  if (f.projectedExhaustionHours === null || f.totalMiB === null) return '';
  const [low, high] = f.projectedExhaustionHoursRange ?? [null, null];
  const range =
    low !== null && high !== null && hours(low) !== hours(high)
      ? ` (${hours(low)} to ${hours(high)})`
      : '';
  return `, projected to exhaust its ${formatMiB(f.totalMiB)} in ${hours(f.projectedExhaustionHours)}${range} at the soak's rate`;
}

function figuresOf(f: SeriesFigures): Reason['figures'] {
  return {
    metric: f.metric,
    gpuIndex: f.gpu.index,
    gpuUuid: f.gpu.uuid,
    baselineMiB: f.baselineMiB,
    settledMiB: f.settledMiB,
    peakMiB: f.peakMiB,
    totalMiB: f.totalMiB,
    growthMiB: f.growthMiB,
    slopeMiBPerRequest: f.slopeMiBPerRequest,
    slopeMiBPerHour: f.slopeMiBPerHour,
    projectedExhaustionHours: f.projectedExhaustionHours,
    trendPValue: f.trendPValue,
  };
}

function growthReason(f: SeriesFigures, policy: MemoryPolicy): Reason | null {
  const limit = f.metric === 'bar1' ? policy.maxBar1GrowthMiB : policy.maxFbGrowthMiB;
  if (f.growthMiB === null || f.growthMiB <= limit) return null;
  const what = `${metricLabel(f.metric)} on ${gpuLabel(f.gpu)}`;
  const grew = `grew ${formatMiB(f.growthMiB)} after warm-up (limit ${formatMiB(limit)})`;
  const givenBack = f.givenBackMiB ?? 0;
  if (f.growthMiB - givenBack <= limit) {
    return {
      rule: 'memory-reclaimable',
      severity: 'warn',
      message: `${what} ${grew}, but the soak gave ${formatMiB(givenBack)} back along the way: read as a cache that refills, not a leak`,
      figures: { ...figuresOf(f), limitMiB: limit, givenBackMiB: givenBack },
    };
  }
  // Name what was given back only when it is more than the noise of the figure.
  const retained =
    givenBack > Math.max(f.growthUncertaintyMiB ?? 0, 0.05 * f.growthMiB)
      ? `, ${formatMiB(f.growthMiB - givenBack)} of it never given back`
      : '';
  return {
    rule: f.metric === 'bar1' ? 'bar1-growth' : 'fb-growth',
    severity: 'fail',
    message: `${what} ${grew}${retained}: ${perRequest(f)}${projection(f)}`,
    figures: { ...figuresOf(f), limitMiB: limit, givenBackMiB: givenBack },
  };
}

function exhaustionReason(
  f: SeriesFigures,
  e: SeriesEvidence,
  policy: MemoryPolicy,
): Reason | null {
  const trend = e.trend;
  if (!trend || trend.pIncreasing >= TREND_P || f.plateau || e.releasedAtSettle) return null;
  if (trend.lower === null || trend.lower <= 0 || f.projectedExhaustionHours === null) return null;

  // Judged on the slow end of the slope's interval: fail only when even the slowest growth
  // the data allows runs out within the horizon.
  const slowestHours = f.projectedExhaustionHoursRange?.[1] ?? null;

  const what = `${metricLabel(f.metric)} on ${gpuLabel(f.gpu)}`;
  const rise = `rose ${perRequest(f)} with no plateau (${pValue(f.trendPValue)})`;
  if (slowestHours === null || slowestHours > policy.exhaustionHorizonHours) {
    return {
      rule: 'memory-trend',
      severity: 'warn',
      message: `${what} ${rise}${projection(f)}: not surely within the ${hours(policy.exhaustionHorizonHours)} horizon, so a warning`,
      figures: figuresOf(f),
    };
  }
  return {
    rule: 'memory-exhaustion',
    severity: 'fail',
    message: `${what} ${rise}${projection(f)}, within the ${hours(policy.exhaustionHorizonHours)} horizon`,
    figures: { ...figuresOf(f), horizonHours: policy.exhaustionHorizonHours },
  };
}

function ceilingReason(f: SeriesFigures, e: SeriesEvidence, policy: MemoryPolicy): Reason | null {
  if (f.peakShare === null || f.totalMiB === null) return null;
  const limit =
    f.metric === 'bar1' ? Math.min(policy.memoryCeiling, BAR1_CEILING) : policy.memoryCeiling;
  if (f.peakShare <= limit) return null;

  const what = `${metricLabel(f.metric)} on ${gpuLabel(f.gpu)}`;
  const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
  const peak = `peaked at ${formatMiB(f.peakMiB)} of ${formatMiB(f.totalMiB)} (${pct(f.peakShare)}, ceiling ${pct(limit)})`;
  const startShare = e.startMiB / f.totalMiB;
  // Only growth into the ceiling fails: an engine that reserves memory up front and stays
  // flat sits above it from the start, and that is its design, not a fault of the change.
  if (startShare > limit) {
    return {
      rule: 'memory-ceiling',
      severity: 'warn',
      message: `${what} ${peak}, but it was already at ${pct(startShare)} at the start of the soak: reserved up front, not grown into`,
      figures: { ...figuresOf(f), ceiling: limit },
    };
  }
  const bar1 = f.metric === 'bar1' ? '; BAR1 exhaustion can hard-lock the host' : '';
  return {
    rule: 'memory-ceiling',
    severity: 'fail',
    message: `${what} ${peak}, up from ${pct(startShare)} at the start of the soak${bar1}`,
    figures: { ...figuresOf(f), ceiling: limit },
  };
}

function warmupReason(f: SeriesFigures, policy: MemoryPolicy): Reason | null {
  const limit = f.metric === 'bar1' ? policy.maxBar1GrowthMiB : policy.maxFbGrowthMiB;
  if (!f.warmup.detected || f.warmup.absorbedMiB <= limit) return null;
  const span =
    f.warmup.requests !== null
      ? `${f.warmup.requests} requests`
      : `${Math.round(f.warmup.seconds)} s`;
  return {
    rule: 'memory-warmup-rise',
    severity: 'warn',
    message: `${metricLabel(f.metric)} on ${gpuLabel(f.gpu)} rose ${formatMiB(f.warmup.absorbedMiB)} within the soak's first ${span} and then held: read as warm-up (allocator ramp or CUDA-graph capture), not growth. If it was a leak, a longer soak will show it`,
    figures: { ...figuresOf(f), absorbedMiB: f.warmup.absorbedMiB, limitMiB: limit },
  };
}

function fewPointsReason(f: SeriesFigures): Reason | null {
  if (f.trendPoints >= MIN_TREND_POINTS) return null;
  return {
    rule: 'memory-few-samples',
    severity: 'warn',
    message: `${metricLabel(f.metric)} on ${gpuLabel(f.gpu)}: only ${f.trendPoints} idle points after warm-up, too few to judge a trend; growth and ceiling were still judged`,
    figures: figuresOf(f),
  };
}

/** The reasons one measured series gives: failures first, then warnings. */
export function seriesReasons(f: SeriesFigures, e: SeriesEvidence, policy: MemoryPolicy): Reason[] {
  return [
    growthReason(f, policy),
    exhaustionReason(f, e, policy),
    ceilingReason(f, e, policy),
    warmupReason(f, policy),
    fewPointsReason(f),
  ].filter((r): r is Reason => r !== null);
}
