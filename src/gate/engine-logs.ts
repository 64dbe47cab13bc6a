/**
 * Reads what the engine printed, from the deploy command's own output and from the `logs`
 * command when one is given, and turns the fatal lines into reasons with their figures.
 * The command is the workflow author's shell line, run under a deadline; nothing from the
 * server or the config is spliced into it.
 */
import { LogScanner, logReasons } from '../checks/engines/log-patterns.js';
import { type SpawnOptions, spawnShell, stopGroup } from '../deploy/process.js';
import { formatDuration } from '../units.js';
import type { Reason } from '../verdict/types.js';

export const LOGS_TIMEOUT_MS = 30_000;

export interface EngineLogsInput {
  command: string | null;
  /** The deploy command's last lines (the simulator's and a foreground server's output). */
  deployTail: readonly string[];
  spawn: SpawnOptions;
  timeoutMs?: number;
}

export async function engineLogReasons(input: EngineLogsInput): Promise<Reason[]> {
  const fromDeploy = new LogScanner();
  for (const line of input.deployTail) fromDeploy.push(line);
  const reasons = logReasons(fromDeploy.findings(), 'deploy output');
  if (!input.command) return reasons;

  const fromCommand = new LogScanner();
  const run = await runLogsCommand(
    input.command,
    input.spawn,
    input.timeoutMs ?? LOGS_TIMEOUT_MS,
    (line) => fromCommand.push(line),
  );
  const seen = new Set(reasons.map((r) => r.figures?.finding));
  const fresh = fromCommand.findings().filter((f) => !seen.has(f.id));
  reasons.push(...logReasons(fresh, 'logs command'));
  if (run.problem !== null) {
    reasons.push({
      rule: 'engine-logs-unread',
      severity: 'warn',
      message: `The logs command ${run.problem}; its output was scanned only as far as it got.`,
    });
  }
  return reasons;
}

/** Streams the command's output line by line into `onLine`; kills its group at the deadline. */
async function runLogsCommand(
  command: string,
  options: SpawnOptions,
  timeoutMs: number,
  onLine: (line: string) => void,
): Promise<{ problem: string | null }> {
  const child = spawnShell(command, options);
  let partial = '';
  const feed = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child, 2000);
  }, timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', () => resolve([127, null]));
    child.once('close', (exitCode, sig) => resolve([exitCode, sig]));
  });
  clearTimeout(timer);
  if (partial !== '') onLine(partial);

  if (timedOut) return { problem: `did not finish within ${formatDuration(timeoutMs)}` };
  if (code !== 0) return { problem: `exited ${code ?? signal}` };
  return { problem: null };
}
