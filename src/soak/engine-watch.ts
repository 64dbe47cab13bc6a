/**
 * Samples the engine's own `/metrics` (KV cache usage, requests running and waiting) beside
 * the GPU sampler, through the checks, the soak and the settle. vLLM reserves its pool up
 * front, so nvidia-smi's FB stays flat while the pool leaks: only these figures show it.
 */
import { fetchEngineMetrics } from '../memory/engine-metrics.js';
import type { FetchFn } from '../memory/http-text.js';
import type { Phase } from '../memory/types.js';

export interface EngineMetricsSample {
  /** Milliseconds since the gate started. */
  tMs: number;
  phase: Phase;
  /** 0..1; null when the engine does not export it. */
  kvCacheUsage: number | null;
  running: number | null;
  waiting: number | null;
}

export interface EngineMetricsRecord {
  url: string;
  samples: EngineMetricsSample[];
  /** Scrapes that failed, the first few, with how many there were. */
  errors: string[];
  failedScrapes: number;
}

export interface EngineWatchOptions {
  url: string;
  intervalMs: number;
  /** The gate's clock and current phase, as the memory recorder keeps them. */
  now: () => number;
  phase: () => Phase;
  fetchFn?: FetchFn;
}

export interface EngineWatch {
  /** Takes one sample now (the settle step asks for a fresh one). */
  sample(): Promise<void>;
  stop(): Promise<EngineMetricsRecord>;
}

const MAX_ERRORS = 3;

export function startEngineWatch(options: EngineWatchOptions): EngineWatch {
  const record: EngineMetricsRecord = {
    url: options.url,
    samples: [],
    errors: [],
    failedScrapes: 0,
  };
  const quit = new AbortController();
  let busy: Promise<void> = Promise.resolve();

  const scrape = async () => {
    const tMs = options.now();
    const phase = options.phase();
    try {
      const metrics = await fetchEngineMetrics(options.url, {
        timeoutMs: Math.max(1000, Math.min(5000, options.intervalMs * 2)),
        fetchFn: options.fetchFn,
        signal: quit.signal,
      });
      record.samples.push({ tMs, phase, ...metrics });
    } catch (error) {
      if (quit.signal.aborted) return;
      record.failedScrapes += 1;
      const message = error instanceof Error ? error.message : String(error);
      if (record.errors.length < MAX_ERRORS && !record.errors.includes(message)) {
        record.errors.push(message);
      }
    }
  };
  const sample = () => {
    busy = busy.then(scrape);
    return busy;
  };

  const timer = setInterval(() => void sample(), options.intervalMs);
  void sample();

  return {
    sample,
    async stop() {
      clearInterval(timer);
      await sample();
      quit.abort();
      await busy;
      return record;
    },
  };
}
