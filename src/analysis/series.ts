import type { GpuReading, MemorySample } from '../memory/types.js';
import { median } from './stats.js';
import type { GpuRef, MemoryMetric, MemorySeries, SeriesPoint } from './types.js';

/** Why a GPU is judged on fewer metrics than the best one: turned into warnings by the caller. */
export interface SeriesGap {
  gpu: GpuRef;
  kind: 'bar1-unavailable' | 'fb-unavailable' | 'mig-fb-unavailable' | 'unmeasured';
  /** The metric judged instead, when there is one. */
  judged: MemoryMetric | null;
}

export interface SeriesSet {
  series: MemorySeries[];
  gaps: SeriesGap[];
}

interface Collected {
  points: SeriesPoint[];
  totals: number[];
}

function collector(): Collected {
  return { points: [], totals: [] };
}

function add(c: Collected, s: MemorySample, usedMiB: number | null, totalMiB: number | null): void {
  if (usedMiB !== null && Number.isFinite(usedMiB)) {
    c.points.push({ tMs: s.tMs, requests: s.requests, phase: s.phase, usedMiB });
  }
  if (totalMiB !== null && Number.isFinite(totalMiB) && totalMiB > 0) c.totals.push(totalMiB);
}

/**
 * The sum of the processes' memory, or null where no process reports a number. An empty
 * process table is unavailable too: in containers and under WDDM "no processes" and
 * "cannot see them" look the same.
 */
function processSumMiB(gpu: GpuReading): number | null {
  const used = gpu.processes.map((p) => p.usedMiB).filter((v): v is number => v !== null);
  return used.length === 0 ? null : used.reduce((a, b) => a + b, 0);
}

interface GpuCollection {
  ref: GpuRef;
  mig: boolean;
  bar1: Collected;
  fb: Collected;
  processSum: Collected;
  migFb: Map<number, Collected>;
}

function keyOf(gpu: GpuReading): string {
  return gpu.uuid ?? `index:${gpu.index}`;
}

function toSeries(gpu: GpuRef, metric: MemoryMetric, c: Collected): MemorySeries {
  return {
    gpu,
    metric,
    points: c.points,
    totalMiB: c.totals.length > 0 ? median(c.totals) : null,
  };
}

/**
 * One series per GPU (keyed by UUID, reported by index and name) and metric, following the
 * gate's fallbacks: BAR1 where it can be read and MIG is off (in MIG mode the whole-GPU BAR1
 * is a large constant), FB, or per MIG instance its own FB; the sum of process memory where
 * FB is unreadable; and an `unmeasured` gap where nothing is.
 */
export function extractSeries(samples: readonly MemorySample[]): SeriesSet {
  const gpus = new Map<string, GpuCollection>();

  for (const sample of samples) {
    for (const reading of sample.gpus) {
      const key = keyOf(reading);
      let g = gpus.get(key);
      if (!g) {
        g = {
          ref: { index: reading.index, uuid: reading.uuid, name: reading.name },
          mig: false,
          bar1: collector(),
          fb: collector(),
          processSum: collector(),
          migFb: new Map(),
        };
        gpus.set(key, g);
      }
      g.mig ||= reading.migEnabled;
      add(g.bar1, sample, reading.bar1.usedMiB, reading.bar1.totalMiB);
      add(g.fb, sample, reading.fb.usedMiB, reading.fb.totalMiB);
      add(g.processSum, sample, processSumMiB(reading), reading.fb.totalMiB);
      for (const instance of reading.mig) {
        if (instance.gpuInstanceId === null) continue;
        let c = g.migFb.get(instance.gpuInstanceId);
        if (!c) {
          c = collector();
          g.migFb.set(instance.gpuInstanceId, c);
        }
        add(c, sample, instance.fb.usedMiB, instance.fb.totalMiB);
      }
    }
  }

  const series: MemorySeries[] = [];
  const gaps: SeriesGap[] = [];
  for (const g of gpus.values()) {
    if (g.mig) {
      const instances = [...g.migFb.entries()].filter(([, c]) => c.points.length > 0);
      for (const [id, c] of instances.sort(([a], [b]) => a - b)) {
        series.push(toSeries({ ...g.ref, gpuInstanceId: id }, 'mig-fb', c));
      }
      if (instances.length > 0) continue;
      const judged = fallbackMetric(g);
      if (judged) gaps.push({ gpu: g.ref, kind: 'mig-fb-unavailable', judged });
    } else if (g.bar1.points.length > 0) {
      series.push(toSeries(g.ref, 'bar1', g.bar1));
    } else {
      const judged = fallbackMetric(g);
      if (judged) gaps.push({ gpu: g.ref, kind: 'bar1-unavailable', judged });
    }

    if (g.fb.points.length > 0) {
      series.push(toSeries(g.ref, 'fb', g.fb));
    } else if (g.processSum.points.length > 0) {
      series.push(toSeries(g.ref, 'process-sum', g.processSum));
      gaps.push({ gpu: g.ref, kind: 'fb-unavailable', judged: 'process-sum' });
    } else if (!g.mig && g.bar1.points.length > 0) {
      gaps.push({ gpu: g.ref, kind: 'fb-unavailable', judged: 'bar1' });
    } else {
      gaps.push({ gpu: g.ref, kind: 'unmeasured', judged: null });
    }
  }
  return { series, gaps };
}

function fallbackMetric(g: GpuCollection): MemoryMetric | null {
  if (g.fb.points.length > 0) return 'fb';
  if (g.processSum.points.length > 0) return 'process-sum';
  return null;
}
