/**
 * vLLM's OpenAI-compatible server: `/v1/models` carries `max_model_len`, an over-limit
 * prompt is refused with 400, a stream ends with `data: [DONE]` and an error after the
 * headers arrives as `data: {"error":…}`. `/health` is 200 with an empty body, or 503 once
 * the engine core has died (EngineDeadError); before the model is loaded the port refuses
 * connections, so there is no "loading" answer to read.
 */
import type { EngineProfile } from '../engine-profile.js';
import { errorMessageOf, summarizeErrorBody } from '../error-body.js';
import {
  readGeneratedText,
  readModelCards,
  readPromptTokens,
  readStreamData,
} from '../openai-format.js';
import { withModel } from './json.js';

export const OPENAI_PATHS = {
  health: '/health',
  models: '/v1/models',
  context: null,
  completions: '/v1/completions',
  chat: '/v1/chat/completions',
  stream: '/v1/chat/completions',
  metrics: '/metrics',
} as const;

/** Chat body of every OpenAI-compatible server; a stream asks for its usage. */
export function openAiChatBody(
  model: string | null,
  content: string,
  maxTokens: number,
  stream: boolean,
): unknown {
  return withModel(model, {
    messages: [{ role: 'user', content }],
    max_tokens: maxTokens,
    temperature: 0,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** The parts every OpenAI-compatible profile shares; each engine overrides what differs. */
export const OPENAI_DIALECT = {
  // temperature 0: the same answer each time, so a retry sees the same behaviour
  completionBody: (model: string | null, prompt: string, maxTokens: number) =>
    withModel(model, { prompt, max_tokens: maxTokens, temperature: 0 }),
  chatBody: openAiChatBody,
  streamBody: (model: string | null, content: string, maxTokens: number) =>
    openAiChatBody(model, content, maxTokens, true),
  streamFraming: 'sse',
  streamEnd: '[DONE]',
  readModelCards,
  readContext: () => null,
  readPromptTokens,
  readTruncated: () => null,
  readGeneratedText,
  readStreamData,
  readErrorMessage: errorMessageOf,
  summarizeError: summarizeErrorBody,
  overLimitStatuses: [400],
  truncatesOverLimit: false,
} as const satisfies Partial<EngineProfile>;

export const VLLM_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'vllm',
  label: 'vLLM',
  paths: { ...OPENAI_PATHS },
  // 503 comes only from a dead engine core: a loading vLLM does not answer at all.
  healthState: (status) => (status === 503 ? 'dead' : 'unhealthy'),
};
