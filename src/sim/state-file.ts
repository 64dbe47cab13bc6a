import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseState, type SimState, stateIsLive } from './gpu-state.js';

/** Where a simulator on `port` keeps its GPU state unless told otherwise. */
export function defaultStatePath(port: number): string {
  return join(tmpdir(), `serving-gate-sim-${port}.gpu-state.json`);
}

/**
 * Writes the state so a reader never sees half a file: a temporary file beside it, then a
 * rename, which replaces the old file in one step on the same file system.
 */
export function writeStateFile(path: string, state: SimState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, path);
}

/** The state in the file, or `null` when there is no file or it is not a state file. */
export function readStateFile(path: string): SimState | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return parseState(text);
}

export function removeStateFile(path: string): void {
  rmSync(path, { force: true });
}

/** The state when its owner still runs and refreshed it recently; otherwise `null`. */
export function readLiveState(path: string, nowMs: number): SimState | null {
  const state = readStateFile(path);
  return state && stateIsLive(state, nowMs, processExists) ? state : null;
}

/** Signal 0 checks for a process without touching it; EPERM means it exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
