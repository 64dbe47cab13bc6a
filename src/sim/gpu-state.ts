import { z } from 'zod';
import type { GpuMemory } from './memory-model.js';
import { ENGINE_IDS, type Scenario } from './scenario/schema.js';

/**
 * The GPU as the server process sees it, written to a state file for the nvidia-smi
 * stand-in, and the view the stand-in prints. A state file whose owner is gone means the
 * process died: a real GPU frees its memory then, so the stand-in shows the GPU idle.
 */

/** Older than this, a state file is an orphan: its server would have refreshed it. */
export const STATE_STALE_AFTER_MS = 5000;

const processSchema = z.object({
  pid: z.int(),
  name: z.string(),
  usedMiB: z.number(),
});

const stateSchema = z.object({
  format: z.literal('serving-gate-sim-state'),
  version: z.literal(1),
  pid: z.int(),
  engine: z.enum(ENGINE_IDS),
  startedAtMs: z.number(),
  writtenAtMs: z.number(),
  /** Left by a server that has gone: shown until removed, whoever wrote it (residue.ts). */
  residue: z.boolean().optional(),
  gpus: z.array(
    z.object({
      uuid: z.string(),
      fbUsedMiB: z.number(),
      bar1UsedMiB: z.number(),
      busy: z.boolean(),
      processes: z.array(processSchema),
    }),
  ),
});

export type SimState = z.infer<typeof stateSchema>;
export type SimStateGpu = SimState['gpus'][number];

export interface SmiProcess {
  pid: number;
  name: string;
  usedMiB: number;
}

/** One GPU as nvidia-smi prints it. Figures in MiB. */
export interface SmiGpuView {
  index: number;
  busId: string;
  uuid: string;
  name: string;
  brand: string;
  architecture: string;
  fbTotalMiB: number;
  fbReservedMiB: number;
  fbUsedMiB: number;
  bar1TotalMiB: number;
  bar1UsedMiB: number;
  busy: boolean;
  processes: SmiProcess[];
}

export interface SmiView {
  timestamp: Date;
  driverVersion: string;
  cudaVersion: string;
  gpus: SmiGpuView[];
}

export function gpuUuid(scenario: Scenario, index: number): string {
  const given = scenario.gpus.uuids?.[index];
  if (given) return given;
  return `GPU-00000000-0000-0000-0000-${(index + 1).toString(16).padStart(12, '0')}`;
}

/** Bus ids in bus order, as nvidia-smi lists GPUs: 01, 02, … unless the scenario says. */
export function gpuBusId(scenario: Scenario, index: number): string {
  const given = scenario.gpus.busIds?.[index];
  if (given) return given.toUpperCase();
  return `00000000:${(index + 1).toString(16).toUpperCase().padStart(2, '0')}:00.0`;
}

export function stateFromReadings(args: {
  scenario: Scenario;
  readings: GpuMemory[];
  pid: number;
  processName: (gpuIndex: number) => string;
  busy: boolean;
  startedAtMs: number;
  nowMs: number;
}): SimState {
  const { scenario, readings, pid } = args;
  return {
    format: 'serving-gate-sim-state',
    version: 1,
    pid,
    engine: scenario.engine,
    startedAtMs: args.startedAtMs,
    writtenAtMs: args.nowMs,
    gpus: readings.map((reading, index) => ({
      uuid: gpuUuid(scenario, index),
      fbUsedMiB: reading.fbUsedMiB,
      bar1UsedMiB: reading.bar1UsedMiB,
      busy: args.busy,
      processes:
        reading.engineFbMiB > 0
          ? [{ pid, name: args.processName(index), usedMiB: reading.engineFbMiB }]
          : [],
    })),
  };
}

/** A state file's text, or `null` when it is not one (half written, foreign, corrupt). */
export function parseState(text: string): SimState | null {
  try {
    const result = stateSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote the state still holds the GPU. */
export function stateIsLive(
  state: SimState,
  nowMs: number,
  pidAlive: (pid: number) => boolean,
): boolean {
  if (state.residue === true) return true;
  return nowMs - state.writtenAtMs <= STATE_STALE_AFTER_MS && pidAlive(state.pid);
}

/** What nvidia-smi shows: the live state when there is one, else every GPU idle. */
export function smiView(scenario: Scenario, live: SimState | null, now: Date): SmiView {
  const { gpus, driver } = scenario;
  const views: SmiGpuView[] = [];
  for (let index = 0; index < gpus.count; index++) {
    const uuid = gpuUuid(scenario, index);
    const state = live?.gpus.find((gpu) => gpu.uuid === uuid) ?? live?.gpus[index];
    views.push({
      index,
      busId: gpuBusId(scenario, index),
      uuid,
      name: gpus.name,
      brand: gpus.brand,
      architecture: gpus.architecture,
      fbTotalMiB: round(gpus.fbTotal),
      fbReservedMiB: round(gpus.fbReserved),
      fbUsedMiB: round(state?.fbUsedMiB ?? gpus.idleFbUsed),
      bar1TotalMiB: round(gpus.bar1Total),
      bar1UsedMiB: round(state?.bar1UsedMiB ?? gpus.idleBar1Used),
      busy: state?.busy ?? false,
      processes: (state?.processes ?? []).map((p) => ({ ...p, usedMiB: round(p.usedMiB) })),
    });
  }
  return {
    timestamp: now,
    driverVersion: driver.version,
    cudaVersion: driver.cudaVersion,
    gpus: views,
  };
}

function round(mib: number): number {
  return Math.round(mib);
}
