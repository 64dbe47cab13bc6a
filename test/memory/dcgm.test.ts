import { describe, expect, it } from 'vitest';
import { dcgmReading } from '../../src/memory/dcgm.js';
import { parsePrometheusText } from '../../src/memory/prometheus.js';
import { sharedFixture } from '../shared-fixtures.js';

const FIXTURE = sharedFixture('dcgm-exporter/metrics-h100-590-load-with-bar1-counters.prom');
const read = (text: string) => dcgmReading(parsePrometheusText(text));

describe('dcgmReading', () => {
  it('maps the H100 scrape with BAR1 counters to one GPU keyed by its UUID', () => {
    expect(read(FIXTURE)).toEqual({
      kind: 'ok',
      timestamp: null,
      driverVersion: '590.48.01',
      cudaVersion: null,
      gpus: [
        {
          index: 0,
          uuid: 'GPU-00000000-0000-0000-0000-000000000001',
          name: 'NVIDIA H100 80GB HBM3',
          busId: '00000000:00:09.0',
          // used 19818 + free 61263 + reserved 479
          fb: { totalMiB: 81560, usedMiB: 19818, reservedMiB: 479 },
          bar1: { totalMiB: 131072, usedMiB: 19819 },
          migEnabled: false,
          mig: [],
          processes: [],
        },
      ],
    });
  });

  it('gives BAR1 null with the default counters, which export no BAR1', () => {
    const withoutBar1 = FIXTURE.split('\n')
      .filter((line) => !line.includes('BAR1'))
      .join('\n');
    const r = read(withoutBar1);
    expect(r.kind === 'ok' && r.gpus[0]?.bar1).toEqual({ totalMiB: null, usedMiB: null });
    expect(r.kind === 'ok' && r.gpus[0]?.fb.usedMiB).toBe(19818);
  });

  it('reads the old blank sentinel 9223372036854775794 as null, not as a number', () => {
    const r = read(
      FIXTURE.replace(/(DCGM_FI_DEV_FB_USED\{[^}]*\}) 19818/, '$1 9223372036854775794'),
    );
    expect(r.kind === 'ok' && r.gpus[0]?.fb).toEqual({
      totalMiB: null,
      usedMiB: null,
      reservedMiB: 479,
    });
  });

  it('derives BAR1 used from total and free when only those are exported', () => {
    const r = read(
      FIXTURE.split('\n')
        .filter((l) => !l.startsWith('DCGM_FI_DEV_BAR1_USED'))
        .join('\n'),
    );
    expect(r.kind === 'ok' && r.gpus[0]?.bar1).toEqual({ totalMiB: 131072, usedMiB: 19819 });
  });

  it('orders GPUs by the gpu label and reads the old Hostname label spelling', () => {
    const line = (gpu: number, name: string, value: number) =>
      `${name}{gpu="${gpu}",UUID="GPU-${gpu}",device="nvidia${gpu}",modelName="NVIDIA L40S",Hostname="h"} ${value}`;
    const text = [
      line(1, 'DCGM_FI_DEV_FB_USED', 1235),
      line(1, 'DCGM_FI_DEV_FB_FREE', 44000),
      line(0, 'DCGM_FI_DEV_FB_USED', 0),
      line(0, 'DCGM_FI_DEV_FB_FREE', 45235),
    ].join('\n');
    const r = read(text);
    expect(
      r.kind === 'ok' && r.gpus.map((g) => [g.index, g.uuid, g.fb.usedMiB, g.fb.totalMiB]),
    ).toEqual([
      [0, 'GPU-0', 0, 45235],
      [1, 'GPU-1', 1235, 45235],
    ]);
  });

  it('reads series with GPU_I_ID as MIG instances of their GPU', () => {
    const base = 'gpu="0",UUID="GPU-0",modelName="NVIDIA H100 80GB HBM3"';
    const text = [
      `DCGM_FI_DEV_FB_USED{${base},GPU_I_PROFILE="1g.10gb",GPU_I_ID="2"} 11125`,
      `DCGM_FI_DEV_FB_FREE{${base},GPU_I_PROFILE="1g.10gb",GPU_I_ID="2"} 0`,
      `DCGM_FI_DEV_FB_USED{${base},GPU_I_PROFILE="1g.10gb",GPU_I_ID="3"} 12`,
    ].join('\n');
    const r = read(text);
    expect(r.kind === 'ok' && r.gpus[0]?.migEnabled).toBe(true);
    expect(r.kind === 'ok' && r.gpus[0]?.mig).toEqual([
      {
        gpuInstanceId: 2,
        computeInstanceId: null,
        fb: { totalMiB: 11125, usedMiB: 11125 },
        bar1: { totalMiB: null, usedMiB: null },
      },
      {
        gpuInstanceId: 3,
        computeInstanceId: null,
        fb: { totalMiB: null, usedMiB: 12 },
        bar1: { totalMiB: null, usedMiB: null },
      },
    ]);
    expect(r.kind === 'ok' && r.gpus[0]?.fb.usedMiB).toBeNull();
  });

  it('calls a scrape without memory series garbage', () => {
    expect(
      read('# HELP up x\nup 1\nDCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-0"} 50\n'),
    ).toMatchObject({
      kind: 'broken',
      state: 'garbage',
    });
  });
});
