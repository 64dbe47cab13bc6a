import { describe, expect, it } from 'vitest';
import {
  attachComputeApps,
  looksLikeSmiCsv,
  parseComputeAppsCsv,
  parseQueryGpuCsv,
  parseSmiCsv,
  snapshotFromComputeApps,
} from '../../src/memory/smi-csv.js';
import { sharedFixture } from '../shared-fixtures.js';

const H100_GPU = sharedFixture('nvidia-smi-csv/query-gpu-memory-h100-590-load.csv');
const H100_MIG = sharedFixture('nvidia-smi-csv/query-gpu-memory-h100-mig-590-idle.csv');
const H100_APPS = sharedFixture('nvidia-smi-csv/query-compute-apps-h100-590-load.csv');
const WDDM_APPS = sharedFixture('nvidia-smi-csv/query-compute-apps-windows-wddm-591-load.csv');
const UUID0 = 'GPU-00000000-0000-0000-0000-000000000000';

describe('parseSmiCsv', () => {
  it('keys columns by name without their unit', () => {
    expect(parseSmiCsv(H100_GPU).keys).toEqual([
      'index',
      'uuid',
      'name',
      'driver_version',
      'memory.total',
      'memory.reserved',
      'memory.used',
      'memory.free',
      'mig.mode.current',
      'driver_model.current',
      'utilization.gpu',
    ]);
  });

  it('joins a process name that holds ", " back into one cell', () => {
    const text =
      'pid, process_name, used_gpu_memory [MiB]\n12, C:\\Apps\\Foo, Inc\\app.exe, 300 MiB\n';
    const [row] = parseSmiCsv(text).rows;
    expect(row?.get('process_name')).toBe('C:\\Apps\\Foo, Inc\\app.exe');
    expect(row?.get('used_gpu_memory')).toBe('300 MiB');
  });
});

describe('parseQueryGpuCsv', () => {
  it('reads the H100 load row: FB from memory.*, BAR1 null because the CSV has none', () => {
    expect(parseQueryGpuCsv(H100_GPU)).toEqual([
      {
        kind: 'ok',
        timestamp: null,
        driverVersion: '590.48.01',
        cudaVersion: null,
        gpus: [
          {
            index: 0,
            uuid: UUID0,
            name: 'NVIDIA H100 80GB HBM3',
            busId: null,
            fb: { totalMiB: 81559, usedMiB: 19818, reservedMiB: 479 },
            bar1: { totalMiB: null, usedMiB: null },
            migEnabled: false,
            mig: [],
            processes: [],
          },
        ],
      },
    ]);
  });

  it('reads MIG mode Enabled from the MIG capture, with its whole-GPU 59 MiB used', () => {
    const [snapshot] = parseQueryGpuCsv(H100_MIG);
    expect(snapshot?.gpus[0]).toMatchObject({
      migEnabled: true,
      fb: { totalMiB: 81559, usedMiB: 59, reservedMiB: 479 },
      bar1: { totalMiB: null, usedMiB: null },
    });
  });

  it('starts a new snapshot when loop mode repeats a GPU, skipping a repeated header', () => {
    const header = 'index, memory.total [MiB], memory.used [MiB]';
    const text = [
      header,
      '0, 8192 MiB, 1 MiB',
      '1, 8192 MiB, 2 MiB',
      header,
      '0, 8192 MiB, 3 MiB',
      '1, 8192 MiB, [N/A]',
    ].join('\n');
    const snapshots = parseQueryGpuCsv(text);
    expect(snapshots.map((s) => s.gpus.map((g) => [g.index, g.fb.usedMiB]))).toEqual([
      [
        [0, 1],
        [1, 2],
      ],
      [
        [0, 3],
        [1, null],
      ],
    ]);
  });

  it('reads values printed with --format=csv,nounits', () => {
    const [snapshot] = parseQueryGpuCsv(
      'index, memory.total [MiB], memory.used [MiB]\n0, 81559, 19818\n',
    );
    expect(snapshot?.gpus[0]?.fb).toEqual({ totalMiB: 81559, usedMiB: 19818, reservedMiB: null });
  });

  it('gives no snapshot for a header without rows', () => {
    expect(parseQueryGpuCsv('index, memory.used [MiB]\n')).toEqual([]);
  });
});

