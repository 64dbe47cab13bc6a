import type { Scenario } from '../../scenario/schema.js';
import { advertisedContext } from '../context.js';
import { sseFrame } from '../serve.js';

/**
 * SGLang's bodies: the flat `ErrorResponse` of its OpenAI adapter (`{"object":"error",
 * "message","type","param","code"}`), wrapped in `{"error":…}` inside a stream, the context
 * refusals of its tokenizer manager, and its info routes. Pure; see reference/engines.md.
 */

export function sglangError(status: number, message: string, type = errorType(status)) {
  return { object: 'error', message, type, param: null, code: status };
}

function errorType(status: number): string {
  if (status === 404) return 'NotFoundError';
  return status >= 500 ? 'InternalServerError' : 'BadRequestError';
}

/** The prompt alone, or the prompt with the completion, does not fit the context. */
export function sglangOverLimit(promptTokens: number, maxTokens: number | null, limit: number) {
  const message =
    promptTokens >= limit || maxTokens === null
      ? `The input (${promptTokens} tokens) is longer than the model's context length ` +
        `(${limit} tokens).`
      : `Requested token count exceeds the model's maximum context length of ${limit} tokens. ` +
        `You requested a total of ${promptTokens + maxTokens} tokens: ${promptTokens} tokens ` +
        `from the input messages and ${maxTokens} tokens for the completion. Please reduce the ` +
        'number of tokens in the input messages or the completion to fit within the limit.';
  return { status: 400, body: sglangError(400, message) };
}

export function sglangStreamError(message: string): string[] {
  return [sseFrame({ error: sglangError(500, message) }), sseFrame('[DONE]')];
}

export function sglangModelList(scenario: Scenario, createdS: number) {
  return {
    object: 'list',
    data: [
      {
        id: scenario.model,
        object: 'model',
        created: createdS,
        owned_by: 'sglang',
        root: scenario.model,
        parent: null,
        max_model_len: advertisedContext(scenario),
      },
    ],
  };
}

export function sglangModelInfo(scenario: Scenario) {
  return {
    model_path: scenario.model,
    tokenizer_path: scenario.model,
    is_generation: true,
    preferred_sampling_params: null,
    weight_version: 'default',
  };
}

/** A few of the many server arguments; `context_length` is the one the gate reads. */
export function sglangServerArgs(scenario: Scenario) {
  return {
    model_path: scenario.model,
    served_model_name: scenario.model,
    context_length: advertisedContext(scenario),
    mem_fraction_static: 0.88,
    tp_size: scenario.gpus.count,
    enable_metrics: true,
  };
}

export interface SglangGauges {
  model: string;
  running: number;
  queued: number;
  /** 0..1 share of the KV pool's tokens in use. */
  tokenUsage: number;
}

/** `/metrics` with SGLang's gauge names (it exports them with `--enable-metrics`). */
export function renderSglangMetrics(gauges: SglangGauges): string {
  const labels = `{model_name="${gauges.model.replaceAll('"', '\\"')}"}`;
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}${labels} ${value}`);
  };
  gauge('sglang:num_running_reqs', 'The number of running requests.', gauges.running);
  gauge('sglang:num_queue_reqs', 'The number of requests in the waiting queue.', gauges.queued);
  gauge('sglang:token_usage', 'The token usage.', gauges.tokenUsage);
  return `${lines.join('\n')}\n`;
}
