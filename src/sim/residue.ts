import { gpuUuid, type SimState } from './gpu-state.js';
import type { Scenario } from './scenario/schema.js';
import { removeStateFile, writeStateFile } from './state-file.js';

/**
 * What the simulated GPU is left with when the server goes: nothing (the state file is
 * removed and nvidia-smi shows the GPU idle), or the scenario's residue, which stays
 * until the file is removed: a dirty runner for the next job.
 */
export function leaveGpu(statePath: string, scenario: Scenario, nowMs: number): void {
  const residue = scenario.smi.residueAfterExit;
  if (!residue || (residue.fb <= 0 && residue.bar1 <= 0)) {
    removeStateFile(statePath);
    return;
  }
  writeStateFile(statePath, residueState(scenario, residue, nowMs));
}

export function residueState(
  scenario: Scenario,
  residue: { fb: number; bar1: number },
  nowMs: number,
): SimState {
  return {
    format: 'serving-gate-sim-state',
    version: 1,
    pid: process.pid,
    engine: scenario.engine,
    startedAtMs: nowMs,
    writtenAtMs: nowMs,
    residue: true,
    gpus: Array.from({ length: scenario.gpus.count }, (_, index) => ({
      uuid: gpuUuid(scenario, index),
      fbUsedMiB: scenario.gpus.idleFbUsed + residue.fb,
      bar1UsedMiB: scenario.gpus.idleBar1Used + residue.bar1,
      busy: false,
      // An orphaned mapping belongs to no process nvidia-smi could list.
      processes: [],
    })),
  };
}
