import type { CheckStatus } from '../checks/types.js';
import { formatMiB } from '../units.js';
import type { Verdict } from '../verdict/types.js';
import type { SeriesView } from './results.js';

export const VERDICT_WORD: Record<Verdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  infra: 'INFRA',
};

export const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  warn: 'warn',
  skip: 'skip',
};

export function gpuLabel(series: SeriesView): string {
  const mig = series.gpu.gpuInstanceId !== undefined ? ` MIG ${series.gpu.gpuInstanceId}` : '';
  return `GPU ${series.gpu.index}${mig}${series.gpu.name ? ` (${series.gpu.name})` : ''}`;
}

export const METRIC_WORD: Record<string, string> = {
  bar1: 'BAR1',
  fb: 'FB',
  'mig-fb': 'MIG FB',
  'process-sum': 'FB (sum of processes)',
};

export function signedMiB(mib: number | null): string {
  if (mib === null || !Number.isFinite(mib)) return 'n/a';
  return `${mib >= 0 ? '+' : '−'}${formatMiB(Math.abs(mib))}`;
}

/** `+12 MiB/h`, `+3.4 GiB/h`, `−0.5 MiB/req`. */
export function rate(valueMiB: number | null, per: string): string {
  if (valueMiB === null || !Number.isFinite(valueMiB)) return 'n/a';
  const sign = valueMiB >= 0 ? '+' : '−';
  const size = Math.abs(valueMiB);
  if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} GiB/${per}`;
  return `${sign}${size.toFixed(size >= 10 ? 0 : 1)} MiB/${per}`;
}

export function hours(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'never';
  if (value < 1 / 60) return '< 1 min';
  if (value < 1) return `${Math.round(value * 60)} min`;
  if (value < 48) return `${value.toFixed(1)} h`;
  return `${Math.round(value / 24)} d`;
}

/**
 * When the series runs out at the soak's rate. No projection means different things: the
 * series already reached its total, it is not growing, its rise was not a trend, or there
 * was too little to judge.
 */
export function projection(s: SeriesView): string {
  if (s.projectedExhaustionHours !== null) return hours(s.projectedExhaustionHours);
  if (s.totalMiB !== null && s.peakMiB !== null && s.peakMiB >= s.totalMiB) return 'reached';
  if (s.slopeMiBPerHour === null) return 'n/a';
  if (s.slopeMiBPerHour <= 0) return 'not growing';
  // A rise that plateaued, or one noise alone could draw, is not projected.
  return 'no trend';
}

/** The row of figures for one series, shared by the Markdown and text reports. */
export function seriesCells(s: SeriesView): string[] {
  return [
    gpuLabel(s),
    METRIC_WORD[s.metric] ?? s.metric,
    formatMiB(s.baselineMiB),
    formatMiB(s.peakMiB),
    formatMiB(s.settledMiB),
    formatMiB(s.totalMiB),
    signedMiB(s.growthMiB),
    rate(s.slopeMiBPerHour, 'h'),
    rate(s.slopeMiBPerRequest, 'req'),
    projection(s),
    s.verdict,
  ];
}

export const SERIES_HEADERS = [
  'GPU',
  'metric',
  'baseline',
  'peak',
  'settled',
  'total',
  'growth',
  'slope',
  'per request',
  'runs out in',
  'verdict',
];
