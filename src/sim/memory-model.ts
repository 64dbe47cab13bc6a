import { between, createRng, hashUnit, STREAM } from './rng.js';
import type { Scenario } from './scenario/schema.js';

/** What one GPU holds at one moment, in MiB (not yet rounded). */
export interface GpuMemory {
  fbUsedMiB: number;
  bar1UsedMiB: number;
  /** The engine process's own share of FB, as nvidia-smi lists it under processes. */
  engineFbMiB: number;
}

/** What one finished long request left behind, per GPU. */
export interface LeakEvent {
  fbMiB: number[];
  bar1MiB: number[];
  kvCacheFraction: number;
}

interface Transient {
  kTokens: number;
  releaseAtMs: number;
}

/**
 * GPU memory of the simulated engine: the model loaded at start-up (ramping in while it
 * loads), transient use by requests in flight (kept by the allocator for `settle` after they
 * end), leaks left by long requests, a benign allocator ramp that plateaus, and noise.
 * No clock and no timers: every call says what time it is, so tests can replay a story.
 */
export class MemoryModel {
  private readonly scenario: Scenario;
  private readonly startedAtMs: number;
  private readonly leakRng: () => number;
  private readonly inflight = new Map<number, number>();
  private releasing: Transient[] = [];
  private readonly leakedFbMiB: number[];
  private readonly leakedBar1MiB: number[];
  private leakedKvFraction = 0;
  private finished = 0;
  private nextId = 1;

  constructor(scenario: Scenario, startedAtMs: number) {
    this.scenario = scenario;
    this.startedAtMs = startedAtMs;
    this.leakRng = createRng(scenario.seed ^ STREAM.leak);
    this.leakedFbMiB = new Array<number>(scenario.gpus.count).fill(0);
    this.leakedBar1MiB = new Array<number>(scenario.gpus.count).fill(0);
  }

  /** A request starts using memory; returns its handle for `end`. */
  begin(tokens: number): number {
    const id = this.nextId++;
    this.inflight.set(id, tokens / 1000);
    return id;
  }

  /** A request ended (answered or failed); a long one leaves a leak behind. */
  end(id: number, promptTokens: number, nowMs: number): LeakEvent | null {
    const kTokens = this.inflight.get(id);
    if (kTokens === undefined) return null;
    this.inflight.delete(id);
    this.finished++;
    this.releasing.push({ kTokens, releaseAtMs: nowMs + this.scenario.memory.settle });

    const leak = this.scenario.memory.leak;
    if (promptTokens <= leak.aboveTokens) return null;
    const event: LeakEvent = { fbMiB: [], bar1MiB: [], kvCacheFraction: 0 };
    for (let gpu = 0; gpu < this.scenario.gpus.count; gpu++) {
      const fb = between(this.leakRng(), leak.fb[0], leak.fb[1]);
      const bar1 = between(this.leakRng(), leak.bar1[0], leak.bar1[1]);
      this.leakedFbMiB[gpu]! += fb;
      this.leakedBar1MiB[gpu]! += bar1;
      event.fbMiB.push(fb);
      event.bar1MiB.push(bar1);
    }
    event.kvCacheFraction = between(this.leakRng(), ...leak.kvCacheFraction);
    this.leakedKvFraction += event.kvCacheFraction;
    return event;
  }

  /** Share of the model loaded so far: 0 at start, 1 once start-up is over. */
  loadedShare(nowMs: number): number {
    const delayMs = this.scenario.startupDelay;
    if (delayMs <= 0) return 1;
    return Math.min(1, Math.max(0, (nowMs - this.startedAtMs) / delayMs));
  }

  /** Every GPU's memory at `nowMs`; `sample` numbers the reading so noise is replayable. */
  read(nowMs: number, sample: number): GpuMemory[] {
    this.releasing = this.releasing.filter((t) => t.releaseAtMs > nowMs);
    const { gpus, memory, seed } = this.scenario;
    const loaded = this.loadedShare(nowMs);
    const kTokens =
      [...this.inflight.values()].reduce((sum, k) => sum + k, 0) +
      this.releasing.reduce((sum, t) => sum + t.kTokens, 0);
    const ramp = Math.min(1, this.finished / memory.ramp.requests);

    return this.leakedFbMiB.map((leakedFb, gpu) => {
      const engineFb =
        memory.model.fb * loaded +
        memory.ramp.fb * ramp +
        leakedFb +
        memory.perRequest.fbPer1kTokens * kTokens;
      const engineBar1 =
        memory.model.bar1 * loaded +
        memory.ramp.bar1 * ramp +
        this.leakedBar1MiB[gpu]! +
        memory.perRequest.bar1Per1kTokens * kTokens;
      const fbNoise = (hashUnit(seed ^ STREAM.noise, sample, gpu, 0) * 2 - 1) * memory.noise;
      const bar1Noise = (hashUnit(seed ^ STREAM.noise, sample, gpu, 1) * 2 - 1) * memory.noise;
      const engineShown = engineFb > 0 ? Math.max(0, engineFb + fbNoise) : 0;
      return {
        engineFbMiB: clamp(engineShown, gpus.fbTotal - gpus.fbReserved - gpus.idleFbUsed),
        fbUsedMiB: clamp(gpus.idleFbUsed + engineShown, gpus.fbTotal - gpus.fbReserved),
        bar1UsedMiB: clamp(
          gpus.idleBar1Used + engineBar1 + (engineBar1 > 0 ? bar1Noise : 0),
          gpus.bar1Total,
        ),
      };
    });
  }

  /** vLLM's KV cache usage gauge: tokens in flight over the cache size, plus what leaked. */
  kvCacheUsage(): number {
    const capacity = this.scenario.memory.kvCacheTokens ?? this.scenario.maxModelLen * 4;
    const kTokens = [...this.inflight.values()].reduce((sum, k) => sum + k, 0);
    return Math.min(1, (kTokens * 1000) / capacity + this.leakedKvFraction);
  }

  /** Largest BAR1 share over the GPUs, for faults that key on it. */
  maxBar1Share(nowMs: number, sample: number): number {
    const total = this.scenario.gpus.bar1Total;
    return Math.max(...this.read(nowMs, sample).map((gpu) => gpu.bar1UsedMiB / total));
  }

  get requestsInFlight(): number {
    return this.inflight.size;
  }
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(0, value), Math.max(0, max));
}
