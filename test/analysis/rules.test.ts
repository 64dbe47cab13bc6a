import { describe, expect, it } from 'vitest';
import {
  emptyFigures,
  type SeriesEvidence,
  type SeriesFigures,
} from '../../src/analysis/figures.js';
import { DEFAULT_MEMORY_POLICY } from '../../src/analysis/policy.js';
import { gpuLabel, seriesReasons, TREND_P } from '../../src/analysis/rules.js';
import type { Trend } from '../../src/analysis/trend.js';
import type { MemoryMetric } from '../../src/analysis/types.js';
import type { JudgedWindow } from '../../src/analysis/window.js';

const H100 = { index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA H100' };

function figures(metric: MemoryMetric, over: Partial<SeriesFigures>): SeriesFigures {
  return {
    ...emptyFigures({ gpu: H100, metric, points: [], totalMiB: 8192 }),
    trendPoints: 40,
    ...over,
  };
}

function trend(over: Partial<Trend> = {}): Trend {
  return {
    slope: 368,
    retainedSlope: 368,
    intercept: 2560,
    lower: 300,
    upper: 420,
    pIncreasing: 1e-6,
    plateauIndex: null,
    decelerating: false,
    noiseMiB: 3,
    ...over,
  };
}

function evidence(over: Partial<SeriesEvidence> = {}): SeriesEvidence {
  return {
    window: {} as JudgedWindow,
    floor: [],
    trend: trend(),
    lastFloorMiB: 4400,
    startMiB: 2560,
    releasedAtSettle: false,
    ...over,
  };
}

/** The story in numbers: 1840 MiB retained on 8 GiB of BAR1, 368 MiB a request. */
const story = figures('bar1', {
  baselineMiB: 2560,
  settledMiB: 4400,
  peakMiB: 4700,
  peakShare: 4700 / 8192,
  growthMiB: 1840,
  growthUncertaintyMiB: 8,
  givenBackMiB: 0,
  slopeMiBPerRequest: 368,
  slopeMiBPerHour: 1840,
  projectedExhaustionHours: 2.1,
  projectedExhaustionHoursRange: [1.8, 2.6],
  trendPValue: 1e-6,
});

describe('gpuLabel', () => {
  it('names a GPU by index and name, and a MIG instance by its id', () => {
    expect(gpuLabel(H100)).toBe('GPU 0 (NVIDIA H100)');
    expect(gpuLabel({ index: 2, uuid: null, name: null, gpuInstanceId: 7 })).toBe(
      'GPU 2, MIG instance 7',
    );
  });
});

describe('seriesReasons', () => {
  it('says which figure crossed which limit when BAR1 grows', () => {
    const [growth, exhaustion] = seriesReasons(story, evidence(), DEFAULT_MEMORY_POLICY);
    expect(growth).toMatchObject({ rule: 'bar1-growth', severity: 'fail' });
    expect(growth!.message).toBe(
      "BAR1 on GPU 0 (NVIDIA H100) grew 1.8 GiB after warm-up (limit 512 MiB): +368 MiB per request, projected to exhaust its 8.0 GiB in 2.1 h (1.8 h to 2.6 h) at the soak's rate",
    );
    expect(growth!.figures).toMatchObject({ growthMiB: 1840, limitMiB: 512, totalMiB: 8192 });
    expect(exhaustion).toMatchObject({ rule: 'memory-exhaustion', severity: 'fail' });
    expect(exhaustion!.message).toContain('within the 24 h horizon');
  });

  it('reads growth the soak gave back along the way as a refilling cache', () => {
    const sawtooth = { ...story, growthMiB: 640, givenBackMiB: 480 };
    const reasons = seriesReasons(
      sawtooth,
      evidence({ trend: trend({ pIncreasing: 0.5 }) }),
      DEFAULT_MEMORY_POLICY,
    );
    expect(reasons.map((r) => `${r.severity}:${r.rule}`)).toEqual(['warn:memory-reclaimable']);
  });

  it('holds FB, MIG FB and process memory to the FB limit', () => {
    for (const metric of ['fb', 'mig-fb', 'process-sum'] as const) {
      const over = figures(metric, { baselineMiB: 20000, settledMiB: 21100, growthMiB: 1100 });
      const under = figures(metric, { baselineMiB: 20000, settledMiB: 20900, growthMiB: 900 });
      const calm = evidence({ trend: trend({ pIncreasing: 0.4 }) });
      expect(seriesReasons(over, calm, DEFAULT_MEMORY_POLICY)[0]).toMatchObject({
        rule: 'fb-growth',
        figures: expect.objectContaining({ limitMiB: 1024 }),
      });
      expect(seriesReasons(under, calm, DEFAULT_MEMORY_POLICY)).toEqual([]);
    }
  });

  it('only warns about a rise whose slowest pace runs out beyond the horizon', () => {
    const slow = {
      ...story,
      growthMiB: 100,
      projectedExhaustionHoursRange: [12, 30] as [number, number],
    };
    const reasons = seriesReasons(slow, evidence(), DEFAULT_MEMORY_POLICY);
    expect(reasons.map((r) => `${r.severity}:${r.rule}`)).toEqual(['warn:memory-trend']);
    expect(reasons[0]!.message).toContain('not surely within the 24 h horizon');
  });

  it('projects nothing from a plateau, a rise given back at settle, or a weak trend', () => {
    const quiet = { ...story, growthMiB: 100 };
    const cases: [SeriesFigures, SeriesEvidence][] = [
      [{ ...quiet, plateau: true }, evidence()],
      [quiet, evidence({ releasedAtSettle: true })],
      [quiet, evidence({ trend: trend({ pIncreasing: TREND_P * 2 }) })],
    ];
    for (const [f, e] of cases) expect(seriesReasons(f, e, DEFAULT_MEMORY_POLICY)).toEqual([]);
  });

  it('fails growth into the ceiling and only warns about memory reserved above it', () => {
    const fb = figures('fb', {
      baselineMiB: 70000,
      settledMiB: 70000,
      growthMiB: 0,
      totalMiB: 81559,
      peakMiB: 79000,
      peakShare: 79000 / 81559,
    });
    const calm = { trend: trend({ pIncreasing: 0.5 }) };
    const grown = seriesReasons(fb, evidence({ ...calm, startMiB: 70000 }), DEFAULT_MEMORY_POLICY);
    expect(grown.map((r) => `${r.severity}:${r.rule}`)).toEqual(['fail:memory-ceiling']);
    expect(grown[0]!.message).toContain('(96.9%, ceiling 95%), up from 85.8%');

    const reserved = seriesReasons(
      fb,
      evidence({ ...calm, startMiB: 78900 }),
      DEFAULT_MEMORY_POLICY,
    );
    expect(reserved.map((r) => `${r.severity}:${r.rule}`)).toEqual(['warn:memory-ceiling']);
    expect(reserved[0]!.message).toContain('reserved up front');
  });

  it('holds BAR1 to 90% of its own total even when the ceiling is set higher', () => {
    const bar1 = figures('bar1', {
      baselineMiB: 191,
      settledMiB: 200,
      growthMiB: 9,
      totalMiB: 256,
      peakMiB: 235,
      peakShare: 235 / 256,
    });
    const reasons = seriesReasons(
      bar1,
      evidence({ startMiB: 191, trend: trend({ pIncreasing: 0.5 }) }),
      DEFAULT_MEMORY_POLICY,
    );
    expect(reasons[0]).toMatchObject({ rule: 'memory-ceiling', severity: 'fail' });
    expect(reasons[0]!.message).toContain('ceiling 90%');
  });

  it('warns when too few idle points were left to judge a trend', () => {
    const few = figures('bar1', {
      baselineMiB: 2560,
      settledMiB: 2560,
      growthMiB: 0,
      trendPoints: 3,
    });
    const reasons = seriesReasons(few, evidence({ trend: null }), DEFAULT_MEMORY_POLICY);
    expect(reasons.map((r) => `${r.severity}:${r.rule}`)).toEqual(['warn:memory-few-samples']);
  });
});
