import type { Phase } from '../memory/types.js';
import type { Reason } from '../verdict/types.js';

/**
 * What a series measures: whole-GPU BAR1 or FB, one MIG instance's FB, or the sum of the
 * processes' memory where FB cannot be read.
 */
export type MemoryMetric = 'bar1' | 'fb' | 'mig-fb' | 'process-sum';

export type SeriesVerdict = 'pass' | 'fail' | 'unmeasured';

export interface GpuRef {
  index: number;
  uuid: string | null;
  name: string | null;
  gpuInstanceId?: number;
}

/** One reading of one metric: only readings that are numbers become points. */
export interface SeriesPoint {
  tMs: number;
  requests: number;
  phase: Phase;
  usedMiB: number;
}

/** A series as the analysis receives it. */
export interface MemorySeries {
  gpu: GpuRef;
  metric: MemoryMetric;
  points: SeriesPoint[];
  /** The metric's total on this GPU (the median of the totals read); null when unknown. */
  totalMiB: number | null;
}

/**
 * The figures of one series and its verdict. Numbers are null where the data cannot give
 * them (no total, too few points, no request counts). Uncertainties are 95% intervals.
 */
export interface SeriesAnalysis {
  gpu: GpuRef;
  metric: MemoryMetric;
  verdict: SeriesVerdict;
  /** Post-warm-up baseline: the idle floor where the judged window starts. */
  baselineMiB: number | null;
  /** Highest reading after the engine was ready (in-flight peaks included). */
  peakMiB: number | null;
  /** Idle level at the end: the tail of settle, or the last floor of the soak. */
  settledMiB: number | null;
  totalMiB: number | null;
  /** Retained growth: settled − baseline. */
  growthMiB: number | null;
  /** ± half-width of the growth from the series' noise. */
  growthUncertaintyMiB: number | null;
  /**
   * The most the series gave back during the judged soak (a cache released and refilled):
   * growth up to this much is shown to be reclaimable, and is not counted as retained.
   */
  givenBackMiB: number | null;
  /**
   * Rate of growth, of memory that is not given back: the lower of the floor's Theil–Sen
   * slope and its lower envelope's, so a sawtooth's refills do not count as growth.
   */
  slopeMiBPerHour: number | null;
  slopeMiBPerRequest: number | null;
  /** Confidence interval of the slope, per request where requests were counted, else per hour. */
  slopeLower: number | null;
  slopeUpper: number | null;
  /** Projected time and requests until the series reaches its total, at the soak's rate. */
  projectedExhaustionHours: number | null;
  projectedExhaustionHoursRange: [number | null, number | null] | null;
  projectedExhaustionRequests: number | null;
  /** Mann–Kendall one-sided p-value for "rises", over the judged window. */
  trendPValue: number | null;
  /** True when the judged window ends on a stretch with no rising trend. */
  plateau: boolean;
  peakShare: number | null;
  /** Sample-to-sample noise of the floor (a standard deviation). */
  noiseMiB: number | null;
  /**
   * Requests and seconds of the soak left out as warm-up, the policy's and any detected
   * together; `absorbedMiB` is the rise the detected part left out of the growth.
   */
  warmup: { requests: number | null; seconds: number; detected: boolean; absorbedMiB: number };
  /** Requests per hour during the soak; null without request counts. */
  requestsPerHour: number | null;
  /** Points the trend was fitted on (idle floors, one per request or time bin). */
  trendPoints: number;
  reasons: Reason[];
}

export interface MemoryAnalysis {
  verdict: SeriesVerdict;
  series: SeriesAnalysis[];
  reasons: Reason[];
}
