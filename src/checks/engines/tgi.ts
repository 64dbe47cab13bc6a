/**
 * Hugging Face TGI. `/info` carries `max_total_tokens` (the `--max-total-tokens` the config
 * sets) and `max_input_tokens`; an over-limit prompt is refused with 422 and
 * `{"error":"Input validation error: …","error_type":"validation"}`; a failed generation is
 * 424 `error_type: generation`. Its native stream (`/generate_stream`) has no `[DONE]`: the
 * last event is the one whose `generated_text` is set, and an error is an event of its own.
 */
import type { EngineProfile } from '../engine-profile.js';
import { errorMessageOf } from '../error-body.js';
import {
  type ModelCard,
  readGeneratedText as readOpenAiText,
  type StreamEvent,
} from '../openai-format.js';
import { isRecord, parseJsonText, positiveInteger } from './json.js';
import { OPENAI_DIALECT, OPENAI_PATHS, openAiChatBody } from './vllm.js';

/** `GET /info`: one model, its id and its total token budget per request. */
export function readTgiInfo(body: unknown): ModelCard[] {
  if (!isRecord(body) || typeof body.model_id !== 'string') return [];
  return [{ id: body.model_id, maxContext: positiveInteger(body.max_total_tokens) }];
}

/** One `data:` payload of `/generate_stream`. */
export function readTgiStreamData(data: string): StreamEvent {
  const body = parseJsonText(data.trim());
  if (!isRecord(body)) return { type: 'invalid', text: data.trim() };
  if (typeof body.error === 'string') return { type: 'error', message: body.error };

  const token = isRecord(body.token) ? body.token : null;
  // special tokens (end of sequence) carry no text a person would read
  const text = token && token.special !== true && typeof token.text === 'string' ? token.text : '';
  const last = typeof body.generated_text === 'string';
  const details = isRecord(body.details) ? body.details : null;
  const finishReason = typeof details?.finish_reason === 'string' ? details.finish_reason : null;
  return {
    type: 'chunk',
    text,
    finishReason: last ? (finishReason ?? 'stop') : null,
    promptTokens: positiveInteger(details?.input_length),
    last,
  };
}

/** `/generate` answers `{"generated_text":…}`; the OpenAI routes answer with choices. */
export function readTgiText(body: unknown): string | null {
  if (isRecord(body) && typeof body.generated_text === 'string') return body.generated_text;
  return readOpenAiText(body);
}

export const TGI_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'tgi',
  label: 'TGI',
  paths: { ...OPENAI_PATHS, models: '/info', stream: '/generate_stream' },
  // TGI reads the OpenAI `model` field as a LoRA adapter id, so it is never sent.
  completionBody: (_model, prompt, maxTokens) => ({
    prompt,
    max_tokens: maxTokens,
    temperature: 0,
  }),
  chatBody: (_model, content, maxTokens, stream) =>
    openAiChatBody(null, content, maxTokens, stream),
  // temperature 0 is refused by the native route; greedy decoding is `do_sample: false`
  streamBody: (_model, content, maxTokens) => ({
    inputs: content,
    parameters: { max_new_tokens: maxTokens, do_sample: false, details: true },
  }),
  streamEnd: 'the final event with generated_text',
  readModelCards: readTgiInfo,
  readGeneratedText: readTgiText,
  readStreamData: readTgiStreamData,
  readErrorMessage: errorMessageOf,
  healthState: () => 'unhealthy',
  overLimitStatuses: [422],
};
