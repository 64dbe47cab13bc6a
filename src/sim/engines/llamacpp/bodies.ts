import type { Scenario } from '../../scenario/schema.js';
import { advertisedContext } from '../context.js';
import type { Done } from '../serve.js';

/**
 * llama-server's bodies: `{"error":{"code","message","type"}}` errors (503
 * `unavailable_error` while loading, 400 `exceed_context_size_error` with the counts), the
 * native `/completion` answer and stream events, `/props` and its OpenAI model list. Pure.
 */

export function llamaError(status: number, message: string, type: string) {
  return { error: { code: status, message, type } };
}

export const LOADING = llamaError(503, 'Loading model', 'unavailable_error');

export function llamaOverLimit(promptTokens: number, _maxTokens: number | null, limit: number) {
  const message =
    `request (${promptTokens} tokens) exceeds the available context size (${limit} tokens), ` +
    'try increasing it';
  const body = llamaError(400, message, 'exceed_context_size_error');
  return {
    status: 400,
    body: { error: { ...body.error, n_prompt_tokens: promptTokens, n_ctx: limit } },
  };
}

export function llamaServerError(message: string) {
  return llamaError(500, message, 'server_error');
}

export function llamaProps(scenario: Scenario) {
  return {
    default_generation_settings: { n_ctx: advertisedContext(scenario), params: { n_predict: -1 } },
    total_slots: scenario.slots,
    model_path: `/models/${scenario.model}.gguf`,
    chat_template: '',
    build_info: 'b6500-sim',
  };
}

export function llamaModelList(scenario: Scenario, createdS: number) {
  return {
    object: 'list',
    data: [
      {
        id: scenario.model,
        object: 'model',
        created: createdS,
        owned_by: 'llamacpp',
        meta: { n_ctx_train: scenario.maxModelLen, n_vocab: 151936 },
      },
    ],
  };
}

/** One event of the `/completion` stream before the last. */
export function llamaStreamToken(text: string) {
  return { index: 0, content: text, tokens: [], stop: false, id_slot: -1 };
}

/** The whole answer, and the last event of a stream: `stop: true` with the counts. */
export function llamaCompletion(done: Done, truncated: boolean, model: string) {
  return {
    index: 0,
    content: done.text,
    tokens: [],
    id_slot: 0,
    stop: true,
    model,
    tokens_predicted: done.generated,
    tokens_evaluated: done.promptTokens,
    truncated,
    stop_type: done.finishReason === 'length' ? 'limit' : 'eos',
    stopping_word: '',
    tokens_cached: done.promptTokens + done.generated,
    timings: {
      prompt_n: done.promptTokens,
      predicted_n: done.generated,
    },
  };
}
