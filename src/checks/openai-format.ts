/**
 * Readers for the OpenAI-compatible bodies vLLM sends (and, mostly, SGLang and llama.cpp).
 * Pure and forgiving: a field that is missing or of the wrong type reads as null, never
 * as zero, so a check can say what it could not see.
 */
import { errorMessageOf } from './error-body.js';

export interface ModelCard {
  id: string;
  /** `max_model_len` of vLLM's model card; null when the server does not say. */
  maxContext: number | null;
}

/** What one data event of a stream means. */
export type StreamEvent =
  | { type: 'done' }
  | {
      type: 'chunk';
      /** Generated text in this chunk (content, or reasoning for reasoning models). */
      text: string;
      finishReason: string | null;
      promptTokens: number | null;
      /** The engine's own last event of a finished stream (TGI, llama.cpp, Ollama). */
      last?: boolean;
    }
  | { type: 'error'; message: string }
  | { type: 'invalid'; text: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function choicesOf(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body.choices)) return [];
  return body.choices.filter(isRecord);
}

/** `GET /v1/models`: `{"data":[{"id","max_model_len"}]}`. */
export function readModelCards(body: unknown): ModelCard[] {
  if (!isRecord(body) || !Array.isArray(body.data)) return [];
  const cards: ModelCard[] = [];
  for (const entry of body.data) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue;
    cards.push({ id: entry.id, maxContext: positiveInteger(entry.max_model_len) });
  }
  return cards;
}

/** `usage.prompt_tokens`: how many tokens the engine says it processed. */
export function readPromptTokens(body: unknown): number | null {
  if (!isRecord(body) || !isRecord(body.usage)) return null;
  const tokens = body.usage.prompt_tokens;
  return typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0 ? tokens : null;
}

/**
 * The generated text of a completion or chat completion, or null when the body has no
 * choice carrying text. Reasoning models may put everything in `reasoning_content`.
 */
export function readGeneratedText(body: unknown): string | null {
  const choice = choicesOf(body)[0];
  if (!choice) return null;
  if (typeof choice.text === 'string') return choice.text;

  const message = choice.message;
  if (!isRecord(message)) return null;
  if (typeof message.content === 'string') return message.content;
  for (const key of ['reasoning_content', 'reasoning']) {
    if (typeof message[key] === 'string') return message[key] as string;
  }
  return message.content === null ? '' : null;
}

function deltaText(choice: Record<string, unknown>): string {
  if (typeof choice.text === 'string') return choice.text;
  const delta = choice.delta;
  if (!isRecord(delta)) return '';
  let text = '';
  for (const key of ['content', 'reasoning_content', 'reasoning']) {
    if (typeof delta[key] === 'string') text += delta[key];
  }
  return text;
}

/**
 * One `data:` payload of an OpenAI-compatible stream. vLLM reports a failure after the
 * headers as `data: {"error":{...}}` inside a stream whose status is already 200.
 */
export function readStreamData(data: string): StreamEvent {
  const trimmed = data.trim();
  if (trimmed === '[DONE]') return { type: 'done' };

  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    return { type: 'invalid', text: trimmed };
  }
  if (isRecord(body) && body.error !== undefined && body.error !== null) {
    return { type: 'error', message: errorMessageOf(body) ?? JSON.stringify(body.error) };
  }
  if (!isRecord(body)) return { type: 'invalid', text: trimmed };

  let text = '';
  let finishReason: string | null = null;
  for (const choice of choicesOf(body)) {
    text += deltaText(choice);
    if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
  }
  return { type: 'chunk', text, finishReason, promptTokens: readPromptTokens(body) };
}
