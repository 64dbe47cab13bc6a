import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFromReadings } from '../../src/sim/gpu-state.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { writeStateFile } from '../../src/sim/state-file.js';
import { sharedFixture } from '../shared-fixtures.js';
import {
  elementPaths,
  parseXml,
  runEntry,
  scenario,
  startIn,
  tempDir,
  writeTemp,
} from './helpers.js';

/**
 * The stand-in as a real child process, as the gate will run it: `serving-gate simulate smi
 * --scenario FILE --state FILE [nvidia-smi args]`.
 */

const H100 = sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml');
const STORY = `
gpus: { bar1Total: 8GiB }
memory: { model: { fb: 73403MiB, bar1: 2.5GiB } }
`;

let dir: ReturnType<typeof tempDir>;
let scenarioPath: string;
let sim: RunningSimulator;

beforeAll(async () => {
  dir = tempDir();
  scenarioPath = writeTemp(dir.path, 'story.yaml', STORY);
  sim = await startIn(dir.path, STORY);
});
afterAll(async () => {
  await sim.close();
  dir.remove();
});

const smi = (args: string[], options: { scenario?: string; state?: string } = {}) =>
  runEntry([
    'smi',
    '--scenario',
    options.scenario ?? scenarioPath,
    '--state',
    options.state ?? sim.statePath,
    ...args,
  ]);

type Gpu = Record<string, Record<string, unknown>>;

function gpuOf(xml: string): Gpu {
  return (parseXml(xml) as { nvidia_smi_log: { gpu: Gpu } }).nvidia_smi_log.gpu;
}

describe('nvidia-smi stand-in (child process)', () => {
  it('prints the live simulated GPU as -q -x, shaped like the real capture', async () => {
    const result = await smi(['-q', '-x']).done;
    expect(result.code).toBe(0);
    expect(elementPaths(result.stdout)).toEqual(elementPaths(H100));
    const gpu = gpuOf(result.stdout);
    expect(gpu.fb_memory_usage).toMatchObject({ total: '81559 MiB', used: '73403 MiB' });
    expect(gpu.bar1_memory_usage).toEqual({
      total: '8192 MiB',
      used: '2561 MiB',
      free: '5631 MiB',
    });
    expect(gpu.processes).toEqual({
      process_info: {
        gpu_instance_id: 'N/A',
        compute_instance_id: 'N/A',
        pid: String(process.pid),
        type: 'C',
        process_name: 'VLLM::EngineCore',
        used_memory: '73403 MiB',
      },
    });
  });

  it('prints one full document per interval in loop mode until SIGTERM', async () => {
    const child = smi(['-q', '-x', '-lms', '100']);
    await child.waitFor((out) => (out.match(/<\/nvidia_smi_log>/g) ?? []).length >= 3);
    child.kill('SIGTERM');
    const result = await child.done;
    expect(result.code).toBe(0);
    const documents = result.stdout.split('<?xml version="1.0" ?>\n').filter(Boolean);
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const document of documents.slice(0, 3)) {
      expect(document.trimEnd().endsWith('</nvidia_smi_log>')).toBe(true);
      expect(elementPaths(`<?xml version="1.0" ?>\n${document}`)).toEqual(elementPaths(H100));
    }
  });

  it('prints the text report with -q and the GPU list with -L', async () => {
    const text = await smi(['-q']).done;
    expect(text.stdout).toMatch(/BAR1 Memory Usage\n\s+Total\s+: 8192 MiB\n\s+Used\s+: 2561 MiB/);
    const list = await smi(['-L']).done;
    expect(list.stdout).toBe(
      'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000001)\n',
    );
  });

  it('refuses an unknown option with exit code 2', async () => {
    const result = await smi(['-q', '--frobnicate']).done;
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      "ERROR: Option --frobnicate is not recognized. Please run 'nvidia-smi -h' for help.\n",
    );
  });

  it('shows the GPU idle, totals kept, once the simulator is gone', async () => {
    const gone = await startIn(dir.path, STORY);
    const before = gpuOf((await smi(['-q', '-x'], { state: gone.statePath }).done).stdout);
    expect(before.fb_memory_usage).toMatchObject({ used: '73403 MiB' });
    await gone.close();
    const after = gpuOf((await smi(['-q', '-x'], { state: gone.statePath }).done).stdout);
    expect(after.fb_memory_usage).toMatchObject({ total: '81559 MiB', used: '0 MiB' });
    expect(after.bar1_memory_usage).toMatchObject({ total: '8192 MiB', used: '1 MiB' });
    expect(after.processes).toBe('');
  });

  it('shows the GPU idle when the server process was killed and left its state file', async () => {
    const statePath = join(dir.path, 'killed-state.json');
    const server = runEntry(['--port', '0', '--state', statePath, '--scenario', scenarioPath]);
    await server.waitFor(/listening on/);
    const before = gpuOf((await smi(['-q', '-x'], { state: statePath }).done).stdout);
    expect(before.fb_memory_usage).toMatchObject({ used: '73403 MiB' });

    server.kill('SIGKILL');
    await server.done;
    expect(existsSync(statePath)).toBe(true);
    const after = gpuOf((await smi(['-q', '-x'], { state: statePath }).done).stdout);
    expect(after.fb_memory_usage).toMatchObject({ used: '0 MiB' });
    expect(after.processes).toBe('');
  });
});

