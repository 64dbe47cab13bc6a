import { GateError } from '../errors.js';
import { dcgmReading } from './dcgm.js';
import { type FetchFn, fetchText } from './http-text.js';
import { parsePrometheusText } from './prometheus.js';
import { broken } from './smi-broken.js';
import type { MemorySource, SmiReading } from './types.js';

export interface DcgmSourceOptions {
  /** The exporter's metrics URL, e.g. http://127.0.0.1:9400/metrics. */
  url: string;
  intervalMs: number;
  /** Deadline per scrape. Default 5 s. */
  timeoutMs?: number;
  fetchFn?: FetchFn;
}

/**
 * GPU memory from a dcgm-exporter, for runners (Kubernetes) where nvidia-smi cannot run.
 * Scrapes one at a time: the next starts an interval after the previous began, or at once
 * when a scrape took longer than the interval.
 */
export class DcgmSource implements MemorySource {
  readonly #url: string;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #fetchFn: FetchFn | undefined;
  #running = false;
  #timer: NodeJS.Timeout | null = null;
  #abort: AbortController | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(options: DcgmSourceOptions) {
    this.#url = options.url;
    this.#intervalMs = options.intervalMs;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#fetchFn = options.fetchFn;
  }

  readOnce(): Promise<SmiReading> {
    return this.#scrape(undefined);
  }

  start(onReading: (reading: SmiReading) => void): void {
    if (this.#running) throw new GateError('internal', 'DCGM sampler is already running');
    this.#running = true;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;

    const tick = () => {
      this.#timer = null;
      const startedMs = Date.now();
      this.#inFlight = this.#scrape(signal).then((reading) => {
        this.#inFlight = null;
        if (!this.#running) return;
        onReading(reading);
        const waitMs = Math.max(0, this.#intervalMs - (Date.now() - startedMs));
        this.#timer = setTimeout(tick, waitMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort();
    this.#abort = null;
    await this.#inFlight;
  }

  /** One scrape as a reading: unreachable is `missing`, too slow is `timeout`. */
  async #scrape(signal: AbortSignal | undefined): Promise<SmiReading> {
    let text: string;
    try {
      text = await fetchText(this.#url, {
        timeoutMs: this.#timeoutMs,
        fetchFn: this.#fetchFn,
        signal,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const timedOut = error instanceof GateError && error.code === 'timeout';
      return broken(timedOut ? 'timeout' : 'missing', `dcgm-exporter ${message}`);
    }
    return dcgmReading(parsePrometheusText(text));
  }
}
