import { describe, expect, it } from 'vitest';
import { checkRunner, compareToBaseline, runnerReasons } from '../../src/gate/runner-hygiene.js';
import type { GpuReading, SmiReading, SmiSnapshot } from '../../src/memory/types.js';

function gpu(index: number, fbUsed: number, bar1Used: number, fbTotal = 81559): GpuReading {
  return {
    index,
    uuid: `GPU-${index}`,
    name: 'NVIDIA H100 80GB HBM3',
    busId: null,
    fb: { totalMiB: fbTotal, usedMiB: fbUsed, reservedMiB: 479 },
    bar1: { totalMiB: 131072, usedMiB: bar1Used },
    migEnabled: false,
    mig: [],
    processes: [],
  };
}

function snapshot(...gpus: GpuReading[]): SmiSnapshot {
  return { kind: 'ok', timestamp: null, driverVersion: null, cudaVersion: null, gpus };
}

describe('compareToBaseline', () => {
  it('finds the runner clean when memory is back within the noise', () => {
    const view = compareToBaseline(snapshot(gpu(0, 0, 1)), snapshot(gpu(0, 300, 40)));
    expect(view.dirty).toBe(false);
    expect(runnerReasons(view)).toEqual([]);
  });

  it('names the GPU and the figures that did not return', () => {
    const view = compareToBaseline(
      snapshot(gpu(0, 0, 1), gpu(1, 0, 1)),
      snapshot(gpu(0, 0, 1), gpu(1, 2048, 601)),
    );
    expect(view.dirty).toBe(true);
    expect(view.message).toContain('GPU 1: FB 0 → 2048 MiB, BAR1 1 → 601 MiB');
    expect(view.gpus[1]).toEqual({
      index: 1,
      uuid: 'GPU-1',
      fbBaselineMiB: 0,
      fbAfterMiB: 2048,
      bar1BaselineMiB: 1,
      bar1AfterMiB: 601,
    });
    expect(runnerReasons(view)).toEqual([
      { rule: 'runner-dirty', severity: 'warn', message: view.message },
    ]);
  });

  it('takes a BAR1 mapping left behind as dirty even when FB returned', () => {
    const view = compareToBaseline(snapshot(gpu(0, 0, 1)), snapshot(gpu(0, 0, 200)));
    expect(view.dirty).toBe(true);
    expect(view.message).toContain('BAR1 1 → 200 MiB');
  });

  it('calls a GPU that cannot be read after teardown dirty, never clean', () => {
    const broken: SmiReading = { kind: 'broken', state: 'gpu-lost', message: 'GPU is lost' };
    const view = compareToBaseline(snapshot(gpu(0, 0, 1)), broken);
    expect(view).toMatchObject({ dirty: true, gpus: [] });
    expect(view.message).toContain('gpu-lost: GPU is lost');
  });

  it('calls a GPU that is no longer listed dirty', () => {
    expect(
      compareToBaseline(snapshot(gpu(0, 0, 1), gpu(1, 0, 1)), snapshot(gpu(0, 0, 1))).message,
    ).toContain('GPU 1 is no longer listed');
  });
});

describe('checkRunner', () => {
  it('reads again while memory is being released, and stops once it is back', async () => {
    const readings = [snapshot(gpu(0, 9000, 900)), snapshot(gpu(0, 0, 1))];
    let reads = 0;
    const view = await checkRunner(
      async () => readings[Math.min(reads++, 1)]!,
      snapshot(gpu(0, 0, 1)),
      {
        waitMs: 5000,
        pollMs: 10,
      },
    );
    expect(view.dirty).toBe(false);
    expect(reads).toBe(2);
  });

  it('gives up after the wait with the last reading', async () => {
    let reads = 0;
    const view = await checkRunner(
      async () => {
        reads += 1;
        return snapshot(gpu(0, 9000, 900));
      },
      snapshot(gpu(0, 0, 1)),
      { waitMs: 0, pollMs: 10 },
    );
    expect(view.dirty).toBe(true);
    expect(reads).toBe(1);
  });
});
