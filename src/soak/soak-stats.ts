/**
 * Pure bookkeeping of the soak: which request is long, latency figures, and a short list of
 * distinct failures (a thousand identical 500s are one finding, not a thousand).
 */
import type { RequestKind } from './types.js';

export interface RequestMix {
  /** Share of requests that are long, 0 to 1. */
  longShare?: number;
  /** Every Nth request is long; wins over `longShare`. */
  longEvery?: number;
}

/**
 * Whether request `index` (from 0) is long. Spread evenly, not at random, so a run is
 * repeatable; the first request is long whenever any is, so its effect shows early.
 */
export function kindOfRequest(index: number, mix: RequestMix): RequestKind {
  if (mix.longEvery !== undefined && mix.longEvery >= 1) {
    return index % Math.floor(mix.longEvery) === 0 ? 'long' : 'short';
  }
  const share = Math.min(1, Math.max(0, mix.longShare ?? 0));
  return Math.ceil((index + 1) * share) > Math.ceil(index * share) ? 'long' : 'short';
}

export interface LatencySummary {
  count: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

function percentile(sorted: number[], share: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index]!;
}

export function summarizeLatency(latenciesMs: readonly number[]): LatencySummary | null {
  if (latenciesMs.length === 0) return null;
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((total, ms) => total + ms, 0);
  return {
    count: sorted.length,
    minMs: Math.round(sorted[0]!),
    p50Ms: Math.round(percentile(sorted, 0.5)),
    p95Ms: Math.round(percentile(sorted, 0.95)),
    maxMs: Math.round(sorted[sorted.length - 1]!),
    meanMs: Math.round(sum / sorted.length),
  };
}

/** One kind of failure: the first message seen, and how often its kind recurred. */
export interface FailureSample {
  kind: RequestKind;
  message: string;
  count: number;
  firstAtMs: number;
}

/** How many distinct failures are kept; later new ones are only counted in the totals. */
export const MAX_FAILURE_SAMPLES = 5;

/** Messages that differ only in numbers (token counts, ids) are the same failure. */
function failureKey(kind: RequestKind, message: string): string {
  return `${kind}:${message.replace(/\d+/g, '#')}`;
}

export function addFailure(
  samples: readonly FailureSample[],
  failure: { kind: RequestKind; message: string; atMs: number },
  limit = MAX_FAILURE_SAMPLES,
): FailureSample[] {
  const key = failureKey(failure.kind, failure.message);
  const index = samples.findIndex((s) => failureKey(s.kind, s.message) === key);
  if (index !== -1) {
    return samples.map((s, i) => (i === index ? { ...s, count: s.count + 1 } : s));
  }
  if (samples.length >= limit) return [...samples];
  const sample = {
    kind: failure.kind,
    message: failure.message,
    count: 1,
    firstAtMs: failure.atMs,
  };
  return [...samples, sample];
}
