import { countChatTokens, countWords, messageText } from '../tokens.js';

/**
 * An OpenAI-compatible completions or chat request as the non-vLLM flavours read it: only
 * what the simulation needs, with one line for what is wrong. Pure: text in, request out.
 */

export type Api = 'completions' | 'chat';

export interface OpenAiRequest {
  api: Api;
  model: string | null;
  promptTokens: number;
  /** The request's max_tokens; null when it set none. */
  maxTokens: number | null;
  stream: boolean;
  includeUsage: boolean;
  ignoreEos: boolean;
}

export function readOpenAiRequest(api: Api, text: string): OpenAiRequest | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: 'the request body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: 'the request body is not a JSON object' };
  }
  const fields = body as Record<string, unknown>;

  const promptTokens = api === 'chat' ? chatTokens(fields.messages) : promptTokensOf(fields.prompt);
  if (promptTokens === null) {
    return {
      problem:
        api === 'chat'
          ? 'messages: a list of messages is required'
          : 'prompt: a string is required',
    };
  }
  const requested = fields.max_completion_tokens ?? fields.max_tokens;
  if (requested !== undefined && requested !== null && !isPositiveInt(requested)) {
    return { problem: `max_tokens must be a positive integer, got ${String(requested)}` };
  }
  const options = fields.stream_options as { include_usage?: unknown } | undefined;
  return {
    api,
    model: typeof fields.model === 'string' ? fields.model : null,
    promptTokens,
    maxTokens: typeof requested === 'number' ? requested : null,
    stream: fields.stream === true,
    includeUsage: options?.include_usage === true,
    ignoreEos: fields.ignore_eos === true,
  };
}

export function chatTokens(messages: unknown): number | null {
  if (!Array.isArray(messages)) return null;
  const contents: string[] = [];
  for (const message of messages) {
    const content =
      typeof message === 'object' && message !== null
        ? messageText((message as { content?: unknown }).content)
        : null;
    if (content === null) return null;
    contents.push(content);
  }
  return countChatTokens(contents);
}

export function promptTokensOf(prompt: unknown): number | null {
  if (typeof prompt === 'string') return countWords(prompt);
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') {
    return countWords(prompt[0]);
  }
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((t) => Number.isInteger(t))) {
    return prompt.length;
  }
  return null;
}

export function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
