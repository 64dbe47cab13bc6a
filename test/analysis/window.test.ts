import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../src/analysis/types.js';
import { judgedWindow } from '../../src/analysis/window.js';
import type { Phase } from '../../src/memory/types.js';

function point(tS: number, requests: number, phase: Phase = 'soak', usedMiB = 2560): SeriesPoint {
  return { tMs: tS * 1000, requests, phase, usedMiB };
}

/** A soak of 40 requests, one every 10 s, starting at t = 100 s after 3 check requests. */
const soak = Array.from({ length: 41 }, (_, i) => point(100 + 10 * i, 3 + i));
const run = [
  point(0, 0, 'baseline', 1),
  point(60, 0, 'ready'),
  point(80, 3, 'checks'),
  ...soak,
  point(520, 43, 'settle'),
  point(530, 43, 'final'),
];

describe('judgedWindow', () => {
  it('leaves out the requests of warm-up, counted from the soak start', () => {
    const w = judgedWindow(run, { requests: 10 })!;
    expect(w.axis).toBe('requests');
    expect(w.soak).toHaveLength(41);
    expect(w.judged[0]).toEqual(point(200, 13));
    expect(w.warmupRequests).toBe(10);
    expect(w.warmupSeconds).toBe(100);
    expect(w.settle.map((p) => p.phase)).toEqual(['settle', 'final']);
    expect(w.afterReady).toHaveLength(run.length - 1);
    expect(w.requestsPerHour).toBeCloseTo(360, 6); // 40 requests in 400 s
  });

  it('ends warm-up when both a request and a time threshold have passed', () => {
    const w = judgedWindow(run, { requests: 2, seconds: 60 })!;
    expect(w.judged[0]).toEqual(point(160, 9));
  });

  it('never leaves out more than half the soak', () => {
    const w = judgedWindow(run, { requests: 100 })!;
    expect(w.judged[0]).toEqual(point(300, 23));
  });

  it('uses time when requests were not counted, and a tenth of it for a request warm-up', () => {
    const timeOnly = Array.from({ length: 61 }, (_, i) => point(10 * i, 0));
    const w = judgedWindow(timeOnly, { requests: 10 })!;
    expect(w.axis).toBe('time');
    expect(w.requestsPerHour).toBeNull();
    expect(w.warmupRequests).toBeNull();
    expect(w.judged[0]).toEqual(point(60, 0));
  });

  it('falls back to ready and checks when there was no soak, and is null with neither', () => {
    const w = judgedWindow([point(60, 0, 'ready'), point(70, 1, 'checks')], {})!;
    expect(w.soak).toHaveLength(2);
    expect(judgedWindow([point(0, 0, 'baseline'), point(5, 0, 'settle')], {})).toBeNull();
  });
});
