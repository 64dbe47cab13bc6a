import { describe, expect, it } from 'vitest';
import {
  type FloorPoint,
  floorPoints,
  givenBackMiB,
  lowerEnvelope,
} from '../../src/analysis/floor.js';
import type { SeriesPoint } from '../../src/analysis/types.js';

function point(tS: number, requests: number, usedMiB: number): SeriesPoint {
  return { tMs: tS * 1000, requests, phase: 'soak', usedMiB };
}

function floors(values: number[]): FloorPoint[] {
  return values.map((usedMiB, i) => ({ x: i + 1, tMs: i * 1000, requests: i + 1, usedMiB }));
}

describe('floorPoints', () => {
  it('keeps the idle reading between requests, not the one taken in flight', () => {
    const points = [
      point(0, 0, 2960), // in flight: a long request holds 400 MiB
      point(1, 1, 2560), // idle after request 1
      point(2, 1, 2900),
      point(3, 2, 2570),
    ];
    expect(floorPoints(points, 'requests')).toEqual([
      { x: 0, tMs: 0, requests: 0, usedMiB: 2960 },
      { x: 1, tMs: 1000, requests: 1, usedMiB: 2560 },
      { x: 2, tMs: 3000, requests: 2, usedMiB: 2570 },
    ]);
  });

  it('merges neighbouring requests so that at most the given number of points remain', () => {
    const points = Array.from({ length: 100 }, (_, i) => point(i, i, 1000 + i));
    const merged = floorPoints(points, 'requests', 10);
    expect(merged).toHaveLength(10);
    expect(merged[1]).toEqual({ x: 10, tMs: 10_000, requests: 10, usedMiB: 1010 });
  });

  it('bins by time, about ten samples a bin, on the time axis', () => {
    // 30 readings 5 s apart, a 400 MiB prefill in flight in all but one of every ten.
    const points = Array.from({ length: 30 }, (_, i) =>
      point(5 * i, 0, 19818 + (i % 10 === 4 ? 0 : 400)),
    );
    const binned = floorPoints(points, 'time');
    expect(binned).toHaveLength(3);
    expect(binned.map((p) => p.usedMiB)).toEqual([19818, 19818, 19818]);
    expect(binned[1]!.x).toBeCloseTo(70 / 3600, 9);
  });
});

describe('lowerEnvelope', () => {
  it('is the lowest floor from each point on', () => {
    const env = lowerEnvelope(floors([100, 180, 120, 160, 110, 150]));
    expect(env.map((p) => p.usedMiB)).toEqual([100, 110, 110, 110, 110, 150]);
  });
});

describe('givenBackMiB', () => {
  it('measures the largest release between idle levels', () => {
    // A cache filled to 200 and released to 110: levels are the lower of neighbours.
    expect(givenBackMiB(floors([100, 150, 200, 110, 160]))).toBe(40);
    expect(givenBackMiB(floors([100, 150, 200, 210, 110, 100]))).toBe(100);
  });

  it('does not read one in-flight reading falling back as a release, nor a leak', () => {
    expect(givenBackMiB(floors([100, 400, 100, 100]))).toBe(0);
    expect(givenBackMiB(floors([100, 110, 120, 130, 140]))).toBe(0);
  });
});
