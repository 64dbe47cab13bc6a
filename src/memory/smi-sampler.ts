import type { ChildProcess } from 'node:child_process';
import { GateError } from '../errors.js';
import { type SpawnFn, spawnPiped, terminate } from './child.js';
import { broken, brokenFromText, lastLine, missingCommand } from './smi-broken.js';
import { readSmiOnce } from './smi-once.js';
import { SmiStreamSplitter } from './smi-stream.js';
import type { MemorySource, SmiReading } from './types.js';

export interface NvidiaSmiSourceOptions {
  /** The user's nvidia-smi command as argv, e.g. ['nvidia-smi'] or a simulator command. */
  commandArgv: string[];
  /** Loop interval passed to `-lms`. */
  intervalMs: number;
  /** Deadline of readOnce. Default 15 s. */
  readTimeoutMs?: number;
  /**
   * In loop mode, how long without any reading before the child counts as hung: it is
   * reported as `timeout` and replaced. Default the larger of 3 intervals and 15 s.
   */
  stallTimeoutMs?: number;
  /** SIGTERM to SIGKILL. Default 2 s. */
  stopGraceMs?: number;
  /** First restart delay after the child dies; doubles per death in a row. Default 1 s. */
  restartInitialMs?: number;
  /** Cap of the restart delay. Default 30 s. */
  restartMaxMs?: number;
  spawnFn?: SpawnFn;
}

/** One child's life: its splitter, its stderr, and how it ended. */
interface Run {
  child: ChildProcess;
  splitter: SmiStreamSplitter;
  stderr: string;
  spawnError: NodeJS.ErrnoException | null;
  /** The last thing this child told us was a document, so its exit is unexplained. */
  lastWasDocument: boolean;
  documents: number;
  readings: number;
  /** We killed it (hung); its exit is already reported. */
  killed: boolean;
}

const MAX_STDERR_CHARS = 8192;

/**
 * GPU memory from one long-lived `nvidia-smi -q -x -lms <interval>`: a process per sample
 * costs CPU and, on WSL2, leaks driver memory. The child is restarted with capped
 * exponential backoff when it dies, replaced when it hangs, and ended by `stop()`.
 */
export class NvidiaSmiSource implements MemorySource {
  readonly #options: Required<Omit<NvidiaSmiSourceOptions, 'spawnFn'>> & { spawnFn: SpawnFn };
  #onReading: ((reading: SmiReading) => void) | null = null;
  #run: Run | null = null;
  #running = false;
  #deathsInRow = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #stallTimer: NodeJS.Timeout | null = null;
  #starts = 0;

