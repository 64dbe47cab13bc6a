import type { MemoryPolicy } from './policy.js';
import type { SeriesPoint } from './types.js';

/**
 * Where the trend is judged: the soak, less its warm-up. Request counts make the x-axis
 * when the soak completed enough requests (leaks are per request); otherwise time does.
 */
export interface JudgedWindow {
  axis: 'requests' | 'time';
  /** Every point of the soak, in time order. */
  soak: SeriesPoint[];
  /** The soak after the policy's warm-up. */
  judged: SeriesPoint[];
  /** Idle points after the load stopped (settle and final). */
  settle: SeriesPoint[];
  /** Every point after the engine was ready: where the peak is read. */
  afterReady: SeriesPoint[];
  warmupRequests: number | null;
  warmupSeconds: number;
  requestsPerHour: number | null;
}

/** With fewer completed requests than this during the soak, time is the x-axis. */
const MIN_REQUESTS_FOR_AXIS = 3;

/** Share of a time-only soak left out when the policy counts warm-up in requests. */
const TIME_WARMUP_SHARE_WITHOUT_REQUESTS = 0.1;

/** The policy's warm-up never takes more than this share of the soak: the trend needs data. */
const MAX_WARMUP_SHARE = 0.5;

function byTime(points: readonly SeriesPoint[]): SeriesPoint[] {
  return [...points].sort((a, b) => a.tMs - b.tMs);
}

/**
 * Splits a series into the windows the analysis reads. The soak is the `soak` phase; a trace
 * without phases (CSV, nvidia-smi logs) is all soak, and a run without a soak falls back to
 * the ready and checks phases. Null when no point lies in any of them.
 */
export function judgedWindow(
  points: readonly SeriesPoint[],
  warmup: MemoryPolicy['warmup'],
): JudgedWindow | null {
  const sorted = byTime(points);
  let soak = sorted.filter((p) => p.phase === 'soak');
  if (soak.length === 0) soak = sorted.filter((p) => p.phase === 'ready' || p.phase === 'checks');
  if (soak.length === 0) return null;

  const first = soak[0]!;
  const last = soak[soak.length - 1]!;
  const requestSpan = last.requests - first.requests;
  const hours = (last.tMs - first.tMs) / 3_600_000;
  const axis = requestSpan >= MIN_REQUESTS_FOR_AXIS ? 'requests' : 'time';

  const warmupRequests = axis === 'requests' ? (warmup.requests ?? 0) : null;
  // A warm-up counted only in requests cannot be read off a trace without request counts:
  // it becomes a share of the trace.
  let warmupSeconds = warmup.seconds ?? 0;
  if (axis === 'time' && warmup.seconds === undefined && (warmup.requests ?? 0) > 0) {
    warmupSeconds = hours * 3600 * TIME_WARMUP_SHARE_WITHOUT_REQUESTS;
  }

  // The warm-up ends once every threshold that applies has been passed, but never after
  // the middle of the soak.
  const capRequests = first.requests + requestSpan * MAX_WARMUP_SHARE;
  const capMs = first.tMs + (last.tMs - first.tMs) * MAX_WARMUP_SHARE;
  const start = soak.findIndex(
    (p) =>
      (axis === 'time' ? p.tMs >= capMs : p.requests >= capRequests) ||
      (p.requests - first.requests >= (warmupRequests ?? 0) &&
        p.tMs - first.tMs >= warmupSeconds * 1000),
  );
  const judged = soak.slice(Math.max(0, start));
  const startPoint = judged[0] ?? first;

  const soakEndMs = last.tMs;
  return {
    axis,
    soak,
    judged,
    settle: sorted.filter(
      (p) => p.tMs > soakEndMs && (p.phase === 'settle' || p.phase === 'final'),
    ),
    afterReady: sorted.filter((p) => p.phase !== 'baseline'),
    warmupRequests: axis === 'requests' ? startPoint.requests - first.requests : null,
    warmupSeconds: (startPoint.tMs - first.tMs) / 1000,
    requestsPerHour: axis === 'requests' && hours > 0 ? requestSpan / hours : null,
  };
}
