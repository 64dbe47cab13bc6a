import type { Scenario } from '../../scenario/schema.js';
import { servedContext } from '../context.js';
import type { Done } from '../serve.js';

/**
 * Ollama's bodies: `{"error":"…"}` errors, `/api/tags` and `/api/ps`, and the answers of
 * `/api/generate`, whose stream is NDJSON ending in a line with `"done": true` and the
 * counts (`prompt_eval_count` is the only sign of a truncated prompt). Pure.
 */

const DIGEST = 'sha256:6a29d3d8e3f3a5b3e4c0f6e39b4f3c2b8d93d87c9e04ad3e6c84f1b0a7d4c2e1';

function details() {
  return {
    parent_model: '',
    format: 'gguf',
    family: 'qwen3',
    families: ['qwen3'],
    parameter_size: '8.2B',
    quantization_level: 'Q4_K_M',
  };
}

export function ollamaError(message: string) {
  return { error: message };
}

/** The OpenAI-compatible routes answer errors in OpenAI's shape. */
export function ollamaOpenAiError(message: string) {
  return { error: { message, type: 'api_error', param: null, code: null } };
}

export function ollamaTags(scenario: Scenario) {
  return {
    models: [
      {
        name: scenario.model,
        model: scenario.model,
        modified_at: '2026-11-02T09:12:44.081Z',
        size: 5_225_376_047,
        digest: DIGEST,
        details: details(),
      },
    ],
  };
}

/** `/api/ps`: the loaded model with the context it was loaded with, or none yet. */
export function ollamaPs(scenario: Scenario, loaded: boolean) {
  if (!loaded) return { models: [] };
  return {
    models: [
      {
        name: scenario.model,
        model: scenario.model,
        size: 6_654_289_920,
        digest: DIGEST,
        details: details(),
        expires_at: '2026-12-01T10:05:00.000Z',
        size_vram: 6_654_289_920,
        context_length: servedContext(scenario),
      },
    ],
  };
}

export function ollamaModelList(scenario: Scenario, createdS: number) {
  return {
    object: 'list',
    data: [{ id: scenario.model, object: 'model', created: createdS, owned_by: 'library' }],
  };
}

/** One NDJSON line of a stream before the last. */
export function ollamaStreamToken(model: string, text: string) {
  return { model, created_at: new Date().toISOString(), response: text, done: false };
}

/** The whole answer, and the last line of a stream (with an empty `response`). */
export function ollamaGenerated(model: string, done: Done) {
  return {
    model,
    created_at: new Date().toISOString(),
    response: done.text,
    done: true,
    done_reason: done.finishReason,
    context: [],
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: done.promptTokens,
    prompt_eval_duration: 0,
    eval_count: done.generated,
    eval_duration: 0,
  };
}

export function ollamaWrongModel(model: string) {
  return ollamaError(`model "${model}" not found, try pulling it first`);
}
