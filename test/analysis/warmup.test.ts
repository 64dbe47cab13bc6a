import { describe, expect, it } from 'vitest';
import type { FloorPoint } from '../../src/analysis/floor.js';
import { detectWarmup } from '../../src/analysis/warmup.js';
import { jitter } from './runs.js';

const series = (n: number, f: (k: number) => number): FloorPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    x: i + 1,
    tMs: i * 10_000,
    requests: i + 1,
    usedMiB: Math.round(f(i + 1) + jitter(i)),
  }));

describe('detectWarmup', () => {
  it('extends warm-up past a CUDA-graph step early in the window', () => {
    expect(
      detectWarmup(
        series(45, (k) => 2560 + (k >= 8 ? 800 : 0)),
        2,
      ),
    ).toBe(7);
  });

  it('extends warm-up to where an allocator ramp reached three quarters of its rise', () => {
    // The window starts at 1200·(1 − e^(−1/3)) = 340 and ends near 1200: three quarters of
    // that rise is reached at k = 6 (1038 MiB), index 5.
    expect(
      detectWarmup(
        series(45, (k) => 2560 + 1200 * (1 - Math.exp(-k / 3))),
        2,
      ),
    ).toBe(5);
  });

  it('leaves a step past the first third to be judged', () => {
    expect(
      detectWarmup(
        series(45, (k) => 2560 + (k >= 20 ? 800 : 0)),
        2,
      ),
    ).toBe(0);
  });

  it('never absorbs a leak or a sawtooth', () => {
    expect(
      detectWarmup(
        series(45, (k) => 2560 + 10 * k),
        2,
      ),
    ).toBe(0);
    expect(
      detectWarmup(
        series(45, (k) => 2560 + 60 * (k % 9)),
        2,
      ),
    ).toBe(0);
  });

  it('does nothing on a flat series', () => {
    expect(
      detectWarmup(
        series(45, () => 2560),
        2,
      ),
    ).toBe(0);
  });
});
