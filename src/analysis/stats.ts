import { normalCdf, normalQuantile } from './normal.js';

/** The median; NaN for an empty list. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile with linear interpolation between order statistics; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

/**
 * The sample-to-sample noise of a series as a normal standard deviation: the median absolute
 * deviation of the first differences, scaled. Differences cancel any steady trend, and the
 * median ignores the few large jumps of a step or a release, so a leak does not read as noise.
 */
export function differenceNoise(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]!);
  const center = median(diffs);
  const mad = median(diffs.map((d) => Math.abs(d - center)));
  return (1.4826 * mad) / Math.SQRT2;
}

export interface MannKendall {
  /** Σ sign(xj − xi)·sign(yj − yi) over pairs i < j. */
  s: number;
  /** Var(S) under no trend, corrected for ties in x and in y. */
  varS: number;
  z: number;
  /** Kendall's tau-a: S over the number of pairs. */
  tau: number;
  /** One-sided p-value against "y increases with x". */
  pIncreasing: number;
  pTwoSided: number;
}

function tieSums(values: readonly number[]): { t2: number; t3: number; tv: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let t2 = 0;
  let t3 = 0;
  let tv = 0;
  for (const t of counts.values()) {
    t2 += t * (t - 1);
    t3 += t * (t - 1) * (t - 2);
    tv += t * (t - 1) * (2 * t + 5);
  }
  return { t2, t3, tv };
}

/**
 * Mann–Kendall trend test of y against x (Kendall's S with the normal approximation and a
 * continuity correction). Ties in either variable shrink Var(S) as in Kendall (1976); pairs
 * with equal x add nothing to S. With fewer than 3 points there is no evidence: p = 1.
 */
export function mannKendall(xs: readonly number[], ys: readonly number[]): MannKendall {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return { s: 0, varS: 0, z: 0, tau: 0, pIncreasing: 1, pTwoSided: 1 };

  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      s += Math.sign(xs[j]! - xs[i]!) * Math.sign(ys[j]! - ys[i]!);
    }
  }

  const y = tieSums(ys.slice(0, n));
  const x = tieSums(xs.slice(0, n));
  const varS =
    (n * (n - 1) * (2 * n + 5) - y.tv - x.tv) / 18 +
    (y.t2 * x.t2) / (2 * n * (n - 1)) +
    (y.t3 * x.t3) / (9 * n * (n - 1) * (n - 2));
  const z = varS > 0 && s !== 0 ? (s - Math.sign(s)) / Math.sqrt(varS) : 0;
  const pIncreasing = varS > 0 ? 1 - normalCdf(z) : 1;
  const pTwoSided = varS > 0 ? Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) : 1;
  return { s, varS, z, tau: s / ((n * (n - 1)) / 2), pIncreasing, pTwoSided };
}

export interface TheilSen {
  slope: number;
  intercept: number;
  /** Bounds of the confidence interval for the slope; null where the data cannot bound it. */
  lower: number | null;
  upper: number | null;
}

function orderStatistic(sorted: readonly number[], rank: number): number | null {
  // `rank` is 1-based and may be fractional: interpolate between neighbours.
  if (rank < 1 || rank > sorted.length) return null;
  const below = Math.floor(rank);
  const low = sorted[below - 1]!;
  const high = sorted[Math.min(sorted.length, below + 1) - 1]!;
  return low + (high - low) * (rank - below);
}

/**
 * Theil–Sen slope (the median of all pairwise slopes) with Sen's (1968) distribution-free
 * confidence interval, whose ranks come from Var(S) of the Mann–Kendall test. A third of the
 * points can be wild without moving the slope much. Null with fewer than 2 distinct x.
 */
export function theilSen(
  xs: readonly number[],
  ys: readonly number[],
  confidence = 0.95,
): TheilSen | null {
  const n = Math.min(xs.length, ys.length);
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx);
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);

  const slope = median(slopes);
  const intercept = median(xs.slice(0, n).map((x, i) => ys[i]! - slope * x));

  const { varS } = mannKendall(xs, ys);
  const c = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(varS);
  const count = slopes.length;
  return {
    slope,
    intercept,
    lower: orderStatistic(slopes, (count - c) / 2),
    upper: orderStatistic(slopes, (count + c) / 2 + 1),
  };
}
