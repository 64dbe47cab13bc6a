import { createServer } from 'node:net';
import { GateError } from '../errors.js';
import { SimEngine } from './engine.js';
import { flavourFor } from './engines/index.js';
import type { FlavourContext } from './engines/types.js';
import { stateFromReadings } from './gpu-state.js';
import { withMcp } from './mcp/route.js';
import { leaveGpu } from './residue.js';
import { loadScenarioFile } from './scenario/load.js';
import { defaultScenario, type Scenario } from './scenario/schema.js';
import { createSimServer, type SimServer } from './server.js';
import { sleep } from './sleep.js';
import { defaultStatePath, writeStateFile } from './state-file.js';

export interface SimulatorOptions {
  /** A validated scenario, a path to a scenario file, or nothing for the healthy default. */
  scenario?: Scenario | string;
  /** Replaces the scenario's `maxModelLen`, as `--max-model-len` does. */
  maxModelLen?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Where the GPU state goes for the nvidia-smi stand-in; default derived from the port. */
  statePath?: string;
  /** How often the state is refreshed when nothing changes. Default 1000 ms. */
  stateIntervalMs?: number;
  /** Access and error lines, as the engine would log them. Default: dropped. */
  log?: (line: string) => void;
}

export interface SimulatorExit {
  /** `closed` by the caller, or `exited` because the scenario made the process die. */
  reason: 'closed' | 'exited';
  message: string;
}

export interface RunningSimulator {
  url: string;
  port: number;
  statePath: string;
  scenario: Scenario;
  /** Resolves once the port accepts connections (after the scenario's start-up delay). */
  ready: Promise<void>;
  /** Resolves when the simulated process is gone. */
  exited: Promise<SimulatorExit>;
  /** Stops serving, ends open connections and removes the state file. */
  close(): Promise<void>;
}

/**
 * Starts a simulated engine in this process: an HTTP server on `host:port` and a GPU state
 * file. Returns as soon as the port is known; `ready` tells when it listens.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario = resolveScenario(options);
  const host = options.host ?? '127.0.0.1';
  const flavour = flavourFor(scenario.engine);
  const log = options.log ?? (() => {});
  const closing = new AbortController();
  const startedAtMs = Date.now();
  let statePath = '';
  let stopped = false;

  const publish = () => {
    if (stopped || statePath === '') return;
    writeStateFile(
      statePath,
      stateFromReadings({
        scenario,
        readings: engine.readGpus(),
        pid: process.pid,
        processName: (index) => flavour.processName(index, scenario.gpus.count),
        busy: engine.requestsRunning > 0,
        startedAtMs,
        nowMs: Date.now(),
      }),
    );
  };

  let resolveExit: (exit: SimulatorExit) => void = () => {};
  const exited = new Promise<SimulatorExit>((resolve) => {
    resolveExit = resolve;
  });
  const shutdown = async (reason: SimulatorExit['reason'], message: string) => {
    if (stopped) return;
    stopped = true;
    closing.abort();
    clearInterval(timer);
    await server.close();
    // A process that is gone holds no GPU memory: the stand-in shows the GPU idle, unless
    // the scenario leaves residue behind (a dirty runner).
    if (statePath !== '') leaveGpu(statePath, scenario, Date.now());
    resolveExit({ reason, message });
  };

  const engine = new SimEngine(scenario, Date.now, {
    onChange: publish,
    onExit: (message) => {
      log(`ERROR: ${message}`);
      setImmediate(() => void shutdown('exited', message));
    },
  });
  const isLoading = () => Date.now() - startedAtMs < scenario.startupDelay;
  const ctx: FlavourContext = { engine, scenario, closing: closing.signal, isLoading, log };
  const server = createSimServer({
    handle: withMcp({ engine, scenario, closing: closing.signal }, (req, res) =>
      flavour.handle(req, res, ctx),
    ),
    neverAnswer: scenario.faults.neverAnswer,
    log,
  });

  const requestedPort = options.port ?? 8000;
  const startupError = scenario.faults.startupError;
  let port: number;
  let ready: Promise<void>;
  if (startupError !== undefined) {
    // The engine loads, prints why it cannot serve, and exits without ever listening.
    port = requestedPort === 0 ? await freePort(host) : requestedPort;
    ready = sleep(scenario.startupDelay, closing.signal).then(() => {
      const lines = flavour.startupErrorLines(startupError, scenario);
      for (const line of lines) log(line);
      const last = lines.at(-1) ?? startupError;
      setImmediate(() => void shutdown('exited', last));
      throw new Error(`the engine failed to start: ${last}`);
    });
    ready.catch(() => {});
  } else if (scenario.startupDelay <= 0 || flavour.bindsBeforeLoad) {
    port = await listenOrExplain(server, requestedPort, host);
    ready = Promise.resolve();
  } else {
    // Known shortcoming: with port 0 the free port is picked now and bound after the delay,
    // so another process could take it in between.
    port = requestedPort === 0 ? await freePort(host) : requestedPort;
    ready = sleep(scenario.startupDelay, closing.signal).then(async () => {
      if (closing.signal.aborted) throw new Error('the simulator closed before it was ready');
      await listenOrExplain(server, port, host);
    });
    ready.catch(() => {});
  }

  statePath = options.statePath ?? defaultStatePath(port);
  const timer = setInterval(publish, options.stateIntervalMs ?? 1000);
  publish();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    statePath,
    scenario,
    ready,
    exited,
    close: () => shutdown('closed', 'closed'),
  };
}

function resolveScenario(options: SimulatorOptions): Scenario {
  const overrides = { maxModelLen: options.maxModelLen };
  if (typeof options.scenario === 'string') return loadScenarioFile(options.scenario, overrides);
  const scenario = options.scenario ?? defaultScenario();
  return options.maxModelLen === undefined
    ? scenario
    : { ...scenario, maxModelLen: options.maxModelLen };
}

async function listenOrExplain(server: SimServer, port: number, host: string): Promise<number> {
  try {
    return await server.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GateError(
      'usage',
      `the simulator cannot listen on ${host}:${port} (${code ?? String(error)})`,
      code === 'EADDRINUSE' ? 'pick another --port, or 0 for any free port' : undefined,
      { cause: error },
    );
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
