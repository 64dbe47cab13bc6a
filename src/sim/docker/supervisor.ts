/**
 * The stand-in's container runtime: runs the service's "container" (the simulator on the
 * service's published port), kills it as the scenario says (a crash with an exit code, or
 * the OOM killer's SIGKILL), and restarts it as the restart policy says, counting restarts
 * and keeping docker's events. It runs detached from `compose up -d` until `down`.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { type ServiceSpec, shouldRestart } from './compose-spec.js';
import { appendLog, type ContainerRecord, paths, writeRecord } from './state.js';

export interface SuperviseOptions {
  dir: string;
  record: ContainerRecord;
  service: ServiceSpec;
  /** argv that runs `serving-gate simulate`. */
  simulate: readonly string[];
  /** The supervisor ends itself after this, in case nobody ever calls `down`. */
  lifetimeMs?: number;
  signal: AbortSignal;
}

/** Docker's restart delay starts at 100 ms and doubles; capped lower here for quick tests. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;
const STOP_GRACE_MS = 5000;
const DEFAULT_LIFETIME_MS = 60 * 60_000;

const now = () => new Date().toISOString();
const epoch = () => Date.now() / 1000;

export async function supervise(options: SuperviseOptions): Promise<void> {
  const { dir, service } = options;
  const record: ContainerRecord = { ...options.record, supervisorPid: process.pid };
  let orphaned = false;
  const save = () => {
    if (!orphaned) writeRecord(dir, record);
  };
  const ended = new AbortController();
  const end = () => ended.abort();
  options.signal.addEventListener('abort', end, { once: true });
  const lifetime = setTimeout(end, options.lifetimeMs ?? DEFAULT_LIFETIME_MS);
  // `down` removes the record; a supervisor whose container is gone has nothing to run.
  const orphan = setInterval(() => {
    if (!existsSync(paths.record(dir, service.name))) {
      orphaned = true;
      end();
    }
  }, 1000);

  let backoff = FIRST_BACKOFF_MS;
  let runs = 0;
  try {
    while (!ended.signal.aborted) {
      runs += 1;
      const exit = await runOnce(options, record, runs, save, ended.signal);
      record.status = 'exited';
      record.exitCode = exit.exitCode;
      record.oomKilled = exit.oomKilled;
      record.pid = null;
      record.finishedAt = now();
      record.events.push({ action: 'die', time: epoch(), exitCode: exit.exitCode });
      if (
        ended.signal.aborted ||
        !shouldRestart(service.restart, exit.exitCode, record.restartCount)
      ) {
        save();
        break;
      }
      record.status = 'restarting';
      save();
      await delay(backoff, ended.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      record.restartCount += 1;
    }
  } finally {
    // A pid that is gone may be reused: `down` must not signal it.
    record.supervisorPid = null;
    save();
    clearTimeout(lifetime);
    clearInterval(orphan);
    options.signal.removeEventListener('abort', end);
  }
}

interface Exit {
  exitCode: number;
  oomKilled: boolean;
}

/** One run of the container, from start to exit. */
async function runOnce(
  options: SuperviseOptions,
  record: ContainerRecord,
  run: number,
  save: () => void,
  ended: AbortSignal,
): Promise<Exit> {
  const { dir, service } = options;
  const argv = [
    ...options.simulate,
    ...(service.scenario ? ['--scenario', service.scenario] : []),
    '--host',
    '127.0.0.1',
    '--port',
    String(service.hostPort ?? 0),
    '--state',
    paths.gpuState(dir, service.name),
  ];
  const log = openSync(paths.log(dir, service.name), 'a');
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { stdio: ['ignore', log, log] });
  closeSync(log);

  record.status = 'running';
  record.pid = child.pid ?? null;
  record.exitCode = 0;
  record.oomKilled = false;
  record.startedAt = now();
  record.events.push({ action: 'start', time: epoch() });
  save();

  let killedAs: Exit | null = null;
  const crash = service.crash;
  const crashTimer =
    crash && (crash.runs === null || run <= crash.runs)
      ? setTimeout(() => {
          appendLog(dir, service.name, crash.log);
          if (crash.oomKilled) record.events.push({ action: 'oom', time: epoch() });
          killedAs = { exitCode: crash.exitCode, oomKilled: crash.oomKilled };
          child.kill('SIGKILL');
        }, crash.afterMs)
      : null;
  const stop = () => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
  };
  ended.addEventListener('abort', stop, { once: true });

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', () => resolve([127, null]));
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (crashTimer) clearTimeout(crashTimer);
  ended.removeEventListener('abort', stop);
  if (killedAs) return killedAs;
  const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  return { exitCode, oomKilled: false };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
