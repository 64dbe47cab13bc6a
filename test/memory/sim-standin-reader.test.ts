// The simulator's nvidia-smi stand-in must read exactly like the real thing: the same
// reader, the same figures a person would read in its output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NvidiaSmiSource } from '../../src/memory/smi-sampler.js';
import { splitSmiText } from '../../src/memory/smi-stream.js';
import { parseSmiXml } from '../../src/memory/smi-xml.js';
import type { SmiReading, SmiSnapshot } from '../../src/memory/types.js';
import type { SmiView } from '../../src/sim/gpu-state.js';
import { renderSmiXml } from '../../src/sim/smi-xml.js';
import { sharedFixture } from '../shared-fixtures.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = [
  process.execPath,
  '--import',
  import.meta.resolve('tsx'),
  join(REPO, 'src/cli/index.ts'),
];

const view: SmiView = {
  timestamp: new Date('2026-07-14T08:12:53Z'),
  driverVersion: '590.48.01',
  cudaVersion: '13.1',
  gpus: [0, 1].map((index) => ({
    index,
    busId: `00000000:0${index + 1}:00.0`,
    uuid: `GPU-00000000-0000-0000-0000-00000000000${index + 1}`,
    name: 'NVIDIA H100 80GB HBM3',
    brand: 'NVIDIA',
    architecture: 'Hopper',
    fbTotalMiB: 81559,
    fbReservedMiB: 479,
    fbUsedMiB: 73403 + index,
    bar1TotalMiB: 8192,
    bar1UsedMiB: 2560 + index * 300,
    busy: true,
    processes: [{ pid: 4242, name: 'VLLM::EngineCore', usedMiB: 72900 + index }],
  })),
};

function snapshot(reading: SmiReading): SmiSnapshot {
  if (reading.kind !== 'ok') throw new Error(`${reading.state}: ${reading.message}`);
  return reading;
}

describe('the simulated nvidia-smi, read by the real reader', () => {
  it('gives every figure it printed, per GPU, in order', () => {
    const read = snapshot(parseSmiXml(renderSmiXml(view)));
    expect(read.driverVersion).toBe('590.48.01');
    expect(read.cudaVersion).toBe('13.1');
    expect(read.gpus.map((g) => [g.index, g.uuid, g.busId, g.name])).toEqual([
      [0, 'GPU-00000000-0000-0000-0000-000000000001', '00000000:01:00.0', 'NVIDIA H100 80GB HBM3'],
      [1, 'GPU-00000000-0000-0000-0000-000000000002', '00000000:02:00.0', 'NVIDIA H100 80GB HBM3'],
    ]);
    expect(read.gpus[1]).toMatchObject({
      fb: { totalMiB: 81559, usedMiB: 73404, reservedMiB: 479 },
      bar1: { totalMiB: 8192, usedMiB: 2860 },
      migEnabled: false,
      mig: [],
      processes: [{ pid: 4242, name: 'VLLM::EngineCore', usedMiB: 72901 }],
    });
  });

  it('fills the same fields as the real H100 capture, none of them unavailable', () => {
    const real = snapshot(
      parseSmiXml(sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml')),
    ).gpus[0]!;
    const simulated = snapshot(parseSmiXml(renderSmiXml(view))).gpus[0]!;
    const filled = (gpu: typeof real) =>
      Object.entries({ ...gpu.fb, ...gpu.bar1, uuid: gpu.uuid, name: gpu.name, bus: gpu.busId })
        .filter(([, value]) => value !== null)
        .map(([key]) => key)
        .sort();
    expect(filled(simulated)).toEqual(filled(real));
    expect(Object.keys(simulated.processes[0]!).sort()).toEqual(
      Object.keys(real.processes[0]!).sort(),
    );
  });

  it('prints documents that read back to back, as the splitter meets them in loop mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-standin-'));
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'gpus:\n  count: 2\n  bar1Total: 8GiB\nmemory:\n  model:\n    bar1: 2.5GiB\n',
    );
    const run = spawnSync(
      CLI[0]!,
      [
        ...CLI.slice(1),
        'simulate',
        'smi',
        '--scenario',
        scenario,
        '--state',
        join(dir, 's.json'),
        '-q',
        '-x',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status).toBe(0);
    const docs = splitSmiText(run.stdout + run.stdout);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      const read = snapshot(doc);
      expect(read.gpus.map((g) => g.bar1.totalMiB)).toEqual([8192, 8192]);
      // No simulator running: the GPUs read idle, as a real GPU with no process on it.
      expect(read.gpus.map((g) => g.processes)).toEqual([[], []]);
    }
  });

  it('feeds the long-lived sampler in loop mode, as nvidia-smi -lms does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-standin-'));
    const source = new NvidiaSmiSource({
      commandArgv: [...CLI, 'simulate', 'smi', '--state', join(dir, 's.json')],
      intervalMs: 200,
    });
    const readings: SmiReading[] = [];
    source.start((reading) => readings.push(reading));
    const end = Date.now() + 20_000;
    while (readings.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await source.stop();
    expect(readings.length).toBeGreaterThanOrEqual(3);
    for (const reading of readings) expect(snapshot(reading).gpus).toHaveLength(1);
    expect(source.starts).toBe(1);
  });
});
