/**
 * Seeded, deterministic randomness. The simulator must replay the same leak sizes for the
 * same seed and request sequence, whatever the timing, so leaks draw from their own stream
 * and noise is a pure hash of (seed, sample number, GPU): more or fewer samples never shift
 * the leak draws.
 */

/** A stream of numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) that depends only on its inputs. */
export function hashUnit(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 4294967296;
}

/** Uniform in [min, max]. */
export function between(unit: number, min: number, max: number): number {
  return min + unit * (max - min);
}

/** Distinct streams from one scenario seed. */
export const STREAM = { leak: 0x1eac, noise: 0x9015e } as const;
