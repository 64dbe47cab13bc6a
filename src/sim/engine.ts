import { type GpuMemory, MemoryModel } from './memory-model.js';
import type { Scenario } from './scenario/schema.js';
import { fillerTokens } from './tokens.js';

/**
 * The simulated engine behind every flavour: what a generate request costs, how it ends,
 * which faults fire, what health says, and the GPU memory it holds. It knows nothing of
 * HTTP or of any engine's wire format; flavours in `engines/` translate.
 */

/** The message PyTorch prints on an illegal memory access, as vLLM passes it on. */
export const CUDA_ERROR_MESSAGE =
  'CUDA error: an illegal memory access was encountered\n' +
  'CUDA kernel errors might be asynchronously reported at some other API call, so the ' +
  'stacktrace below might be incorrect.\n' +
  'For debugging consider passing CUDA_LAUNCH_BLOCKING=1\n' +
  'Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n';

export interface GenerateRequest {
  promptTokens: number;
  /** `null` when the request set none: the model stops at its own end of sequence. */
  maxTokens: number | null;
  ignoreEos: boolean;
  stream: boolean;
}

export interface GeneratePlan {
  /** Output tokens as text pieces; joined they are the answer. */
  tokens: string[];
  finishReason: 'length' | 'stop';
  prefillMs: number;
  decodeMsPerToken: number;
  /** When set, the request fails with this CUDA error once its prefill is done. */
  failure: string | null;
  /** Streams only: an error event follows this many tokens. */
  streamError: { afterTokens: number; message: string } | null;
}

export interface RunningRequest {
  id: number;
  promptTokens: number;
  plan: GeneratePlan;
  prefillEndsAtMs: number;
}

export type HealthState =
  | { status: 'ok' }
  | { status: 'dead' }
  | { status: 'unhealthy' }
  | { status: 'busy'; waitMs: number };

export interface EngineCounters {
  promptTokens: number;
  generationTokens: number;
  finished: Record<'length' | 'stop' | 'error', number>;
}

export interface EngineHooks {
  /** Memory or load changed: time to publish the GPU state. */
  onChange(): void;
  /** The scenario says the process exits now. */
  onExit(reason: string): void;
}

export class SimEngine {
  readonly scenario: Scenario;
  readonly memory: MemoryModel;
  readonly counters: EngineCounters = {
    promptTokens: 0,
    generationTokens: 0,
    finished: { length: 0, stop: 0, error: 0 },
  };
  private readonly now: () => number;
  private readonly hooks: EngineHooks;
  private readonly running = new Map<number, RunningRequest>();
  private finishedRequests = 0;
  private healthProbes = 0;
  private sample = 0;
  private dead = false;

  constructor(scenario: Scenario, now: () => number, hooks: EngineHooks) {
    this.scenario = scenario;
    this.now = now;
    this.hooks = hooks;
    this.memory = new MemoryModel(scenario, now());
  }

  get isDead(): boolean {
    return this.dead;
  }

  get requestsRunning(): number {
    return this.running.size;
  }

  /** Plans and starts a request that passed the flavour's validation. */
  start(request: GenerateRequest): RunningRequest {
    const plan = this.plan(request);
    const tokens = request.promptTokens + (request.maxTokens ?? plan.tokens.length);
    const id = this.memory.begin(tokens);
    const running: RunningRequest = {
      id,
      promptTokens: request.promptTokens,
      plan,
      prefillEndsAtMs: this.now() + plan.prefillMs,
    };
    this.running.set(id, running);
    this.hooks.onChange();
    return running;
  }

  /** A request is over: `generated` tokens went out, `failed` when it ended in an error. */
  finish(request: RunningRequest, generated: number, failed: boolean): void {
    if (!this.running.delete(request.id)) return;
    this.memory.end(request.id, request.promptTokens, this.now());
    this.counters.promptTokens += request.promptTokens;
    this.counters.generationTokens += generated;
    this.counters.finished[failed ? 'error' : request.plan.finishReason]++;
    this.finishedRequests++;

    const { engineDeadAfterRequests, exitAfterRequests } = this.scenario.faults;
    if (engineDeadAfterRequests !== undefined && this.finishedRequests >= engineDeadAfterRequests) {
      this.dead = true;
    }
    this.hooks.onChange();
    if (exitAfterRequests !== undefined && this.finishedRequests >= exitAfterRequests) {
      this.hooks.onExit(`the scenario exits after ${exitAfterRequests} requests`);
    }
  }

  health(): HealthState {
    if (this.dead) return { status: 'dead' };
    this.healthProbes++;

    const flap = this.scenario.faults.healthFlap;
    if (flap && this.memory.maxBar1Share(this.now(), this.sample) > flap.aboveBar1Share) {
      if (flap.mode === 'down' || this.healthProbes % 2 === 0) return { status: 'unhealthy' };
    }

    const waits = this.scenario.faults.healthWaitsForPrefill;
    if (waits) {
      const nowMs = this.now();
      const ends = [...this.running.values()]
        .filter((r) => r.promptTokens > waits.abovePromptTokens && r.prefillEndsAtMs > nowMs)
        .map((r) => r.prefillEndsAtMs);
      if (ends.length > 0) return { status: 'busy', waitMs: Math.max(...ends) - nowMs };
    }
    return { status: 'ok' };
  }

  /** A new reading of every GPU; each call is one noise sample. */
  readGpus(): GpuMemory[] {
    this.sample++;
    return this.memory.read(this.now(), this.sample);
  }

  private plan(request: GenerateRequest): GeneratePlan {
    const { timing, generation } = this.scenario;
    const natural = request.ignoreEos ? Number.POSITIVE_INFINITY : generation.answerTokens;
    const limit = request.maxTokens ?? Number.POSITIVE_INFINITY;
    const count = Math.min(natural, limit);
    const safeCount = Number.isFinite(count) ? count : generation.answerTokens;

    return {
      tokens: fillerTokens(safeCount, request.promptTokens),
      finishReason: limit <= natural ? 'length' : 'stop',
      prefillMs: (request.promptTokens / 1000) * timing.prefillMsPer1kTokens,
      decodeMsPerToken: timing.decodeMsPerToken,
      failure: this.failureFor(request.promptTokens),
      streamError: request.stream ? this.streamErrorFor(request.promptTokens) : null,
    };
  }

  private streamErrorFor(promptTokens: number): GeneratePlan['streamError'] {
    const fault = this.scenario.faults.streamError;
    if (!fault) return null;
    // 0 means every stream, even one with an empty prompt.
    if (fault.abovePromptTokens > 0 && promptTokens <= fault.abovePromptTokens) return null;
    return { afterTokens: fault.afterTokens, message: fault.message ?? CUDA_ERROR_MESSAGE };
  }

  private failureFor(promptTokens: number): string | null {
    const fails = this.scenario.faults.generateFails;
    if (!fails) return null;
    const message = fails.message ?? CUDA_ERROR_MESSAGE;
    if (fails.abovePromptTokens !== undefined && promptTokens > fails.abovePromptTokens) {
      return message;
    }
    if (fails.afterRequests !== undefined && this.finishedRequests >= fails.afterRequests) {
      return message;
    }
    return null;
  }
}
