import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '../deploy/deployment.js';
import { GateError } from '../errors.js';

/**
 * The built-in default deployment: the simulator as a real child process of the gate,
 * with its nvidia-smi stand-in reading the same GPU state file.
 */
export interface SimulatorLaunch {
  serverArgv: string[];
  smiArgv: string[];
  statePath: string;
}

export function simulatorLaunch(
  selfCommand: readonly string[],
  scenario: string | null,
  maxModelLen: number | null,
): SimulatorLaunch {
  const statePath = join(tmpdir(), `serving-gate-sim-${process.pid}-${Date.now()}.json`);
  const scenarioArgs = scenario ? ['--scenario', scenario] : [];
  const serverArgv = [
    ...selfCommand,
    'simulate',
    ...scenarioArgs,
    '--port',
    '0',
    '--state',
    statePath,
    ...(maxModelLen ? ['--max-model-len', String(maxModelLen)] : []),
  ];
  const smiArgv = [...selfCommand, 'simulate', 'smi', ...scenarioArgs, '--state', statePath];
  return { serverArgv, smiArgv, statePath };
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Reads the simulator's address from its first line of output. */
export async function simulatorEndpoint(
  deployment: Deployment,
  timeoutMs: number,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const line of deployment.logTail()) {
      const match = LISTENING.exec(line);
      if (match) return match[1]!;
    }
    const dead = deployment.deadReason();
    if (dead || !deployment.running) {
      throw new GateError('deploy', `the simulator did not start: ${dead ?? 'it exited'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new GateError('deploy', `the simulator did not report its address within ${timeoutMs} ms`);
}
