import { describe, expect, it } from 'vitest';
import type { FloorPoint } from '../../src/analysis/floor.js';
import { assessTrend, isDecelerating, plateauStart } from '../../src/analysis/trend.js';
import { jitter } from './runs.js';

function floors(values: readonly number[]): FloorPoint[] {
  return values.map((usedMiB, i) => ({ x: i + 1, tMs: i * 10_000, requests: i + 1, usedMiB }));
}

const series = (n: number, f: (k: number) => number) =>
  floors(Array.from({ length: n }, (_, i) => Math.round(f(i + 1) + jitter(i))));

describe('assessTrend', () => {
  it('measures a 10 MiB-per-request leak under a few MiB of jitter', () => {
    const trend = assessTrend(series(30, (k) => 2560 + 10 * k))!;
    expect(trend.slope).toBeCloseTo(10, 0);
    expect(trend.retainedSlope).toBeCloseTo(10, 0);
    expect(trend.lower!).toBeGreaterThan(9);
    expect(trend.upper!).toBeLessThan(11);
    expect(trend.pIncreasing).toBeLessThan(1e-6);
    expect(trend.plateauIndex).toBeNull();
    expect(trend.decelerating).toBe(false);
    expect(trend.noiseMiB).toBeGreaterThan(1);
    expect(trend.noiseMiB).toBeLessThan(5);
  });

  it('sees no rise in jitter alone, and calls it flat from the start', () => {
    const trend = assessTrend(series(30, () => 2560))!;
    expect(trend.pIncreasing).toBeGreaterThan(0.1);
    expect(trend.plateauIndex).toBe(0);
  });

  it('gives a sawtooth a retained slope near zero where the floor slope is not', () => {
    // A cache that fills by 80 MiB a request and is released every 8, ending mid-tooth.
    const trend = assessTrend(series(36, (k) => 2560 + 80 * (k % 8)))!;
    expect(trend.retainedSlope).toBeLessThan(1);
    expect(trend.plateauIndex).not.toBeNull();
  });

  it('needs four points', () => {
    expect(assessTrend(floors([1, 2, 3]))).toBeNull();
  });
});

describe('plateauStart', () => {
  it('finds the flat stretch a one-time step ends on', () => {
    // The step is at index 12; a stretch that starts a few points before it is still flat
    // (most of its pairs lie after the step), so the start lands on or just before it.
    const step = series(30, (k) => 2560 + (k > 12 ? 700 : 0));
    const start = plateauStart(step, 20)!;
    expect(start).toBeGreaterThanOrEqual(9);
    expect(start).toBeLessThanOrEqual(12);
  });

  it('finds none in a leak', () => {
    expect(
      plateauStart(
        series(30, (k) => 2560 + 10 * k),
        10,
      ),
    ).toBeNull();
  });
});

describe('isDecelerating', () => {
  it('holds for an allocator settling exponentially', () => {
    expect(isDecelerating(series(30, (k) => 2560 + 1200 * (1 - Math.exp(-k / 6))))).toBe(true);
  });

  it('does not hold for a leak, even one that only long requests cause', () => {
    expect(isDecelerating(series(30, (k) => 2560 + 10 * k))).toBe(false);
    expect(isDecelerating(series(30, (k) => 2560 + 300 * Math.floor(k / 3)))).toBe(false);
  });
});
