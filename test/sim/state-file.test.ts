import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimState, smiView, stateFromReadings } from '../../src/sim/gpu-state.js';
import {
  processExists,
  readLiveState,
  readStateFile,
  writeStateFile,
} from '../../src/sim/state-file.js';
import { get, scenario, startIn, tempDir } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function state(pid: number, writtenAtMs: number): SimState {
  return stateFromReadings({
    scenario: scenario(''),
    readings: [{ fbUsedMiB: 20000, bar1UsedMiB: 20001, engineFbMiB: 20000 }],
    pid,
    processName: () => 'VLLM::EngineCore',
    busy: false,
    startedAtMs: writtenAtMs - 1000,
    nowMs: writtenAtMs,
  });
}

/** The pid of a process that has already ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    timeout: 10_000,
  });
  return Number(child.stdout.toString());
}

describe('GPU state file', () => {
  it('reads back exactly what was written', () => {
    const path = join(dir.path, 'state.json');
    const written = state(process.pid, Date.now());
    writeStateFile(path, written);
    expect(readStateFile(path)).toEqual(written);
    expect(readLiveState(path, Date.now())).toEqual(written);
  });

  it('leaves no temporary file behind', () => {
    const path = join(dir.path, 'state.json');
    writeStateFile(path, state(process.pid, Date.now()));
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });

  it('has no live state when the file is missing, foreign or half written', () => {
    const path = join(dir.path, 'state.json');
    expect(readLiveState(path, Date.now())).toBeNull();
    writeFileSync(path, '{"format":"serving-gate-sim-st');
    expect(readStateFile(path)).toBeNull();
    writeFileSync(path, '{"hello":"world"}');
    expect(readStateFile(path)).toBeNull();
  });

  it('treats a state whose owner process is gone as no state', () => {
    const path = join(dir.path, 'state.json');
    const pid = deadPid();
    expect(processExists(pid)).toBe(false);
    writeStateFile(path, state(pid, Date.now()));
    expect(readStateFile(path)).not.toBeNull();
    expect(readLiveState(path, Date.now())).toBeNull();
  });

  it('treats a state not refreshed for more than a few seconds as no state', () => {
    const path = join(dir.path, 'state.json');
    const now = Date.now();
    writeStateFile(path, state(process.pid, now - 10_000));
    expect(readLiveState(path, now)).toBeNull();
    writeStateFile(path, state(process.pid, now - 1000));
    expect(readLiveState(path, now)).not.toBeNull();
  });

  it('shows every GPU idle, with its totals, when there is no live state', () => {
    const view = smiView(scenario('gpus: { count: 2, bar1Total: 32GiB }'), null, new Date(0));
    expect(view.gpus.map((g) => [g.fbUsedMiB, g.bar1UsedMiB, g.bar1TotalMiB, g.processes])).toEqual(
      [
        [0, 1, 32768, []],
        [0, 1, 32768, []],
      ],
    );
  });

  it('is written by a running simulator and removed when it closes', async () => {
    const sim = await startIn(dir.path);
    const live = readLiveState(sim.statePath, Date.now());
    expect(live?.pid).toBe(process.pid);
    expect(live?.gpus[0]).toMatchObject({
      fbUsedMiB: 19818,
      bar1UsedMiB: 19819,
      processes: [{ pid: process.pid, name: 'VLLM::EngineCore', usedMiB: 19818 }],
    });
    expect((await get(`${sim.url}/health`)).status).toBe(200);
    await sim.close();
    expect(existsSync(sim.statePath)).toBe(false);
  });
});
