import { type FloorPoint, floorPoints, givenBackMiB } from './floor.js';
import type { MemoryPolicy } from './policy.js';
import { differenceNoise, median } from './stats.js';
import { assessTrend, type Trend } from './trend.js';
import type { MemorySeries, SeriesAnalysis } from './types.js';
import { detectWarmup } from './warmup.js';
import { type JudgedWindow, judgedWindow } from './window.js';

/** What the rules read beside the published figures. */
export interface SeriesEvidence {
  window: JudgedWindow;
  /** Floor points of the judged window, after any detected warm-up. */
  floor: FloorPoint[];
  trend: Trend | null;
  /** Idle floor at the end of the soak. */
  lastFloorMiB: number;
  /** Lowest reading from ready to the soak's start: where growth into a ceiling is measured from. */
  startMiB: number;
  /** The settle phase gave memory back: more than half of the soak's rise is gone. */
  releasedAtSettle: boolean;
}

export type SeriesFigures = Omit<SeriesAnalysis, 'verdict' | 'reasons'>;

function settledLevel(window: JudgedWindow, lastFloorMiB: number): number {
  // The tail of settle: memory released a little after the load stopped has gone by then.
  const tail = window.settle.slice(Math.floor(window.settle.length / 2));
  return tail.length > 0 ? median(tail.map((p) => p.usedMiB)) : lastFloorMiB;
}

/** The figures of a series that has no reading to judge. */
export function emptyFigures(series: MemorySeries): SeriesFigures {
  return {
    gpu: series.gpu,
    metric: series.metric,
    baselineMiB: null,
    peakMiB: null,
    settledMiB: null,
    totalMiB: series.totalMiB,
    growthMiB: null,
    growthUncertaintyMiB: null,
    givenBackMiB: null,
    slopeMiBPerHour: null,
    slopeMiBPerRequest: null,
    slopeLower: null,
    slopeUpper: null,
    projectedExhaustionHours: null,
    projectedExhaustionHoursRange: null,
    projectedExhaustionRequests: null,
    trendPValue: null,
    plateau: false,
    peakShare: null,
    noiseMiB: null,
    warmup: { requests: null, seconds: 0, detected: false, absorbedMiB: 0 },
    requestsPerHour: null,
    trendPoints: 0,
  };
}

function hoursFor(
  headroomMiB: number,
  slope: number | null,
  perHour: number | null,
): number | null {
  if (slope === null || slope <= 0 || perHour === null) return null;
  return headroomMiB / slope / perHour;
}

/** A projection is published only for a rise at least this significant. */
const PROJECTION_P = 0.05;

interface Slope {
  slope: number;
  lower: number | null;
  upper: number | null;
}

/**
 * The slope memory is projected with: the floor's, scaled down (interval too) to the rate
 * of its lower envelope where that is lower, so memory a sawtooth gives back is not
 * projected as growth.
 */
function projectedSlope(trend: Trend | null): Slope | null {
  if (!trend) return null;
  const { slope, lower, upper, retainedSlope } = trend;
  if (slope <= 0 || retainedSlope >= slope) return { slope, lower, upper };
  const factor = Math.max(0, retainedSlope) / slope;
  const scale = (v: number | null) => (v === null ? null : v * factor);
  return { slope: slope * factor, lower: scale(lower), upper: scale(upper) };
}

/**
 * The figures of one series: baseline, peak, settled level, retained growth, the trend of
 * the idle floor and the projection to exhaustion. Null evidence when the series has no
 * point in the soak (or ready/checks) window: it is unmeasured.
 */
