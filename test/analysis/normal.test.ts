import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../../src/analysis/normal.js';

describe('normalCdf', () => {
  it('is one half at zero and 0.975 at the two-sided 95% point', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
  });

  it('reaches the tails a one-sided p of 0.001 needs', () => {
    expect(1 - normalCdf(3.090232)).toBeCloseTo(0.001, 6);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});

describe('normalQuantile', () => {
  it('inverts the cdf in the middle and in the tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
  });

  it('refuses p outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
  });
});
