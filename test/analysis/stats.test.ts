import { describe, expect, it } from 'vitest';
import {
  differenceNoise,
  mannKendall,
  median,
  quantile,
  theilSen,
} from '../../src/analysis/stats.js';

describe('median and quantile', () => {
  it('take the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('differenceNoise', () => {
  it('reads the jitter around a trend and not the trend itself', () => {
    // Differences 1, 2, 0, 4, −1, 3: median 1.5, MAD 1.5, σ = 1.4826·1.5/√2.
    expect(differenceNoise([0, 1, 3, 3, 7, 6, 9])).toBeCloseTo(1.5725, 4);
    // A clean leak of 10 MiB per point has no noise at all.
    expect(differenceNoise([2560, 2570, 2580, 2590, 2600])).toBe(0);
  });
});

describe('mannKendall', () => {
  it('gives S, Var(S) and p for a strictly rising series of five', () => {
    const mk = mannKendall([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
    expect(mk.s).toBe(10);
    expect(mk.varS).toBeCloseTo(16.6667, 4); // 5·4·15/18
    expect(mk.z).toBeCloseTo(2.2045, 4); // (10 − 1)/√16.667
    expect(mk.pIncreasing).toBeCloseTo(0.01374, 4);
    expect(mk.tau).toBe(1);
  });

  it('corrects Var(S) for ties in the readings', () => {
    // Two pairs of tied values: S = 8, Var(S) = (300 − 2·18)/18.
    const mk = mannKendall([1, 2, 3, 4, 5], [1, 1, 2, 2, 3]);
    expect(mk.s).toBe(8);
    expect(mk.varS).toBeCloseTo(14.6667, 4);
    expect(mk.pIncreasing).toBeCloseTo(0.03379, 4);
  });

  it('finds no trend in a flat series or in fewer than three points', () => {
    expect(mannKendall([1, 2, 3, 4], [5, 5, 5, 5]).pIncreasing).toBe(1);
    expect(mannKendall([1, 2], [1, 9]).pIncreasing).toBe(1);
  });

  it('counts nothing for pairs read at the same x', () => {
    expect(mannKendall([1, 1, 1], [1, 2, 3]).s).toBe(0);
  });
});

describe('theilSen', () => {
  it('keeps the slope of the bulk when one point is wild', () => {
    // Pairwise slopes 2 ×6, 24.5, 32, 47, 92: median 2; intercept median(y − 2x) = 0.
    const fit = theilSen([1, 2, 3, 4, 5], [2, 4, 6, 8, 100]);
    expect(fit?.slope).toBe(2);
    expect(fit?.intercept).toBe(0);
  });

  it('cannot bound a 95% interval with five points', () => {
    const fit = theilSen([1, 2, 3, 4, 5], [2, 4, 6, 8, 100]);
    expect(fit?.lower).toBeNull();
    expect(fit?.upper).toBeNull();
  });

  it('gives an interval that narrows onto an exact line', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const fit = theilSen(
      xs,
      xs.map((x) => 2560 + 10 * x),
    );
    expect(fit).toMatchObject({ slope: 10, intercept: 2560, lower: 10, upper: 10 });
  });

  it('brackets the slope of a noisy leak', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    const jitter = [0, 2, -1, 3, -2, 1, -3, 2, 0, -1];
    const fit = theilSen(
      xs,
      xs.map((x, i) => 100 + 5 * x + jitter[i % 10]!),
    )!;
    expect(fit.slope).toBeGreaterThan(4.5);
    expect(fit.slope).toBeLessThan(5.5);
    expect(fit.lower!).toBeLessThan(fit.slope);
    expect(fit.upper!).toBeGreaterThan(fit.slope);
    expect(fit.lower!).toBeGreaterThan(4);
  });

  it('is null without two distinct x', () => {
    expect(theilSen([3, 3], [1, 2])).toBeNull();
  });
});
