import type { Scenario } from '../../scenario/schema.js';
import { advertisedContext } from '../context.js';
import type { Done } from '../serve.js';

/**
 * TGI's bodies: `ErrorResponse{error, error_type}` for every failure (422 validation,
 * 424 generation, 503 health), `/info`, and the events of `/generate_stream`, whose last
 * event carries `generated_text` and `details` and is not followed by `[DONE]`. Pure.
 */

export function tgiError(message: string, errorType: string) {
  return { error: message, error_type: errorType };
}

/** A failure inside the model server, passed on by the router with 424. */
export function tgiGenerationError(message: string) {
  return tgiError(`Request failed during generation: Server error: ${message}`, 'generation');
}

/** The router's validation of prompt and `max_new_tokens` against the token budget. */
export function tgiOverLimit(promptTokens: number, maxTokens: number | null, limit: number) {
  const maxInput = limit - 1;
  const message =
    promptTokens > maxInput || maxTokens === null
      ? `Input validation error: \`inputs\` must have less than ${maxInput} tokens. ` +
        `Given: ${promptTokens}`
      : `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${limit}. ` +
        `Given: ${promptTokens} \`inputs\` tokens and ${maxTokens} \`max_new_tokens\``;
  return { status: 422, body: tgiError(message, 'validation') };
}

export function tgiInfo(scenario: Scenario) {
  const total = advertisedContext(scenario);
  return {
    model_id: scenario.model,
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: 128,
    max_best_of: 2,
    max_stop_sequences: 4,
    max_input_tokens: total - 1,
    max_total_tokens: total,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version: scenario.engineVersion,
    sha: null,
    docker_label: null,
  };
}

export function tgiModelList(scenario: Scenario) {
  return {
    object: 'list',
    data: [{ id: scenario.model, object: 'model', created: 0, owned_by: scenario.model }],
  };
}

function token(text: string, index: number) {
  return { id: 1000 + index, text, logprob: -0.1, special: false };
}

/** One event of `/generate_stream` before the last. */
export function tgiStreamToken(text: string, index: number) {
  return { index, token: token(text, index), generated_text: null, details: null };
}

/** The last event: the end-of-sequence token, the whole text and the details. */
export function tgiStreamEnd(done: Done) {
  return {
    index: done.generated + 1,
    token: { id: 2, text: '</s>', logprob: -0.01, special: true },
    generated_text: done.text,
    details: {
      finish_reason: done.finishReason === 'length' ? 'length' : 'eos_token',
      generated_tokens: done.generated,
      seed: null,
      input_length: done.promptTokens,
    },
  };
}

/** `/generate` without streaming. */
export function tgiGenerated(done: Done) {
  return {
    generated_text: done.text,
    details: {
      finish_reason: done.finishReason === 'length' ? 'length' : 'eos_token',
      generated_tokens: done.generated,
      seed: null,
      prefill: [],
      tokens: [],
    },
  };
}