describe('nvidia-smi stand-in faults', () => {
  const faulty = (fault: string, after = '0s') =>
    writeTemp(
      dir.path,
      `smi-${fault}-${after}.yaml`,
      `${STORY}\nsmi: { fault: ${fault}, faultAfter: ${after} }\n`,
    );

  it.each([
    ['no-devices', 'No devices were found\n', 6],
    ['nvml-unknown', 'Failed to initialize NVML: Unknown Error\n', 255],
    ['driver-mismatch', 'Failed to initialize NVML: Driver/library version mismatch\n', 18],
    [
      'gpu-lost',
      'Unable to determine the device handle for GPU 00000000:01:00.0: Unknown Error\n',
      255,
    ],
  ])(
    'prints what a broken driver prints for %s, with a non-zero exit',
    async (fault, text, code) => {
      const result = await smi(['-q', '-x'], { scenario: faulty(fault) }).done;
      expect(result.stdout).toBe(text);
      expect(result.code).toBe(code);
    },
  );

  it('prints garbage that is not XML', async () => {
    const result = await smi(['-q', '-x'], { scenario: faulty('garbage') }).done;
    expect(result.stdout).not.toContain('<nvidia_smi_log>');
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  it('prints a document that stops part way', async () => {
    const result = await smi(['-q', '-x'], { scenario: faulty('truncated') }).done;
    expect(result.stdout.startsWith('<?xml version="1.0" ?>')).toBe(true);
    expect(result.stdout).not.toContain('</nvidia_smi_log>');
  });

  it('hangs without printing until it is killed', async () => {
    const child = smi(['-q', '-x'], { scenario: faulty('hang') });
    let ended = false;
    void child.done.then(() => {
      ended = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ended).toBe(false);
    expect(child.stdout()).toBe('');
    child.kill('SIGTERM');
    const result = await child.done;
    expect(result.stdout).toBe('');
  });

  it('loses the GPU only once the simulator has run for faultAfter', async () => {
    const scenarioPath = faulty('gpu-lost', '5s');
    const statePath = join(dir.path, 'aged-state.json');
    const writeAged = (ageMs: number) => {
      const now = Date.now();
      writeStateFile(
        statePath,
        stateFromReadings({
          scenario: scenario(STORY),
          readings: [{ fbUsedMiB: 73403, bar1UsedMiB: 2561, engineFbMiB: 73403 }],
          pid: process.pid,
          processName: () => 'VLLM::EngineCore',
          busy: false,
          startedAtMs: now - ageMs,
          nowMs: now,
        }),
      );
    };

    writeAged(1000);
    const young = await smi(['-q', '-x'], { scenario: scenarioPath, state: statePath }).done;
    expect(young.code).toBe(0);
    expect(young.stdout).toContain('<used>73403 MiB</used>');

    writeAged(60_000);
    const old = await smi(['-q', '-x'], { scenario: scenarioPath, state: statePath }).done;
    expect(old.code).toBe(255);
    expect(old.stdout).toContain('Unable to determine the device handle for GPU');
  });
});
