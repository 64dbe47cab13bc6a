import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimEngine } from '../engine.js';
import type { EngineId, Scenario } from '../scenario/schema.js';

/**
 * An engine flavour: how one serving engine speaks over HTTP (endpoints, status codes,
 * error bodies, stream format, metrics) on top of the shared simulated engine. Adding
 * SGLang, TGI, llama.cpp or Ollama means one more folder here with bodies (data and small
 * pure functions) and a `handle`, and one more entry in the registry.
 */
export interface FlavourContext {
  engine: SimEngine;
  scenario: Scenario;
  /** Aborts when the simulator shuts down: long waits end early. */
  closing: AbortSignal;
  log(line: string): void;
}

export interface EngineFlavour {
  id: EngineId;
  /** The engine's process name as nvidia-smi lists it on GPU `gpuIndex` of `gpuCount`. */
  processName(gpuIndex: number, gpuCount: number): string;
  /** Answers one HTTP request. May throw; the server then answers a bare 500. */
  handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext): Promise<void>;
}
