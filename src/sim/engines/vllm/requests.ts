import type { Scenario } from '../../scenario/schema.js';
import { countChatTokens, countWords, messageText } from '../../tokens.js';
import { servedContext } from '../context.js';
import {
  type Api,
  type ErrorBody,
  errorBody,
  invalidRequest,
  maxTokensTooLarge,
  modelNotFound,
  promptTooLong,
} from './bodies.js';

/**
 * Reads a completions or chat request the way vLLM validates it: JSON and fields first,
 * then the model name, then the context limit (prompt ≥ max_model_len, or prompt +
 * max_tokens > max_model_len). Pure: text in, request or vLLM error body out.
 */

export interface VllmGenerate {
  api: Api;
  model: string;
  promptTokens: number;
  /** What the engine may generate: the request's max_tokens, or what the context leaves. */
  maxTokens: number;
  stream: boolean;
  includeUsage: boolean;
  ignoreEos: boolean;
}

export type ParsedRequest =
  | { ok: true; request: VllmGenerate }
  | { ok: false; status: number; body: ErrorBody };

export function parseGenerate(api: Api, text: string, scenario: Scenario): ParsedRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(invalidRequest('json_invalid', '0', 'JSON decode error'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(invalidRequest('model_attributes_type', '0', 'Input should be a valid object'));
  }
  const fields = body as Record<string, unknown>;

  const promptTokens = api === 'chat' ? chatTokens(fields.messages) : promptTokensOf(fields.prompt);
  if (typeof promptTokens !== 'number') return fail(promptTokens);

  const model = fields.model ?? scenario.model;
  if (typeof model !== 'string') {
    return fail(invalidRequest('string_type', "'model'", 'Input should be a valid string'));
  }
  if (model !== scenario.model) return { ok: false, status: 404, body: modelNotFound(model) };

  const requested =
    api === 'chat' ? (fields.max_completion_tokens ?? fields.max_tokens) : fields.max_tokens;
  if (requested !== undefined && requested !== null && !isPositiveInt(requested)) {
    return fail(
      errorBody(400, 'BadRequestError', `max_tokens must be at least 1, got ${String(requested)}.`),
    );
  }

  // vLLM always refuses what does not fit; it never cuts a prompt on its own.
  const limit = servedContext(scenario);
  if (promptTokens >= limit) return fail(promptTooLong(limit, promptTokens));
  if (typeof requested === 'number' && promptTokens + requested > limit) {
    return fail(maxTokensTooLarge(limit, promptTokens, requested));
  }

  const streamOptions = fields.stream_options as { include_usage?: unknown } | undefined;
  return {
    ok: true,
    request: {
      api,
      model,
      promptTokens,
      maxTokens: typeof requested === 'number' ? requested : limit - promptTokens,
      stream: fields.stream === true,
      includeUsage: streamOptions?.include_usage === true,
      ignoreEos: fields.ignore_eos === true,
    },
  };
}

function chatTokens(messages: unknown): number | ErrorBody {
  if (!Array.isArray(messages)) {
    return messages === undefined
      ? invalidRequest('missing', "'messages'", 'Field required')
      : invalidRequest('list_type', "'messages'", 'Input should be a valid list');
  }
  const contents: string[] = [];
  for (const message of messages) {
    const text =
      typeof message === 'object' && message !== null
        ? messageText((message as { content?: unknown }).content)
        : null;
    if (text === null) {
      return invalidRequest('model_type', "'messages'", 'Input should be a valid message');
    }
    contents.push(text);
  }
  return countChatTokens(contents);
}

function promptTokensOf(prompt: unknown): number | ErrorBody {
  if (typeof prompt === 'string') return countWords(prompt);
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') {
    return countWords(prompt[0]);
  }
  if (Array.isArray(prompt) && prompt.every((t) => Number.isInteger(t))) return prompt.length;
  if (prompt === undefined) return invalidRequest('missing', "'prompt'", 'Field required');
  // Known shortcoming: vLLM answers a batch of prompts with one choice each; the simulator
  // refuses it, so a check that batches prompts sees a 400 here and not on a real server.
  return errorBody(400, 'BadRequestError', 'the simulator takes one prompt per request');
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function fail(body: ErrorBody): ParsedRequest {
  return { ok: false, status: body.error.code, body };
}
