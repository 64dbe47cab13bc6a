import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimEngine } from '../engine.js';
import type { EngineId, Scenario, StartupError } from '../scenario/schema.js';

/**
 * An engine flavour: how one serving engine speaks over HTTP (endpoints, status codes,
 * error bodies, stream format, metrics) on top of the shared simulated engine. Each engine
 * is a folder here with bodies (data and small pure functions) and a `handle`, and one
 * entry in the registry.
 */
export interface FlavourContext {
  engine: SimEngine;
  scenario: Scenario;
  /** Aborts when the simulator shuts down: long waits end early. */
  closing: AbortSignal;
  /** True while the model is still loading (flavours that answer before it is loaded). */
  isLoading(): boolean;
  log(line: string): void;
}

export interface EngineFlavour {
  id: EngineId;
  /** The engine's process name as nvidia-smi lists it on GPU `gpuIndex` of `gpuCount`. */
  processName(gpuIndex: number, gpuCount: number): string;
  /** Answers one HTTP request. May throw; the server then answers a bare 500. */
  handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext): Promise<void>;
  /**
   * True for engines whose port answers while the model loads (llama.cpp's 503 "Loading
   * model"); the others refuse connections until they are ready.
   */
  bindsBeforeLoad?: boolean;
  /** The log lines the engine prints when it fails to start this way. */
  startupErrorLines(error: StartupError, scenario: Scenario): string[];
}
