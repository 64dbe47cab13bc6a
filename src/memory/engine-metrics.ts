import { type FetchFn, fetchText } from './http-text.js';
import { type PromSample, parsePrometheusText } from './prometheus.js';

/**
 * What an engine says of its own KV cache and queue. `kvCacheUsage` is a fraction (1 = the
 * pool is full); `null` where the engine does not export the figure.
 */
export interface EngineMetrics {
  kvCacheUsage: number | null;
  running: number | null;
  waiting: number | null;
}

/**
 * Metric names, newest first: vLLM renamed `gpu_cache_usage_perc` to `kv_cache_usage_perc`
 * (both are fractions despite the name). SGLang's gauges are read where vLLM's are absent.
 * TGI, llama.cpp server and Ollama are not read: for them all three figures stay null and
 * the gate sees their pools only through FB.
 */
const KV_CACHE_USAGE = [
  'vllm:kv_cache_usage_perc',
  'vllm:gpu_cache_usage_perc',
  'sglang:token_usage',
];
const RUNNING = ['vllm:num_requests_running', 'sglang:num_running_reqs'];
const WAITING = ['vllm:num_requests_waiting', 'sglang:num_queue_reqs'];

export function readEngineMetrics(text: string): EngineMetrics {
  const samples = parsePrometheusText(text);
  return {
    // Several label sets (one per data-parallel engine) each have their own pool; the
    // fullest is the one that shows a pool that will not drain.
    kvCacheUsage: combine(samples, KV_CACHE_USAGE, (values) => Math.max(...values)),
    running: combine(samples, RUNNING, sum),
    waiting: combine(samples, WAITING, sum),
  };
}

export interface FetchEngineMetricsOptions {
  /** Deadline for the whole request, body included. */
  timeoutMs?: number;
  fetchFn?: FetchFn;
  signal?: AbortSignal;
}

/** Scrapes an engine's `/metrics` URL; throws GateError('endpoint') when it cannot. */
export async function fetchEngineMetrics(
  url: string,
  options: FetchEngineMetricsOptions = {},
): Promise<EngineMetrics> {
  const text = await fetchText(url, {
    timeoutMs: options.timeoutMs ?? 5000,
    fetchFn: options.fetchFn,
    signal: options.signal,
  });
  return readEngineMetrics(text);
}

/** The first name that has finite samples, combined across its label sets. */
function combine(
  samples: PromSample[],
  names: string[],
  reduce: (values: number[]) => number,
): number | null {
  for (const name of names) {
    const values = samples
      .filter((s) => s.name === name && Number.isFinite(s.value))
      .map((s) => s.value);
    if (values.length > 0) return reduce(values);
  }
  return null;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
