import { formatDuration } from '../units.js';
import { spawnArgv, stopGroup } from './process.js';

/**
 * Runs argv to its end without a shell, or kills its process group at the deadline. For
 * the docker commands of a compose deploy: the compose file and service come from inputs
 * and go to docker as words, never as text a shell would read.
 */
export interface ArgvResult {
  /** null when killed by a signal, or when the program could not be started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT: not installed). */
  spawnError: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ArgvOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  graceMs?: number;
}

/** Output beyond this is dropped: `docker logs` of a chatty engine must not fill memory. */
const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

export async function runArgv(argv: readonly string[], options: ArgvOptions): Promise<ArgvResult> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  let spawnError: string | null = null;
  const child = spawnArgv(argv, options);
  child.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk.toString('utf8');
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child, options.graceMs ?? 2000);
  }, options.timeoutMs);

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve) => {
      child.once('error', (error) => {
        spawnError = `${argv[0]} could not be started (${(error as NodeJS.ErrnoException).code ?? error.message})`;
        resolve([null, null]);
      });
      child.once('close', (code, sig) => resolve([code, sig]));
    },
  );
  clearTimeout(timer);
  return {
    exitCode,
    signal,
    timedOut,
    spawnError,
    stdout,
    stderr,
    durationMs: Date.now() - started,
  };
}

/** One line saying why a command did not succeed; null when it did. */
export function argvProblem(result: ArgvResult, what: string, timeoutMs: number): string | null {
  if (result.spawnError) return `${what}: ${result.spawnError}`;
  if (result.timedOut) return `${what} did not finish within ${formatDuration(timeoutMs)}`;
  if (result.exitCode === 0) return null;
  const last = `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
  const how =
    result.exitCode === null ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
  return `${what} ${how}${last ? `: ${last}` : ''}`;
}
