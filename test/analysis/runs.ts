import type { GpuReading, MemorySample, Phase } from '../../src/memory/types.js';

/** A GPU reading with every figure unavailable unless given. */
export function reading(over: Partial<GpuReading> = {}): GpuReading {
  return {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000000',
    name: 'NVIDIA H100 80GB HBM3',
    busId: '00000000:00:09.0',
    fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
    bar1: { totalMiB: null, usedMiB: null },
    migEnabled: false,
    mig: [],
    processes: [],
    ...over,
  };
}

/** Reading-to-reading jitter of a few MiB, as BAR1 shows between idle and load. */
const JITTER_MIB = [0, 2, -1, 3, -2, 1, -3, 2, 0, -1, 1, -2, 3, -3, 1];

export function jitter(i: number): number {
  return JITTER_MIB[i % JITTER_MIB.length]!;
}

export interface RunShape {
  /** BAR1 total (the story's GPU: 8 GiB). */
  bar1TotalMiB?: number;
  /** Idle level once the engine is ready and through the checks. */
  readyMiB: number;
  /** Idle level after each soak request completes. */
  soak: readonly number[];
  /** Extra memory a request holds while it runs. */
  inflightMiB?: number;
  /** Idle level during settle; the last soak level when not given. */
  settleMiB?: number;
  /** Where the values go: BAR1 (FB mirrors it on a 24 GiB card), or FB only. */
  metric?: 'bar1' | 'fb';
  fbTotalMiB?: number;
}

/**
 * A gate run as the sampler records it: two readings before deploy, ready, three checks,
 * one soak request every 10 s with a reading while it runs and one at idle after it, a
 * minute of settle and a final reading.
 */
export function gateRun(shape: RunShape): MemorySample[] {
  const metric = shape.metric ?? 'bar1';
  const samples: MemorySample[] = [];
  let requests = 0;
  const push = (tS: number, phase: Phase, usedMiB: number) => {
    const used = Math.round(usedMiB);
    const gpu =
      metric === 'bar1'
        ? reading({
            bar1: { totalMiB: shape.bar1TotalMiB ?? 8192, usedMiB: used },
            fb: { totalMiB: shape.fbTotalMiB ?? 24576, usedMiB: used + 10, reservedMiB: 0 },
          })
        : reading({ fb: { totalMiB: shape.fbTotalMiB ?? 81559, usedMiB: used, reservedMiB: 0 } });
    samples.push({ tMs: tS * 1000, requests, phase, gpus: [gpu] });
  };

  push(0, 'baseline', 1);
  push(1, 'baseline', 1);
  push(60, 'ready', shape.readyMiB);
  let t = 62;
  for (let i = 0; i < 3; i++, t += 10) {
    push(t, 'checks', shape.readyMiB + (shape.inflightMiB ?? 0));
    requests += 1;
    push(t + 5, 'checks', shape.readyMiB);
  }
  let level = shape.readyMiB;
  shape.soak.forEach((next, i) => {
    push(t, 'soak', level + (shape.inflightMiB ?? 0) + jitter(2 * i));
    requests += 1;
    level = next;
    push(t + 5, 'soak', level + jitter(2 * i + 1));
    t += 10;
  });
  const settle = shape.settleMiB ?? level;
  for (let i = 0; i < 6; i++, t += 10) push(t, 'settle', settle + jitter(i));
  push(t, 'final', settle);
  return samples;
}

/** `count` idle levels from a function of the request number (1-based). */
export function levels(count: number, level: (k: number) => number): number[] {
  return Array.from({ length: count }, (_, i) => level(i + 1));
}
