/**
 * llama.cpp's `llama-server`. `/health` answers 503 with "Loading model" until the weights
 * are in, then `{"status":"ok"}`. `/props` holds the context of one slot
 * (`default_generation_settings.n_ctx`): `--ctx-size` is shared among `--parallel` slots,
 * so `-c 12288 -np 2` serves 6144 per request. The native `/completion` reports
 * `tokens_evaluated` and, on builds that cut an over-long prompt, `truncated: true`; newer
 * builds refuse it with 400 `exceed_context_size_error`. Its stream ends with an event
 * whose `stop` is true, and an error inside a stream is written as a non-standard
 * `error: {…}` line rather than a `data:` event.
 */
import { formatCount } from '../describe.js';
import type { EngineProfile } from '../engine-profile.js';
import {
  readPromptTokens as readOpenAiPromptTokens,
  readGeneratedText as readOpenAiText,
  type StreamEvent,
} from '../openai-format.js';
import { countOf, isRecord, parseJsonText, positiveInteger } from './json.js';
import { OPENAI_DIALECT, OPENAI_PATHS } from './vllm.js';

/** `GET /props`: the context of one slot, where the build puts it. */
export function readLlamaCppContext(body: unknown): number | null {
  if (!isRecord(body)) return null;
  const settings = isRecord(body.default_generation_settings)
    ? body.default_generation_settings
    : null;
  return positiveInteger(settings?.n_ctx) ?? positiveInteger(body.n_ctx);
}

export function readLlamaCppText(body: unknown): string | null {
  if (isRecord(body) && typeof body.content === 'string') return body.content;
  return readOpenAiText(body);
}

export function readLlamaCppPromptTokens(body: unknown): number | null {
  if (isRecord(body) && countOf(body.tokens_evaluated) !== null) {
    return countOf(body.tokens_evaluated);
  }
  return readOpenAiPromptTokens(body);
}

export function readLlamaCppTruncated(body: unknown): boolean | null {
  return isRecord(body) && typeof body.truncated === 'boolean' ? body.truncated : null;
}

/** One `data:` payload of the native `/completion` stream. */
export function readLlamaCppStreamData(data: string): StreamEvent {
  const body = parseJsonText(data.trim());
  if (!isRecord(body)) return { type: 'invalid', text: data.trim() };
  if (isRecord(body.error)) {
    const message = typeof body.error.message === 'string' ? body.error.message : 'error';
    return { type: 'error', message };
  }
  const last = body.stop === true;
  const stopType = typeof body.stop_type === 'string' ? body.stop_type : 'stop';
  return {
    type: 'chunk',
    text: typeof body.content === 'string' ? body.content : '',
    finishReason: last ? stopType : null,
    promptTokens: last ? countOf(body.tokens_evaluated) : null,
    last,
  };
}

export const LLAMACPP_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'llamacpp',
  label: 'llama.cpp server',
  paths: { ...OPENAI_PATHS, context: '/props', completions: '/completion', stream: '/completion' },
  completionBody: (_model, prompt, maxTokens) => ({ prompt, n_predict: maxTokens, temperature: 0 }),
  streamBody: (_model, content, maxTokens) => ({
    prompt: content,
    n_predict: maxTokens,
    temperature: 0,
    stream: true,
  }),
  streamEnd: 'the final event with "stop": true',
  readContext: readLlamaCppContext,
  readPromptTokens: readLlamaCppPromptTokens,
  readTruncated: readLlamaCppTruncated,
  readGeneratedText: readLlamaCppText,
  readStreamData: readLlamaCppStreamData,
  healthState: (status, json) => {
    const error = isRecord(json) && isRecord(json.error) ? json.error : null;
    if (status === 503 && /loading/i.test(String(error?.message ?? ''))) return 'loading';
    return 'unhealthy';
  },
  contextNote: (advertised, configured, parallel) => {
    if (advertised >= configured || configured % advertised !== 0) return null;
    const slots = configured / advertised;
    const given = parallel === slots ? `--parallel ${slots}` : `${slots} slots`;
    return (
      `llama.cpp shares --ctx-size among its slots: ${formatCount(configured)} / ${given} = ` +
      `${formatCount(advertised)} tokens per request`
    );
  },
};
