import { describe, expect, it } from 'vitest';
import { extractSeries } from '../../src/analysis/series.js';
import type { GpuReading, MemorySample } from '../../src/memory/types.js';
import { reading } from './runs.js';

function sample(tS: number, gpus: GpuReading[], requests = 0): MemorySample {
  return { tMs: tS * 1000, requests, phase: 'soak', gpus };
}

// H100 under load (nvidia_gpu_exporter capture): BAR1 19819 of 131072, FB 19818 of 81559.
const h100 = reading({
  fb: { totalMiB: 81559, usedMiB: 19818, reservedMiB: 479 },
  bar1: { totalMiB: 131072, usedMiB: 19819 },
});

describe('extractSeries', () => {
  it('builds a BAR1 and an FB series per GPU, judged against its own totals', () => {
    const { series, gaps } = extractSeries([sample(0, [h100]), sample(1, [h100])]);
    expect(series.map((s) => [s.metric, s.totalMiB, s.points.length])).toEqual([
      ['bar1', 131072, 2],
      ['fb', 81559, 2],
    ]);
    expect(series[0]!.gpu).toEqual({
      index: 0,
      uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      name: 'NVIDIA H100 80GB HBM3',
    });
    expect(gaps).toEqual([]);
  });

  it('judges FB where BAR1 is unreadable, and says so', () => {
    // WSL2/WDDM: BAR1 used N/A, FB 161 of 4096.
    const wsl = reading({
      name: 'NVIDIA GeForce GTX 1650 Ti',
      fb: { totalMiB: 4096, usedMiB: 161, reservedMiB: null },
      bar1: { totalMiB: 256, usedMiB: null },
    });
    const { series, gaps } = extractSeries([sample(0, [wsl])]);
    expect(series.map((s) => s.metric)).toEqual(['fb']);
    expect(gaps).toEqual([{ gpu: series[0]!.gpu, kind: 'bar1-unavailable', judged: 'fb' }]);
  });

  it('falls back to the sum of process memory where FB is unreadable too', () => {
    // The H100 capture's three compute processes: 2566 + 1542 + 15690 MiB.
    const blind = reading({
      fb: { totalMiB: 81559, usedMiB: null, reservedMiB: null },
      processes: [
        { pid: 11327, name: '/root/tools/memhog', usedMiB: 2566, gpuInstanceId: null },
        { pid: 11328, name: '/root/tools/memhog', usedMiB: 1542, gpuInstanceId: null },
        { pid: 11345, name: './gpu_burn', usedMiB: 15690, gpuInstanceId: null },
      ],
    });
    const { series, gaps } = extractSeries([sample(0, [blind])]);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ metric: 'process-sum', totalMiB: 81559 });
    expect(series[0]!.points[0]!.usedMiB).toBe(19798);
    expect(gaps.map((g) => [g.kind, g.judged])).toEqual([
      ['bar1-unavailable', 'process-sum'],
      ['fb-unavailable', 'process-sum'],
    ]);
  });

  it('reads an empty process table as unavailable, never as 0 MiB', () => {
    const { series, gaps } = extractSeries([sample(0, [reading()])]);
    expect(series).toEqual([]);
    expect(gaps.map((g) => g.kind)).toEqual(['unmeasured']);
  });

  it('judges each MIG instance on its own FB and never the whole-GPU BAR1', () => {
    const mig = reading({
      name: 'NVIDIA A100-SXM4-80GB',
      migEnabled: true,
      bar1: { totalMiB: 131072, usedMiB: 81081 },
      fb: { totalMiB: 81920, usedMiB: 59, reservedMiB: 0 },
      mig: [1, 2].map((id) => ({
        gpuInstanceId: id,
        computeInstanceId: 0,
        fb: { totalMiB: 19968, usedMiB: 19 + id },
        bar1: { totalMiB: 32767, usedMiB: 0 },
      })),
    });
    const { series, gaps } = extractSeries([sample(0, [mig])]);
    expect(series.map((s) => [s.metric, s.gpu.gpuInstanceId, s.totalMiB])).toEqual([
      ['mig-fb', 1, 19968],
      ['mig-fb', 2, 19968],
    ]);
    expect(gaps).toEqual([]);
  });

  it('keys GPUs by UUID, so a GPU listed at another index stays one series', () => {
    const a = reading({
      uuid: 'GPU-A',
      index: 0,
      fb: { totalMiB: 8192, usedMiB: 100, reservedMiB: 0 },
    });
    const b = reading({
      uuid: 'GPU-B',
      index: 1,
      fb: { totalMiB: 8192, usedMiB: 200, reservedMiB: 0 },
    });
    const { series } = extractSeries([
      sample(0, [a, b]),
      sample(1, [
        { ...b, index: 0 },
        { ...a, index: 1 },
      ]),
    ]);
    expect(series.map((s) => [s.gpu.uuid, s.points.map((p) => p.usedMiB)])).toEqual([
      ['GPU-A', [100, 100]],
      ['GPU-B', [200, 200]],
    ]);
  });
});