  constructor(options: NvidiaSmiSourceOptions) {
    if (options.commandArgv.length === 0) {
      throw new GateError(
        'usage',
        'nvidia-smi: the command is empty',
        'give a command, such as nvidia-smi',
      );
    }
    this.#options = {
      commandArgv: options.commandArgv,
      intervalMs: options.intervalMs,
      readTimeoutMs: options.readTimeoutMs ?? 15_000,
      stallTimeoutMs: options.stallTimeoutMs ?? Math.max(3 * options.intervalMs, 15_000),
      stopGraceMs: options.stopGraceMs ?? 2000,
      restartInitialMs: options.restartInitialMs ?? 1000,
      restartMaxMs: options.restartMaxMs ?? 30_000,
      spawnFn: options.spawnFn ?? spawnPiped,
    };
  }

  /** How many children this source has started: 1 plus the restarts. */
  get starts(): number {
    return this.#starts;
  }

  readOnce(): Promise<SmiReading> {
    return readSmiOnce(this.#options.commandArgv, {
      timeoutMs: this.#options.readTimeoutMs,
      spawnFn: this.#options.spawnFn,
    });
  }

  start(onReading: (reading: SmiReading) => void): void {
    if (this.#running) throw new GateError('internal', 'nvidia-smi sampler is already running');
    this.#running = true;
    this.#onReading = onReading;
    this.#deathsInRow = 0;
    this.#spawn();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#onReading = null;
    this.#clearTimers();
    const run = this.#run;
    this.#run = null;
    if (run) await terminate(run.child, this.#options.stopGraceMs);
  }

  #spawn(): void {
    const [command, ...rest] = this.#options.commandArgv as [string, ...string[]];
    const args = [...rest, '-q', '-x', '-lms', String(this.#options.intervalMs)];
    this.#starts++;

    let child: ChildProcess;
    try {
      child = this.#options.spawnFn(command, args);
    } catch (error) {
      this.#emit(missingCommand(command, error as NodeJS.ErrnoException));
      this.#deathsInRow++;
      this.#scheduleRestart();
      return;
    }

    const run: Run = {
      child,
      splitter: new SmiStreamSplitter(),
      stderr: '',
      spawnError: null,
      lastWasDocument: false,
      documents: 0,
      readings: 0,
      killed: false,
    };
    this.#run = run;

    child.stdout?.on('data', (chunk: Buffer) => {
      for (const reading of run.splitter.push(chunk)) this.#fromChild(run, reading);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      run.stderr = (run.stderr + text).slice(-MAX_STDERR_CHARS);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      run.spawnError = error;
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.#onClose(run, code, signal);
    });
    this.#armStallTimer(run);
  }

  #fromChild(run: Run, reading: SmiReading): void {
    if (this.#run !== run || run.killed) return;
    run.readings++;
    run.lastWasDocument = reading.kind === 'ok';
    if (reading.kind === 'ok') {
      run.documents++;
      this.#deathsInRow = 0;
    }
    this.#armStallTimer(run);
    this.#emit(reading);
  }

  #onClose(run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#run !== run) return; // stopped, or replaced after a hang
    this.#run = null;
    this.#clearTimers();
    if (!this.#running) return;

    if (run.spawnError) {
      this.#emit(missingCommand(this.#options.commandArgv[0] ?? '', run.spawnError));
    } else if (!run.killed) {
      const tail = run.splitter.end();
      for (const reading of tail) this.#emit(reading);
      // An exit right after a document (or before any output) has no reading that says
      // why; stderr may name it, else it is reported as output cut short.
      if (tail.length === 0 && (run.lastWasDocument || run.readings === 0)) {
        this.#emit(this.#exitReading(run, code, signal));
      }
    }
    this.#deathsInRow++;
    this.#scheduleRestart();
  }

  #exitReading(run: Run, code: number | null, signal: NodeJS.Signals | null): SmiReading {
    if (run.stderr.trim() !== '') {
      const named = brokenFromText(run.stderr);
      if (named.state !== 'garbage') return named;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const stderr = run.stderr.trim() === '' ? '' : `; stderr: ${lastLine(run.stderr)}`;
    return broken('truncated', `nvidia-smi loop ${how} after ${run.documents} documents${stderr}`);
  }

  #scheduleRestart(): void {
    if (!this.#running) return;
    const { restartInitialMs, restartMaxMs } = this.#options;
    const exponent = Math.max(0, this.#deathsInRow - 1);
    const delayMs = Math.min(restartInitialMs * 2 ** exponent, restartMaxMs);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (this.#running) this.#spawn();
    }, delayMs);
  }

  #armStallTimer(run: Run): void {
    if (this.#stallTimer) clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(() => this.#onStall(run), this.#options.stallTimeoutMs);
  }

  /** No reading for too long: report it, kill the child, and let the close restart it. */
  #onStall(run: Run): void {
    this.#stallTimer = null;
    if (this.#run !== run || !this.#running) return;
    run.killed = true;
    const named = run.stderr.trim() === '' ? null : brokenFromText(run.stderr);
    this.#emit(
      named && named.state !== 'garbage'
        ? named
        : broken(
            'timeout',
            `nvidia-smi loop printed no document for ${this.#options.stallTimeoutMs} ms and was` +
              ' restarted (a hung nvidia-smi often means the driver lost a GPU)',
          ),
    );
    void terminate(run.child, this.#options.stopGraceMs);
  }

  #emit(reading: SmiReading): void {
    if (this.#running) this.#onReading?.(reading);
  }

  #clearTimers(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    if (this.#stallTimer) clearTimeout(this.#stallTimer);
    this.#restartTimer = null;
    this.#stallTimer = null;
  }
}