describe('parseComputeAppsCsv', () => {
  it('reads the three H100 compute processes with their memory', () => {
    expect(parseComputeAppsCsv(H100_APPS)).toEqual([
      {
        pid: 11327,
        name: '/root/tools/memhog',
        usedMiB: 2566,
        gpuInstanceId: null,
        gpuUuid: UUID0,
        gpuBusId: '00000000:00:09.0',
        gpuName: 'NVIDIA H100 80GB HBM3',
      },
      {
        pid: 11328,
        name: '/root/tools/memhog',
        usedMiB: 1542,
        gpuInstanceId: null,
        gpuUuid: UUID0,
        gpuBusId: '00000000:00:09.0',
        gpuName: 'NVIDIA H100 80GB HBM3',
      },
      {
        pid: 11345,
        name: './gpu_burn',
        usedMiB: 15690,
        gpuInstanceId: null,
        gpuUuid: UUID0,
        gpuBusId: '00000000:00:09.0',
        gpuName: 'NVIDIA H100 80GB HBM3',
      },
    ]);
  });

  it('reads the WDDM rows with [N/A] memory as null, names with spaces intact', () => {
    const apps = parseComputeAppsCsv(WDDM_APPS);
    expect(apps).toHaveLength(12);
    expect(apps.every((a) => a.usedMiB === null)).toBe(true);
    expect(apps[0]).toMatchObject({
      pid: 12444,
      name: 'C:\\Windows\\SystemApps\\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\\TextInputHost.exe',
      gpuBusId: '00000000:0C:00.0',
      gpuName: 'NVIDIA GeForce RTX 2080 SUPER',
    });
    expect(apps[4]).toMatchObject({
      pid: 20372,
      name: 'C:\\Program Files\\NZXT CAM\\NZXT CAM.exe',
    });
    expect(apps[11]?.pid).toBe(26660);
  });

  it('gives no processes for the header-only idle output', () => {
    expect(parseComputeAppsCsv(H100_APPS.split('\n')[0]!)).toEqual([]);
  });
});

describe('joining GPUs and processes', () => {
  it('attaches compute apps to the GPU with their UUID', () => {
    const [snapshot] = parseQueryGpuCsv(H100_GPU);
    const joined = attachComputeApps(snapshot!, parseComputeAppsCsv(H100_APPS));
    expect(joined.gpus[0]?.processes.map((p) => [p.pid, p.usedMiB])).toEqual([
      [11327, 2566],
      [11328, 1542],
      [11345, 15690],
    ]);
  });

  it('builds a snapshot from compute apps alone, device memory unknown', () => {
    const snapshot = snapshotFromComputeApps(parseComputeAppsCsv(WDDM_APPS));
    expect(snapshot.gpus).toHaveLength(1);
    expect(snapshot.gpus[0]).toMatchObject({
      uuid: UUID0,
      name: 'NVIDIA GeForce RTX 2080 SUPER',
      fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
    });
    expect(snapshot.gpus[0]?.processes).toHaveLength(12);
  });
});

describe('looksLikeSmiCsv', () => {
  it('knows both CSV fixtures kinds and rejects XML and error lines', () => {
    expect(looksLikeSmiCsv(H100_GPU)).toBe(true);
    expect(looksLikeSmiCsv(WDDM_APPS)).toBe(true);
    expect(looksLikeSmiCsv('<?xml version="1.0" ?>\n')).toBe(false);
    expect(looksLikeSmiCsv('Failed to initialize NVML: Unknown Error\n')).toBe(false);
    expect(looksLikeSmiCsv('a, b, c\n')).toBe(false);
  });
});
