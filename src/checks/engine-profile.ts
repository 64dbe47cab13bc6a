/**
 * Everything the checks know about one engine's dialect, kept in one small object so that
 * other engines (issue 7: SGLang, TGI, llama.cpp, Ollama) are a new profile, not new checks.
 */
import { errorMessageOf, summarizeErrorBody } from './error-body.js';
import {
  type ModelCard,
  readGeneratedText,
  readModelCards,
  readPromptTokens,
  readStreamData,
  type StreamEvent,
} from './openai-format.js';

export interface EngineProfile {
  name: string;
  paths: { health: string; models: string; completions: string; chat: string };
  completionBody(model: string | null, prompt: string, maxTokens: number): unknown;
  chatBody(model: string | null, content: string, maxTokens: number, stream: boolean): unknown;
  readModelCards(body: unknown): ModelCard[];
  /** Tokens the engine says it processed for the prompt; null when it does not say. */
  readPromptTokens(body: unknown): number | null;
  readGeneratedText(body: unknown): string | null;
  readStreamData(data: string): StreamEvent;
  /** The message of an error body; null when the body is not one of the engine's errors. */
  readErrorMessage(json: unknown): string | null;
  summarizeError(json: unknown, text: string): string;
  /** Statuses with which the engine refuses a prompt above its max context. */
  overLimitStatuses: readonly number[];
  /** Whether a finished stream ends with `data: [DONE]`. */
  streamEndsWithDone: boolean;
}

function withModel(model: string | null, body: Record<string, unknown>): unknown {
  return model === null ? body : { model, ...body };
}

export const VLLM_PROFILE: EngineProfile = {
  name: 'vllm',
  paths: {
    health: '/health',
    models: '/v1/models',
    completions: '/v1/completions',
    chat: '/v1/chat/completions',
  },
  // temperature 0: the same answer each time, so a retry sees the same behaviour
  completionBody: (model, prompt, maxTokens) =>
    withModel(model, { prompt, max_tokens: maxTokens, temperature: 0 }),
  chatBody: (model, content, maxTokens, stream) =>
    withModel(model, {
      messages: [{ role: 'user', content }],
      max_tokens: maxTokens,
      temperature: 0,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  readModelCards,
  readPromptTokens,
  readGeneratedText,
  readStreamData,
  readErrorMessage: errorMessageOf,
  summarizeError: summarizeErrorBody,
  overLimitStatuses: [400],
  streamEndsWithDone: true,
};
