import { resolve } from 'node:path';
import { GateError } from '../../errors.js';
import { runDockerCommand } from '../../sim/docker/cli.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { defaultScenario, type Scenario } from '../../sim/scenario/schema.js';
import { startSimulator } from '../../sim/simulator.js';
import { runSmiStandIn } from '../../sim/smi-run.js';
import { defaultStatePath, readLiveState, readStateFile } from '../../sim/state-file.js';
import type { CliIO, Command } from '../io.js';

export const SIMULATE_USAGE = `Usage:
  serving-gate simulate [--scenario FILE] [--port N] [--host ADDR] [--max-model-len N]
                        [--state FILE] [--quiet] [--json]
  serving-gate simulate smi [--scenario FILE] [--state FILE | --port N] [nvidia-smi options]
  serving-gate simulate docker [--state DIR] <docker arguments>

The first form serves a simulated engine until SIGTERM or SIGINT, speaking the routes of the
scenario's engine (vllm, sglang, tgi, llamacpp, ollama, or openai for a bare gateway); its
GPU memory and faults come from the scenario (default: a small healthy vLLM, as in
examples/sim/healthy.yaml). --port 0 picks a free port (default 8000).

The second form stands in for nvidia-smi and prints the simulated GPU: -q -x, -q, -x,
-l N / --loop=N, -lms N / --loop-ms=N, -i ID, -L. Point the gate's nvidia-smi setting at it.

The third form stands in for docker on machines without a container engine, answering what
a compose deploy uses: compose -f FILE up -d | ps --all -q SERVICE | logs --tail N SERVICE |
down [--volumes]; inspect ID; events --since T --until T. Each published service runs the
simulator on its published port; a service's x-serving-gate-sim block names its scenario
and how it dies (crash: {after, exitCode, oomKilled, log, runs}); restart: is honoured.
State lives in DIR (default: a folder in the temp dir). Point the gate's docker setting at it.
`;

/** `serving-gate simulate …`: the simulated engine, or with `smi` the nvidia-smi stand-in. */
export const simulateCommand: Command = async (argv, io) => {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await runSimulate(argv, io, stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
};

/** The command with its stop signal passed in, so tests need not send real signals. */
export async function runSimulate(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  if (argv[0] === 'docker') return runDockerCommand(argv.slice(1), io, signal);
  return argv[0] === 'smi' ? runStandIn(argv.slice(1), io, signal) : runServer(argv, io, signal);
}

async function runServer(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { own, rest } = takeOptions(argv, [
    '--scenario',
    '--port',
    '--host',
    '--max-model-len',
    '--state',
  ]);
  const flags: string[] = rest.filter((arg) => arg === '--quiet' || arg === '--json');
  const unknown = rest.filter((arg) => !flags.includes(arg));
  if (unknown.length > 0) {
    throw new GateError(
      'usage',
      `simulate: unknown option ${unknown[0]}`,
      'see serving-gate simulate --help',
    );
  }

  const maxModelLen = own['--max-model-len'];
  const quiet = flags.includes('--quiet');
  const sim = await startSimulator({
    scenario: own['--scenario'] ? resolvePath(own['--scenario'], io) : undefined,
    maxModelLen: maxModelLen === undefined ? undefined : integer(maxModelLen, '--max-model-len', 2),
    host: own['--host'] ?? '127.0.0.1',
    port: own['--port'] === undefined ? 8000 : integer(own['--port'], '--port', 0),
    statePath: own['--state'] ? resolvePath(own['--state'], io) : undefined,
    log: quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
  });

  const stopped = new Promise<'signal'>((resolve) => {
    if (signal.aborted) resolve('signal');
    signal.addEventListener('abort', () => resolve('signal'), { once: true });
  });
  try {
    const first = await Promise.race([
      sim.ready.then(
        () => 'ready' as const,
        () => 'failed' as const,
      ),
      stopped,
    ]);
    if (first === 'ready') {
      io.stdout.write(
        flags.includes('--json')
          ? `${JSON.stringify({ engine: sim.scenario.engine, url: sim.url, port: sim.port, statePath: sim.statePath })}\n`
          : `serving-gate simulator (${sim.scenario.engine}) listening on ${sim.url}\n`,
      );
    }
    const end = await Promise.race([sim.exited, stopped]);
    if (end !== 'signal' && end.reason === 'exited') {
      io.stderr.write(`serving-gate simulator exited: ${end.message}\n`);
      return 1;
    }
    return 0;
  } finally {
    await sim.close();
  }
}

async function runStandIn(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { own, rest } = takeOptions(argv, ['--scenario', '--state', '--port']);
  const scenario: Scenario = own['--scenario']
    ? loadScenarioFile(resolvePath(own['--scenario'], io))
    : defaultScenario();
  const port = own['--port'] === undefined ? 8000 : integer(own['--port'], '--port', 1);
  const statePath = own['--state'] ? resolvePath(own['--state'], io) : defaultStatePath(port);

  return runSmiStandIn({
    scenario,
    args: rest,
    stdout: io.stdout,
    signal,
    readState: () => readLiveState(statePath, Date.now()),
    readAnyState: () => readStateFile(statePath),
  });
}

/**
 * Takes this command's own `--name value` / `--name=value` options out of the arguments and
 * leaves the rest, in order (for `smi`, the rest are nvidia-smi's).
 */
function takeOptions(argv: string[], names: string[]) {
  const own: Record<string, string | undefined> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!names.includes(name)) {
      rest.push(arg);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') {
      throw new GateError(
        'usage',
        `simulate: ${name} needs a value`,
        'see serving-gate simulate --help',
      );
    }
    own[name] = value;
  }
  return { own, rest };
}

function integer(text: string, name: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new GateError('usage', `simulate: ${name} "${text}" is not a whole number ≥ ${min}`);
  }
  return Number(text);
}

function resolvePath(path: string, io: CliIO): string {
  return resolve(io.cwd, path);
}
