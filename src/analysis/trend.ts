import { type FloorPoint, lowerEnvelope } from './floor.js';
import { differenceNoise, mannKendall, theilSen } from './stats.js';

export interface Trend {
  /** Theil–Sen slope of the floor, MiB per x unit (request or hour). */
  slope: number;
  /**
   * Theil–Sen slope of the floor's lower envelope: the rate at which memory that is never
   * given back accumulates. Equal to `slope` for a leak, near 0 for a sawtooth.
   */
  retainedSlope: number;
  intercept: number;
  /** 95% confidence interval of the slope; null where too few points bound it. */
  lower: number | null;
  upper: number | null;
  /** Mann–Kendall one-sided p-value for "rises". */
  pIncreasing: number;
  /** Index of the first floor point of the stretch that ends the window flat; null if none. */
  plateauIndex: number | null;
  /** The rise slows down: the last third's slope is surely under half the first third's. */
  decelerating: boolean;
  noiseMiB: number;
}

/** A trend needs this many floor points; fewer cannot reach significance at any slope. */
export const MIN_TREND_POINTS = 4;

/** A flat ending must span this many floor points (and a third of the window). */
const MIN_PLATEAU_POINTS = 5;

/**
 * A stretch is flat when its floor shows no rising trend at this level. Loose on purpose:
 * calling a real leak "flat" lets it pass, so it takes clear absence of a rise to be flat.
 */
const FLAT_P = 0.1;

function xy(points: readonly FloorPoint[]): { xs: number[]; ys: number[] } {
  return { xs: points.map((p) => p.x), ys: points.map((p) => p.usedMiB) };
}

/**
 * The earliest index from which the floor stays flat to the end of the window, over at
 * least a third of it: no significant rise, and a slope under half the whole window's (so
 * that a few in-flight readings in a short stretch do not hide a leak). An allocator that
 * grows then plateaus, or a one-time step, ends on such a stretch; a leak does not. A
 * sawtooth spans several teeth, where rises and releases cancel.
 */
export function plateauStart(points: readonly FloorPoint[], wholeSlope: number): number | null {
  const minLength = Math.max(MIN_PLATEAU_POINTS, Math.ceil(points.length / 3));
  for (let k = 0; k + minLength <= points.length; k++) {
    const { xs, ys } = xy(points.slice(k));
    if (mannKendall(xs, ys).pIncreasing < FLAT_P) continue;
    const slope = theilSen(xs, ys)?.slope ?? 0;
    if (slope <= 0 || slope < wholeSlope / 2) return k;
  }
  return null;
}

/** How much slower the end of a rise must surely be than its start to count as settling. */
const DECELERATION_RATIO = 0.5;

/**
 * A rise whose last third is surely slower than half its first third is an allocator
 * settling, not a leak: a leak adds as much per request at the end of the soak as at its
 * start. "Surely" is read from the confidence intervals, because a leak that only long
 * requests cause rises in uneven steps, and thirds of a few points differ by chance.
 */
export function isDecelerating(points: readonly FloorPoint[]): boolean {
  const third = Math.floor(points.length / 3);
  if (third < 4) return false;
  const early = xy(points.slice(0, third));
  const late = xy(points.slice(points.length - third));
  const first = theilSen(early.xs, early.ys);
  const last = theilSen(late.xs, late.ys);
  if (!first || !last || first.lower === null || last.upper === null) return false;
  return first.lower > 0 && last.upper < first.lower * DECELERATION_RATIO;
}

/** Robust trend of a floor series; null with fewer than MIN_TREND_POINTS points. */
export function assessTrend(points: readonly FloorPoint[]): Trend | null {
  if (points.length < MIN_TREND_POINTS) return null;
  const { xs, ys } = xy(points);
  const fit = theilSen(xs, ys);
  if (!fit) return null;
  const envelopePoints = lowerEnvelope(points);
  const envelope = xy(envelopePoints);
  return {
    slope: fit.slope,
    retainedSlope: theilSen(envelope.xs, envelope.ys)?.slope ?? fit.slope,
    intercept: fit.intercept,
    lower: fit.lower,
    upper: fit.upper,
    pIncreasing: mannKendall(xs, ys).pIncreasing,
    // Either the floor or the memory it never gives back may show the end of the rise.
    plateauIndex: plateauStart(points, fit.slope) ?? plateauStart(envelopePoints, fit.slope),
    decelerating: isDecelerating(points),
    noiseMiB: differenceNoise(ys),
  };
}
