import { type FloorPoint, lowerEnvelope } from './floor.js';
import { MIN_TREND_POINTS } from './trend.js';

/**
 * A detected warm-up extends the policy's only within this share of the judged window: a
 * rise that lasts longer is growth to judge.
 */
const MAX_DETECTED_WARMUP_SHARE = 1 / 3;

/** Share of the window's rise that must happen within that first third. */
const EARLY_RISE_SHARE = 0.75;

/**
 * Automatic warm-up: when three quarters of the floor's rise over the window was reached in
 * its first third and never given back (the allocator's ramp, a CUDA-graph capture on the
 * first large batch), the window is judged from the point where it was reached. Read on
 * the lower envelope, so an in-flight reading does not count as reaching it. A leak rises
 * evenly and a sawtooth gives its rise back, so neither qualifies. Returns the index of
 * the first floor point to judge: 0 when no warm-up is detected.
 */
export function detectWarmup(floor: readonly FloorPoint[], noiseMiB: number): number {
  const n = floor.length;
  const third = Math.floor(n * MAX_DETECTED_WARMUP_SHARE);
  if (third < 1 || n - third < MIN_TREND_POINTS) return 0;

  const envelope = lowerEnvelope(floor).map((p) => p.usedMiB);
  const first = envelope[0]!;
  const endLevel = envelope[n - 1]!;
  const rise = endLevel - first;
  const tolerance = Math.max(3 * noiseMiB, 1);
  if (rise <= tolerance) return 0;

  const reached = endLevel - Math.max(tolerance, rise * (1 - EARLY_RISE_SHARE));
  const k = envelope.findIndex((y) => y >= reached);
  return k > 0 && k <= third ? k : 0;
}
