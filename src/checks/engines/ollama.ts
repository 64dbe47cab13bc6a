/**
 * Ollama. `GET /` answers "Ollama is running"; models load on first use, so `/api/tags`
 * lists what can be served and `/api/ps` the loaded ones with their `context_length`. A
 * prompt longer than `num_ctx` is answered 200 after its start was dropped (ollama#3839):
 * only `prompt_eval_count` tells. The native stream is NDJSON, one object per line, the
 * last with `"done": true`; an error is a line with `"error"`.
 */
import type { EngineProfile } from '../engine-profile.js';
import {
  type ModelCard,
  readPromptTokens as readOpenAiPromptTokens,
  readGeneratedText as readOpenAiText,
  type StreamEvent,
} from '../openai-format.js';
import { countOf, isRecord, parseJsonText, positiveInteger } from './json.js';
import { OPENAI_DIALECT, OPENAI_PATHS } from './vllm.js';

function modelsOf(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  return body.models.filter(isRecord);
}

function nameOf(entry: Record<string, unknown>): string | null {
  if (typeof entry.name === 'string') return entry.name;
  return typeof entry.model === 'string' ? entry.model : null;
}

/** `GET /api/tags`: the models that can be served; their context is known once loaded. */
export function readOllamaTags(body: unknown): ModelCard[] {
  const cards: ModelCard[] = [];
  for (const entry of modelsOf(body)) {
    const id = nameOf(entry);
    if (id !== null) cards.push({ id, maxContext: null });
  }
  return cards;
}

/** `GET /api/ps`: `context_length` of the loaded model (the first when none is named). */
export function readOllamaContext(body: unknown, model: string | null): number | null {
  const loaded = modelsOf(body);
  const entry = loaded.find((m) => model !== null && nameOf(m) === model) ?? loaded[0];
  return entry ? positiveInteger(entry.context_length) : null;
}

export function readOllamaText(body: unknown): string | null {
  if (isRecord(body) && typeof body.response === 'string') return body.response;
  return readOpenAiText(body);
}

export function readOllamaPromptTokens(body: unknown): number | null {
  if (isRecord(body) && countOf(body.prompt_eval_count) !== null) {
    return countOf(body.prompt_eval_count);
  }
  return readOpenAiPromptTokens(body);
}

/** One line of the NDJSON stream of `/api/generate`. */
export function readOllamaStreamData(line: string): StreamEvent {
  const body = parseJsonText(line.trim());
  if (!isRecord(body)) return { type: 'invalid', text: line.trim() };
  if (typeof body.error === 'string') return { type: 'error', message: body.error };
  const last = body.done === true;
  const reason = typeof body.done_reason === 'string' ? body.done_reason : 'stop';
  return {
    type: 'chunk',
    text: typeof body.response === 'string' ? body.response : '',
    finishReason: last ? reason : null,
    promptTokens: last ? countOf(body.prompt_eval_count) : null,
    last,
  };
}

function nativeBody(model: string | null, prompt: string, maxTokens: number, stream: boolean) {
  // num_ctx is not sent: the gate tests the context the deployment itself configured.
  return { model, prompt, stream, options: { num_predict: maxTokens, temperature: 0 } };
}

export const OLLAMA_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'ollama',
  label: 'Ollama',
  paths: {
    ...OPENAI_PATHS,
    health: '/',
    models: '/api/tags',
    context: '/api/ps',
    completions: '/api/generate',
    stream: '/api/generate',
    metrics: null,
  },
  completionBody: (model, prompt, maxTokens) => nativeBody(model, prompt, maxTokens, false),
  streamBody: (model, content, maxTokens) => nativeBody(model, content, maxTokens, true),
  streamFraming: 'ndjson',
  streamEnd: 'the final line with "done": true',
  readModelCards: readOllamaTags,
  readContext: readOllamaContext,
  readPromptTokens: readOllamaPromptTokens,
  readGeneratedText: readOllamaText,
  readStreamData: readOllamaStreamData,
  healthState: () => 'unhealthy',
  truncatesOverLimit: true,
};
