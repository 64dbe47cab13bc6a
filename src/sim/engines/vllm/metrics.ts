import type { EngineCounters } from '../../engine.js';

/**
 * vLLM's `/metrics` in Prometheus text format, with its metric names and the `model_name`
 * label: the KV cache usage gauge is how the gate sees a leak inside vLLM's pre-reserved
 * pool, where nvidia-smi's FB stays flat.
 */

export interface VllmMetrics {
  model: string;
  running: number;
  waiting: number;
  /** 0..1: vLLM's gauge is a fraction despite its name. */
  kvCacheUsage: number;
  counters: EngineCounters;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderVllmMetrics(metrics: VllmMetrics): string {
  const labels = `engine="0",model_name="${escapeLabel(metrics.model)}"`;
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [extra, value] of samples) {
      out.push(`${name}{${extra ? `${extra},` : ''}${labels}} ${formatNumber(value)}`);
    }
  };

  metric('vllm:num_requests_running', 'gauge', 'Number of requests in model execution batches.', [
    ['', metrics.running],
  ]);
  metric('vllm:num_requests_waiting', 'gauge', 'Number of requests waiting to be processed.', [
    ['', metrics.waiting],
  ]);
  metric('vllm:kv_cache_usage_perc', 'gauge', 'KV-cache usage. 1 means 100 percent usage.', [
    ['', metrics.kvCacheUsage],
  ]);
  metric('vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', [
    ['', metrics.counters.promptTokens],
  ]);
  metric('vllm:generation_tokens_total', 'counter', 'Number of generation tokens processed.', [
    ['', metrics.counters.generationTokens],
  ]);
  metric(
    'vllm:request_success_total',
    'counter',
    'Count of successfully processed requests.',
    (['stop', 'length'] as const).map((reason) => [
      `finished_reason="${reason}"`,
      metrics.counters.finished[reason],
    ]),
  );
  return `${out.join('\n')}\n`;
}

/** Prometheus' Python client prints floats: `0.0`, `12.0`, `0.25`. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
