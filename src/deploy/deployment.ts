import type { ChildProcess } from 'node:child_process';
import { LogTail } from './log-tail.js';
import {
  type CommandResult,
  runCommand,
  type SpawnOptions,
  spawnArgv,
  spawnShell,
  stopGroup,
} from './process.js';

/** What the `post` step needs to tear down after `main` crashed or was cancelled. */
export interface TeardownState {
  /** Process group of a deploy command that was still running. */
  pid: number | null;
  teardown: string | null;
  cwd: string;
  tornDown: boolean;
  /** `deploy: compose`: the `docker compose down` argv, run before `teardown`. */
  composeDown?: string[];
}

/**
 * A running deployment. The deploy command either exits 0 once the engine is started in
 * the background (`compose up -d`), exits non-zero (the deploy failed), or keeps running
 * because it is the server itself; in that last case its exit is the deployment dying.
 */
export class Deployment {
  private readonly tail = new LogTail(300);
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private spawnError: string | null = null;
  private stopping = false;

  private constructor(
    readonly command: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.tail.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.tail.push(chunk.toString('utf8')));
    child.once('error', (error) => {
      this.spawnError = error.message;
    });
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
    });
  }

  /** A deploy command line from the workflow, run by `sh -c`. */
  static start(command: string, options: SpawnOptions): Deployment {
    return new Deployment(command, spawnShell(command, options));
  }

  /** A deployment the gate starts itself (the simulator): argv, no shell. */
  static spawn(argv: readonly string[], options: SpawnOptions): Deployment {
    return new Deployment(argv.join(' '), spawnArgv(argv, options));
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get running(): boolean {
    return this.exit === null && this.spawnError === null;
  }

  /** Why the deployment is dead, or null while it may still serve. */
  deadReason(): string | null {
    if (this.spawnError) return `deploy command could not start: ${this.spawnError}`;
    if (!this.exit || this.stopping) return null;
    if (this.exit.code === 0) return null;
    const how = this.exit.signal ? `was killed by ${this.exit.signal}` : `exited ${this.exit.code}`;
    const last = lastTellingLine(this.tail.snapshot());
    return `deploy command ${how}${last ? `: ${last}` : ''}`;
  }

  logTail(): string[] {
    return this.tail.snapshot();
  }

  /** Stops a deploy command that is still running (its whole process group). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await stopGroup(this.child, graceMs);
  }
}

/**
 * The line that says why a process ended: the last non-empty one, skipping the version
 * banner Node prints after an uncaught error and the stack frames above it.
 */
export function lastTellingLine(lines: readonly string[]): string | null {
  const telling = lines
    .slice(-40)
    .map((line) => line.trim())
    .filter(
      (line) => /[a-z]{2}/i.test(line) && !/^Node\.js v\d/.test(line) && !/^at \S/.test(line),
    );
  return (
    telling.findLast((line) => /error|fatal|denied|killed/i.test(line)) ?? telling.at(-1) ?? null
  );
}

export interface TeardownResult {
  ran: boolean;
  ok: boolean;
  message: string;
  result?: CommandResult;
}

/** Runs the teardown command with its deadline; a failure is reported, never thrown. */
export async function runTeardown(
  command: string | null,
  options: SpawnOptions & { timeoutMs: number },
): Promise<TeardownResult> {
  if (!command) return { ran: false, ok: true, message: 'no teardown command' };
  const result = await runCommand(command, options);
  if (result.timedOut) {
    return {
      ran: true,
      ok: false,
      message: `teardown did not finish within ${Math.round(options.timeoutMs / 1000)} s and was killed`,
      result,
    };
  }
  if (result.exitCode !== 0) {
    const last = lastTellingLine(result.output);
    return {
      ran: true,
      ok: false,
      message: `teardown exited ${result.exitCode ?? result.signal}${last ? `: ${last.trim()}` : ''}`,
      result,
    };
  }
  return { ran: true, ok: true, message: 'teardown finished', result };
}
