import { extractSeries } from '../analysis/series.js';
import type { MemoryMetric, MemorySeries } from '../analysis/types.js';
import { METRIC_WORD } from './format.js';
import type { GateResults } from './results.js';

/** Columns of a chart: enough to see a trend, few enough for GitHub and a terminal. */
export const CHART_BINS = 60;
/** More lines than this in one chart cannot be told apart. */
const MAX_LINES = 8;

const METRIC_ORDER: readonly MemoryMetric[] = ['bar1', 'fb', 'mig-fb', 'process-sum'];

export interface ChartLine {
  /** `GPU 0`, `GPU 1 MIG 3`. */
  label: string;
  /** The GPU's name as nvidia-smi printed it (untrusted text). */
  gpuName: string | null;
  /** One value per bin, MiB: the highest reading in the bin. */
  values: number[];
}

/**
 * One metric's memory over the run, binned on a uniform time axis so every reader (Mermaid
 * places points evenly, a terminal has fixed columns) draws time to scale.
 */
export interface ChartData {
  metric: MemoryMetric;
  metricWord: string;
  /** Seconds from the gate's start to the end of the last bin. */
  endS: number;
  bins: number;
  lines: ChartLine[];
  /** Per bin: whether it lies in the soak window. */
  soak: boolean[];
  soakStartS: number | null;
  soakEndS: number | null;
  yMinMiB: number;
  yMaxMiB: number;
  /** The metric's total on the first GPU charted, when known. */
  totalMiB: number | null;
  /** GPUs judged on this metric but left out of the chart. */
  linesLeftOut: number;
}

function lineLabel(s: MemorySeries): string {
  const mig = s.gpu.gpuInstanceId !== undefined ? ` MIG ${s.gpu.gpuInstanceId}` : '';
  return `GPU ${s.gpu.index}${mig}`;
}

/**
 * Highest reading per bin (a peak between samples must not vanish); a bin with no reading
 * repeats the bin before it, so a gap in sampling draws flat rather than as a drop to 0.
 */
function binned(series: MemorySeries, bins: number, binMs: number): number[] | null {
  const values: (number | null)[] = new Array(bins).fill(null);
  for (const p of series.points) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(p.tMs / binMs)));
    const current = values[i] ?? null;
    values[i] = current === null ? p.usedMiB : Math.max(current, p.usedMiB);
  }
  const first = values.find((v) => v !== null);
  if (first === undefined || first === null) return null;
  let last = first;
  return values.map((v) => {
    if (v !== null) last = v;
    return last;
  });
}

/** Bounds that leave some air around the lines, and reach the total when it is close. */
function yRange(lines: ChartLine[], totalMiB: number | null): [number, number] {
  const all = lines.flatMap((l) => l.values);
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (totalMiB !== null && high >= 0.8 * totalMiB) high = Math.max(high, totalMiB);
  const pad = Math.max((high - low) * 0.05, 1);
  low = Math.max(0, low - pad);
  if (high < (totalMiB ?? Number.POSITIVE_INFINITY)) high += pad;
  return [Math.floor(low), Math.ceil(high)];
}

function soakWindow(results: GateResults): [number, number] | null {
  const soak = results.soak;
  if (soak && soak.startMs !== null && soak.endMs !== null) return [soak.startMs, soak.endMs];
  // Older files without the window: the span of the samples taken in the soak phase.
  const times = results.memory.samples.filter((s) => s.phase === 'soak').map((s) => s.tMs);
  return times.length > 0 ? [Math.min(...times), Math.max(...times)] : null;
}

/** The charts of a results file: one per metric the analysis judged, BAR1 first. */
export function chartData(results: GateResults, bins = CHART_BINS): ChartData[] {
  const samples = results.memory.samples;
  if (samples.length < 2) return [];
  const endMs = Math.max(...samples.map((s) => s.tMs));
  if (endMs <= 0) return [];
  const binCount = Math.max(2, Math.min(bins, samples.length));
  const binMs = endMs / binCount;
  const window = soakWindow(results);
  const soak = Array.from({ length: binCount }, (_, i) => {
    const centre = (i + 0.5) * binMs;
    return window !== null && centre >= window[0] && centre <= window[1];
  });

  const judged = new Set(results.memory.series.map((s) => s.metric));
  const series = extractSeries(samples).series.filter((s) => judged.has(s.metric));
  const charts: ChartData[] = [];
  for (const metric of METRIC_ORDER) {
    const ofMetric = series.filter((s) => s.metric === metric);
    const lines: ChartLine[] = [];
    for (const s of ofMetric.slice(0, MAX_LINES)) {
      const values = binned(s, binCount, binMs);
      if (values) lines.push({ label: lineLabel(s), gpuName: s.gpu.name, values });
    }
    if (lines.length === 0) continue;
    const totalMiB = ofMetric[0]?.totalMiB ?? null;
    const [yMinMiB, yMaxMiB] = yRange(lines, totalMiB);
    charts.push({
      metric,
      metricWord: METRIC_WORD[metric] ?? metric,
      endS: endMs / 1000,
      bins: binCount,
      lines,
      soak,
      soakStartS: window ? window[0] / 1000 : null,
      soakEndS: window ? window[1] / 1000 : null,
      yMinMiB,
      yMaxMiB,
      totalMiB,
      linesLeftOut: Math.max(0, ofMetric.length - MAX_LINES),
    });
  }
  return charts;
}
