import { type ChildProcess, spawn } from 'node:child_process';
import { LogTail } from './log-tail.js';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The deploy and teardown commands are shell command lines written by the workflow's
 * author (`docker compose -f … up -d`), so they run through `sh -c`. Values that come from
 * the candidate config or a server never go into that text: they reach the command as
 * environment variables (SERVING_GATE_*).
 */
export function spawnShell(command: string, options: SpawnOptions): ChildProcess {
  return spawnArgv(['/bin/sh', '-c', command], options);
}

/** Spawns argv without a shell, in its own process group. */
export function spawnArgv(argv: readonly string[], options: SpawnOptions): ChildProcess {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('spawnArgv: empty argv');
  return spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    // Own process group, so the whole tree (compose, a server and its workers) can be
    // signalled at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Signals a process group; quiet when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM to the group, then SIGKILL once `graceMs` has passed without an exit. */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  // Children that left the group leader behind still hold the group id.
  signalGroup(child.pid, 'SIGKILL');
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  output: string[];
}

/** Runs a shell command to its end, or kills its group at the deadline. */
export async function runCommand(
  command: string,
  options: SpawnOptions & { timeoutMs: number; graceMs?: number },
): Promise<CommandResult> {
  const started = Date.now();
  const tail = new LogTail(100);
  const child = spawnShell(command, options);
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk.toString('utf8')));

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child, options.graceMs ?? 5000);
  }, options.timeoutMs);

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve) => {
      child.once('error', () => resolve([127, null]));
      child.once('exit', (code, sig) => resolve([code, sig]));
    },
  );
  clearTimeout(timer);
  return { exitCode, signal, timedOut, durationMs: Date.now() - started, output: tail.snapshot() };
}
