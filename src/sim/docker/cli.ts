import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDockerStandIn } from './run.js';

/**
 * `serving-gate simulate docker [--state DIR] <docker arguments>`: the stand-in's own
 * option comes before docker's words. The argv that runs `serving-gate simulate` again
 * (for the supervisor and the simulator) is this process's own, unless
 * SERVING_GATE_SIMULATE_ARGV (a JSON array) says otherwise.
 */
export function runDockerCommand(
  argv: string[],
  io: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
  },
  signal: AbortSignal,
): Promise<number> {
  let dir = join(tmpdir(), 'serving-gate-docker');
  let rest = argv;
  while (rest[0]?.startsWith('--state')) {
    const [flag, ...after] = rest;
    const eq = flag!.indexOf('=');
    dir = resolve(io.cwd, eq === -1 ? (after.shift() ?? '') : flag!.slice(eq + 1));
    rest = after;
  }
  return runDockerStandIn({
    dir,
    args: rest,
    cwd: io.cwd,
    stdout: io.stdout,
    stderr: io.stderr,
    simulate: simulateArgv(io.env),
    signal,
  });
}

export function simulateArgv(env: NodeJS.ProcessEnv): string[] {
  const given = env.SERVING_GATE_SIMULATE_ARGV;
  if (given) {
    const parsed: unknown = JSON.parse(given);
    if (Array.isArray(parsed) && parsed.every((word) => typeof word === 'string')) return parsed;
  }
  return [process.execPath, ...process.execArgv, process.argv[1] ?? '', 'simulate'];
}