export function seriesFigures(
  series: MemorySeries,
  policy: MemoryPolicy,
): { figures: SeriesFigures; evidence: SeriesEvidence | null } {
  const window = judgedWindow(series.points, policy.warmup);
  if (!window) return { figures: emptyFigures(series), evidence: null };

  const allFloor = floorPoints(window.judged, window.axis);
  const skip = detectWarmup(allFloor, differenceNoise(allFloor.map((p) => p.usedMiB)));
  const floor = allFloor.slice(skip);
  const trend = assessTrend(floor);
  const start = floor[0]!;
  const soakStart = window.soak[0]!;
  // Every request's own floor (not merged), to see releases a merged floor would hide.
  const fineFloor = floorPoints(
    window.judged.filter((p) => p.tMs >= start.tMs),
    window.axis,
    Number.POSITIVE_INFINITY,
  );

  // Two or three floor points at each end, so that one reading taken while a request was in
  // flight (no idle moment between two requests) is not read as the level.
  const baselineMiB = Math.min(...floor.slice(0, 3).map((p) => p.usedMiB));
  const lastFloorMiB = Math.min(...floor.slice(-2).map((p) => p.usedMiB));
  const settledMiB = settledLevel(window, lastFloorMiB);
  const growthMiB = settledMiB - baselineMiB;
  const peakMiB = Math.max(...window.afterReady.map((p) => p.usedMiB));
  const total = series.totalMiB;
  const noiseMiB = trend?.noiseMiB ?? null;

  const perHour = window.axis === 'requests' ? window.requestsPerHour : 1;
  const slope = projectedSlope(trend);
  const plateau = trend !== null && (trend.plateauIndex !== null || trend.decelerating);
  // Memory is projected to run out only along a rise the data show: not past a plateau, not
  // along a slope that noise alone would draw one run in twenty, and not when settle gave
  // the rise back (it was in-flight use, so a projection would only confuse the report).
  const projects =
    slope !== null &&
    !plateau &&
    (trend?.pIncreasing ?? 1) < PROJECTION_P &&
    settledMiB > baselineMiB;
  const headroomMiB = total === null ? null : Math.max(0, total - settledMiB);
  const hoursAt = (s: number | null) =>
    headroomMiB === null ? null : hoursFor(headroomMiB, s, perHour);
  const soakRise = lastFloorMiB - baselineMiB;

  return {
    figures: {
      gpu: series.gpu,
      metric: series.metric,
      baselineMiB,
      peakMiB,
      settledMiB,
      totalMiB: total,
      growthMiB,
      growthUncertaintyMiB: noiseMiB === null ? null : 1.96 * noiseMiB * Math.SQRT2,
      givenBackMiB: givenBackMiB(fineFloor),
      slopeMiBPerHour: slope && perHour !== null ? slope.slope * perHour : null,
      slopeMiBPerRequest: window.axis === 'requests' && slope ? slope.slope : null,
      slopeLower: slope?.lower ?? null,
      slopeUpper: slope?.upper ?? null,
      projectedExhaustionHours: projects ? hoursAt(slope.slope) : null,
      projectedExhaustionHoursRange: projects ? [hoursAt(slope.upper), hoursAt(slope.lower)] : null,
      projectedExhaustionRequests:
        projects && window.axis === 'requests' && headroomMiB !== null && slope.slope > 0
          ? headroomMiB / slope.slope
          : null,
      trendPValue: trend?.pIncreasing ?? null,
      plateau,
      peakShare: total === null ? null : peakMiB / total,
      noiseMiB,
      warmup: {
        requests: window.axis === 'requests' ? start.requests - soakStart.requests : null,
        seconds: (start.tMs - soakStart.tMs) / 1000,
        detected: skip > 0,
        absorbedMiB:
          skip > 0 ? baselineMiB - Math.min(...allFloor.slice(0, 3).map((p) => p.usedMiB)) : 0,
      },
      requestsPerHour: window.requestsPerHour,
      trendPoints: floor.length,
    },
    evidence: {
      window,
      floor,
      trend,
      lastFloorMiB,
      startMiB: Math.min(
        ...window.afterReady.filter((p) => p.tMs <= soakStart.tMs).map((p) => p.usedMiB),
      ),
      releasedAtSettle: window.settle.length > 0 && soakRise > 0 && growthMiB < soakRise / 2,
    },
  };
}
