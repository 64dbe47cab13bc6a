import type { GpuReading, MemorySample, Phase } from '../../src/memory/types.js';
import type { GateResults, SeriesView } from '../../src/report/results.js';
import { fixture } from './load-fixture.js';

export function gpuReading(index: number, bar1MiB: number | null, fbMiB = 40_000): GpuReading {
  return {
    index,
    uuid: `GPU-${index}`,
    name: 'NVIDIA L40S',
    busId: null,
    fb: { totalMiB: 46_068, usedMiB: fbMiB, reservedMiB: 0 },
    bar1: { totalMiB: 8192, usedMiB: bar1MiB },
    migEnabled: false,
    mig: [],
    processes: [],
  };
}

/** One sample per entry: [seconds, phase, BAR1 MiB per GPU]. */
export function samples(rows: [number, Phase, (number | null)[]][]): MemorySample[] {
  return rows.map(([s, phase, bar1], i) => ({
    tMs: s * 1000,
    requests: i,
    phase,
    gpus: bar1.map((v, index) => gpuReading(index, v)),
  }));
}

export function seriesView(index: number, metric: string): SeriesView {
  return {
    gpu: { index, uuid: `GPU-${index}`, name: 'NVIDIA L40S' },
    metric,
    verdict: 'pass',
    baselineMiB: 1000,
    peakMiB: 1100,
    settledMiB: 1000,
    totalMiB: 8192,
    growthMiB: 0,
    slopeMiBPerHour: 0,
    slopeMiBPerRequest: 0,
    projectedExhaustionHours: null,
  };
}

/** The passing fixture with its memory replaced. */
export function withMemory(
  memorySamples: MemorySample[],
  series: SeriesView[],
  soak: { startMs: number; endMs: number } | null = null,
): GateResults {
  const base = fixture('pass');
  return {
    ...base,
    soak: base.soak && soak ? { ...base.soak, ...soak } : soak ? null : base.soak,
    memory: { ...base.memory, samples: memorySamples, series },
  };
}
