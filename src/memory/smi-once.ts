import type { ChildProcess } from 'node:child_process';
import { type SpawnFn, spawnPiped, terminate } from './child.js';
import { broken, brokenFromText, lastLine, missingCommand } from './smi-broken.js';
import { SmiStreamSplitter } from './smi-stream.js';
import type { SmiBroken, SmiReading } from './types.js';

export interface ReadOnceOptions {
  /** Deadline for the whole run; a hung nvidia-smi becomes a `timeout` reading. */
  timeoutMs?: number;
  spawnFn?: SpawnFn;
}

/** stderr kept for messages: the last lines are the ones that say why. */
const MAX_STDERR_CHARS = 8192;

/**
 * Runs `[...commandArgv, '-q', '-x']` once and reads its document. Never throws: a missing
 * command is `missing` (naming it), a run past the deadline is `timeout` (the child is
 * killed), and a broken driver is named from stdout or stderr.
 */
export function readSmiOnce(
  commandArgv: string[],
  options: ReadOnceOptions = {},
): Promise<SmiReading> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const [command = 'nvidia-smi', ...rest] = commandArgv;
  const args = [...rest, '-q', '-x'];
  const shown = [command, ...args].join(' ');

  return new Promise((resolve) => {
    const splitter = new SmiStreamSplitter();
    const readings: SmiReading[] = [];
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    let settled = false;

    let child: ChildProcess;
    try {
      child = (options.spawnFn ?? spawnPiped)(command, args);
    } catch (error) {
      resolve(missingCommand(command, error as NodeJS.ErrnoException));
      return;
    }

    const settle = (reading: SmiReading) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reading);
    };

    const timer = setTimeout(() => {
      void terminate(child, 1000);
      // A command that printed its document but did not exit still gave what was asked.
      const ok = readings.find((r) => r.kind === 'ok');
      if (ok) {
        settle(ok);
        return;
      }
      const partial = stderr.trim() !== '' ? `; stderr: ${lastLine(stderr)}` : '';
      settle(
        broken(
          'timeout',
          `${shown} gave no document within ${timeoutMs} ms and was killed${partial}` +
            ' (a hung nvidia-smi often means the driver lost a GPU)',
        ),
      );
    }, timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => readings.push(...splitter.push(chunk)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-MAX_STDERR_CHARS);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (spawnError) {
        settle(missingCommand(command, spawnError));
        return;
      }
      readings.push(...splitter.end());
      settle(pickReading(readings, stderr, shown, code, signal));
    });
  });
}

/**
 * The reading a one-shot run stands for: its document if it printed one; else the most
 * specific broken state from stdout, then stderr; else a note of how it ended.
 */
function pickReading(
  readings: SmiReading[],
  stderr: string,
  shown: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): SmiReading {
  const ok = readings.find((r) => r.kind === 'ok');
  if (ok) return ok;

  const brokenOnes = readings.filter((r): r is SmiBroken => r.kind === 'broken');
  const fromStderr = stderr.trim() === '' ? null : brokenFromText(stderr);
  const named = [...brokenOnes, ...(fromStderr ? [fromStderr] : [])];
  const best =
    named.find((r) => r.state !== 'garbage' && r.state !== 'truncated') ??
    named.find((r) => r.state === 'truncated') ??
    named[0];
  if (best) return best;

  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return broken('garbage', `${shown} ${how} and printed nothing`);
}
