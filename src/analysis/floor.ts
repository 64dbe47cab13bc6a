import type { SeriesPoint } from './types.js';

/**
 * The idle floor of a stretch of samples: its lowest reading. A leak stays behind after the
 * request that caused it; in-flight activations, prefill buffers and upward sampling spikes
 * do not. Taking the floor per request (or per time bin) measures memory at the idle points
 * between requests, and leaves one point per request, so neighbours are not the same
 * plateau sampled twice (which would fake significance).
 */
export interface FloorPoint {
  /** Requests completed, or hours since the trace began, by the window's axis. */
  x: number;
  tMs: number;
  requests: number;
  usedMiB: number;
}

/**
 * Samples per time bin when requests were not counted: enough that most bins hold a moment
 * between requests, so the floor is idle memory and not a long prefill in flight.
 */
const SAMPLES_PER_TIME_BIN = 10;

/** At most this many floor points: more only costs time (the fits are quadratic). */
export const MAX_FLOOR_POINTS = 60;

function lowest(points: readonly SeriesPoint[]): SeriesPoint {
  return points.reduce((low, p) => (p.usedMiB < low.usedMiB ? p : low));
}

function groupByRequests(points: readonly SeriesPoint[]): SeriesPoint[][] {
  const groups: SeriesPoint[][] = [];
  let current: SeriesPoint[] = [];
  for (const p of points) {
    if (current.length > 0 && p.requests !== current[0]!.requests) {
      groups.push(current);
      current = [];
    }
    current.push(p);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function groupByTime(points: readonly SeriesPoint[], bins: number): SeriesPoint[][] {
  const t0 = points[0]!.tMs;
  const span = points[points.length - 1]!.tMs - t0;
  if (span <= 0 || bins <= 1) return [points.slice()];
  const groups: SeriesPoint[][] = Array.from({ length: bins }, () => []);
  for (const p of points) {
    const bin = Math.min(bins - 1, Math.floor(((p.tMs - t0) / span) * bins));
    groups[bin]!.push(p);
  }
  return groups.filter((g) => g.length > 0);
}

/** Merges neighbouring groups so that at most `max` remain. */
function mergeGroups(groups: SeriesPoint[][], max: number): SeriesPoint[][] {
  if (groups.length <= max) return groups;
  const size = Math.ceil(groups.length / max);
  const merged: SeriesPoint[][] = [];
  for (let i = 0; i < groups.length; i += size) merged.push(groups.slice(i, i + size).flat());
  return merged;
}

/**
 * Floor points of a time-ordered stretch: one per completed-request count on the request
 * axis, one per time bin (about three samples each) on the time axis.
 */
export function floorPoints(
  points: readonly SeriesPoint[],
  axis: 'requests' | 'time',
  maxPoints = MAX_FLOOR_POINTS,
): FloorPoint[] {
  if (points.length === 0) return [];
  const groups =
    axis === 'requests'
      ? groupByRequests(points)
      : groupByTime(
          points,
          Math.max(1, Math.min(maxPoints, Math.floor(points.length / SAMPLES_PER_TIME_BIN))),
        );

  return mergeGroups(groups, maxPoints).map((group) => {
    const low = lowest(group);
    return {
      x: axis === 'requests' ? low.requests : low.tMs / 3_600_000,
      tMs: low.tMs,
      requests: low.requests,
      usedMiB: low.usedMiB,
    };
  });
}

/**
 * The lower envelope of a floor series: at each point, the lowest floor from there to the
 * end. It is the memory that is never given back afterwards: a leak's envelope rises with
 * it, a sawtooth's stays at its troughs, and in-flight readings vanish from it.
 */
export function lowerEnvelope(points: readonly FloorPoint[]): FloorPoint[] {
  const out: FloorPoint[] = [];
  let low = Number.POSITIVE_INFINITY;
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    low = Math.min(low, p.usedMiB);
    out.push({ ...p, usedMiB: low });
  }
  return out.reverse();
}

/**
 * The most memory the series gave back during the window: the largest fall from one idle
 * level to a later one. Levels are read as the lower of two neighbouring floor points, so a
 * single in-flight reading falling back to idle is not a release.
 */
export function givenBackMiB(points: readonly FloorPoint[]): number {
  let highest = Number.NEGATIVE_INFINITY;
  let largest = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const level = Math.min(points[i]!.usedMiB, points[i + 1]!.usedMiB);
    largest = Math.max(largest, highest - level);
    highest = Math.max(highest, level);
  }
  return largest;
}
