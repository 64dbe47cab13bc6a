import { describe, expect, it } from 'vitest';
import { seriesFigures } from '../../src/analysis/figures.js';
import { DEFAULT_MEMORY_POLICY } from '../../src/analysis/policy.js';
import { extractSeries } from '../../src/analysis/series.js';
import type { MemorySeries } from '../../src/analysis/types.js';
import { gateRun, levels, type RunShape } from './runs.js';

function bar1Series(shape: RunShape): MemorySeries {
  return extractSeries(gateRun(shape)).series.find((s) => s.metric === 'bar1')!;
}

describe('seriesFigures', () => {
  it('measures a 10 MiB-per-request leak: growth, rate and time to exhaustion', () => {
    const { figures } = seriesFigures(
      bar1Series({ readyMiB: 2560, soak: levels(60, (k) => 2560 + 10 * k) }),
      DEFAULT_MEMORY_POLICY,
    );
    // Warm-up: 10 requests; the idle floor after request 10 is 2660, and settle holds 3160.
    expect(figures.warmup).toMatchObject({ requests: 10, detected: false });
    expect(figures.baselineMiB).toBe(2658);
    expect(figures.settledMiB).toBeCloseTo(3160, -1);
    expect(figures.growthMiB).toBeCloseTo(502, -1);
    expect(figures.slopeMiBPerRequest).toBeCloseTo(10, 1);
    // 60 requests between the first and last soak reading, 595 s apart: 363 an hour.
    expect(figures.requestsPerHour).toBeCloseTo(363.03, 2);
    expect(figures.slopeMiBPerHour).toBeCloseTo(3630, -1);
    // (8192 − 3160) MiB of headroom at 10 MiB a request: ~503 requests, ~1.4 h.
    expect(figures.projectedExhaustionRequests).toBeCloseTo(503, -1);
    expect(figures.projectedExhaustionHours).toBeCloseTo(1.4, 1);
    const [fast, slow] = figures.projectedExhaustionHoursRange!;
    expect(fast!).toBeLessThanOrEqual(figures.projectedExhaustionHours!);
    expect(slow!).toBeGreaterThanOrEqual(figures.projectedExhaustionHours!);
    expect(figures.plateau).toBe(false);
    expect(figures.trendPValue!).toBeLessThan(1e-6);
    expect(figures.peakShare).toBeCloseTo(3163 / 8192, 3);
  });

  it('reads the settled level at the end of settle, after memory released late', () => {
    const { figures } = seriesFigures(
      bar1Series({ readyMiB: 2560, soak: levels(40, () => 3160), settleMiB: 2710 }),
      DEFAULT_MEMORY_POLICY,
    );
    expect(figures.settledMiB).toBeCloseTo(2710, -1);
    expect(figures.growthMiB).toBeCloseTo(-450, -1);
    expect(figures.projectedExhaustionHours).toBeNull();
  });

  it('counts what a sawtooth gave back, and projects no exhaustion from it', () => {
    const { figures } = seriesFigures(
      bar1Series({ readyMiB: 2560, soak: levels(60, (k) => 2560 + 80 * (k % 8)) }),
      DEFAULT_MEMORY_POLICY,
    );
    expect(figures.givenBackMiB!).toBeGreaterThan(400);
    expect(figures.projectedExhaustionHours).toBeNull();
  });

  it('has no figures but its total for a series with no reading after ready', () => {
    const series: MemorySeries = {
      gpu: { index: 0, uuid: null, name: null },
      metric: 'fb',
      points: [{ tMs: 0, requests: 0, phase: 'baseline', usedMiB: 0 }],
      totalMiB: 81559,
    };
    const { figures, evidence } = seriesFigures(series, DEFAULT_MEMORY_POLICY);
    expect(evidence).toBeNull();
    expect(figures).toMatchObject({ totalMiB: 81559, growthMiB: null, baselineMiB: null });
  });
});
