/**
 * The stand-in's "daemon state": one JSON file per container, written only by the
 * container's supervisor (and removed by `down`), its log, and its GPU state file for the
 * nvidia-smi stand-in. Writes replace the file in one step, so readers never see half.
 */
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface ContainerEvent {
  action: 'start' | 'die' | 'oom';
  /** Epoch seconds. */
  time: number;
  exitCode?: number;
}

export interface ContainerRecord {
  id: string;
  name: string;
  service: string;
  project: string;
  composeFile: string;
  status: 'created' | 'running' | 'restarting' | 'exited';
  restartCount: number;
  exitCode: number;
  oomKilled: boolean;
  /** The supervisor's pid: its process group holds the container's process. */
  supervisorPid: number | null;
  /** The container's main process (the simulator); null when it runs none. */
  pid: number | null;
  startedAt: string;
  finishedAt: string;
  events: ContainerEvent[];
}

export const paths = {
  containers: (dir: string) => join(dir, 'containers'),
  record: (dir: string, service: string) => join(dir, 'containers', `${service}.json`),
  log: (dir: string, service: string) => join(dir, `${service}.log`),
  gpuState: (dir: string, service: string) => join(dir, `${service}.gpu-state.json`),
  volumes: (dir: string) => join(dir, 'volumes'),
  calls: (dir: string) => join(dir, 'calls.log'),
};

export function writeRecord(dir: string, record: ContainerRecord): void {
  mkdirSync(paths.containers(dir), { recursive: true });
  const path = paths.record(dir, record.service);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record)}\n`);
  renameSync(temporary, path);
}

export function readRecord(dir: string, service: string): ContainerRecord | null {
  try {
    return JSON.parse(readFileSync(paths.record(dir, service), 'utf8')) as ContainerRecord;
  } catch {
    return null;
  }
}

export function readRecords(dir: string): ContainerRecord[] {
  let names: string[];
  try {
    names = readdirSync(paths.containers(dir)).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .map((name) => readRecord(dir, name.slice(0, -'.json'.length)))
    .filter((record): record is ContainerRecord => record !== null);
}

export function removeRecord(dir: string, service: string): void {
  rmSync(paths.record(dir, service), { force: true });
}

export function appendLog(dir: string, service: string, lines: readonly string[]): void {
  if (lines.length > 0) appendFileSync(paths.log(dir, service), `${lines.join('\n')}\n`);
}

export function readLog(dir: string, service: string): string[] {
  try {
    const lines = readFileSync(paths.log(dir, service), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  } catch {
    return [];
  }
}

/** Every command the stand-in answered, one JSON argv a line: what tests assert on. */
export function recordCall(dir: string, argv: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(paths.calls(dir), `${JSON.stringify(argv)}\n`);
}
