import { randomUUID } from 'node:crypto';

/**
 * vLLM's response and error bodies as its OpenAI-compatible server writes them
 * (`ErrorResponse{error:{message,type,param,code}}`, `ModelCard`, completion and chat
 * shapes, stream chunks). Pure functions of their inputs; see shared/reference/engines.md.
 */

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: number };
}

export function errorBody(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
): ErrorBody {
  return { error: { message, type, param, code: status } };
}

/** `VLLMValidationError.__str__` appends what was rejected to its message. */
function validation(message: string, parameter: string, value: number): string {
  return `${message} (parameter=${parameter}, value=${value})`;
}

/** The prompt alone reaches the limit (vLLM refuses `prompt_tokens >= max_model_len`). */
export function promptTooLong(maxModelLen: number, promptTokens: number): ErrorBody {
  const message =
    `This model's maximum context length is ${maxModelLen} tokens. However, your request ` +
    `has ${promptTokens} input tokens. Please reduce the length of the input messages.`;
  return errorBody(
    400,
    'BadRequestError',
    validation(message, 'input_tokens', promptTokens),
    'input_tokens',
  );
}

/** The prompt fits but the prompt plus `max_tokens` does not. */
export function maxTokensTooLarge(
  maxModelLen: number,
  promptTokens: number,
  maxTokens: number,
): ErrorBody {
  const message =
    `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's ` +
    `maximum context length is ${maxModelLen} tokens and your request has ${promptTokens} ` +
    `input tokens (${maxTokens} > ${maxModelLen} - ${promptTokens}).`;
  return errorBody(
    400,
    'BadRequestError',
    validation(message, 'max_tokens', maxTokens),
    'max_tokens',
  );
}

export function modelNotFound(model: string): ErrorBody {
  return errorBody(404, 'NotFoundError', `The model \`${model}\` does not exist.`, 'model');
}

/** A request body that is not valid JSON or misses a field, in pydantic's words. */
export function invalidRequest(kind: string, location: string, msg: string): ErrorBody {
  const detail = `[{'type': '${kind}', 'loc': ('body', ${location}), 'msg': '${msg}'}]`;
  return errorBody(400, 'BadRequestError', detail);
}

export function internalError(message: string): ErrorBody {
  return errorBody(500, 'InternalServerError', message);
}

/** What vLLM answers once its engine core has died. */
export const ENGINE_DEAD_MESSAGE =
  'EngineCore encountered an issue. See stack trace (above) for the root cause.';

/** vLLM's API-key middleware answers this, not the usual error shape. */
export const UNAUTHORIZED = { error: 'Unauthorized' } as const;

/** FastAPI's answer for an unknown path or a wrong method. */
export const NOT_FOUND = { detail: 'Not Found' } as const;
export const METHOD_NOT_ALLOWED = { detail: 'Method Not Allowed' } as const;

export function modelList(model: string, maxModelLen: number, createdS: number) {
  return {
    object: 'list',
    data: [
      {
        id: model,
        object: 'model',
        created: createdS,
        owned_by: 'vllm',
        root: model,
        parent: null,
        max_model_len: maxModelLen,
        permission: [
          {
            id: `modelperm-${hexId()}`,
            object: 'model_permission',
            created: createdS,
            allow_create_engine: false,
            allow_sampling: true,
            allow_logprobs: true,
            allow_search_indices: false,
            allow_view: true,
            allow_fine_tuning: false,
            organization: '*',
            group: null,
            is_blocking: false,
          },
        ],
      },
    ],
  };
}

export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
  prompt_tokens_details: null;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens,
    prompt_tokens_details: null,
  };
}

export type Api = 'completions' | 'chat';

/** Identity shared by every chunk of one response. */
export interface ResponseHead {
  id: string;
  created: number;
  model: string;
}

export function responseHead(api: Api, model: string, createdS: number): ResponseHead {
  return { id: `${api === 'chat' ? 'chatcmpl' : 'cmpl'}-${hexId()}`, created: createdS, model };
}

export function completionResponse(
  api: Api,
  head: ResponseHead,
  text: string,
  finishReason: string,
  counts: Usage,
) {
  if (api === 'completions') {
    return {
      ...withHead(head, 'text_completion'),
      choices: [
        {
          index: 0,
          text,
          logprobs: null,
          finish_reason: finishReason,
          stop_reason: null,
          prompt_logprobs: null,
        },
      ],
      usage: counts,
    };
  }
  return {
    ...withHead(head, 'chat.completion'),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, reasoning_content: null, tool_calls: [] },
        logprobs: null,
        finish_reason: finishReason,
        stop_reason: null,
      },
    ],
    usage: counts,
    prompt_logprobs: null,
  };
}

/** One stream chunk carrying `text` (chat: the first one also carries the role). */
export function streamChunk(
  api: Api,
  head: ResponseHead,
  text: string,
  finishReason: string | null,
  first = false,
) {
  if (api === 'completions') {
    return {
      ...withHead(head, 'text_completion'),
      choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null }],
    };
  }
  const delta = first ? { role: 'assistant', content: text } : { content: text };
  return {
    ...withHead(head, 'chat.completion.chunk'),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The last chunk when `stream_options.include_usage` is set: no choices, only usage. */
export function usageChunk(api: Api, head: ResponseHead, counts: Usage) {
  const object = api === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return { ...withHead(head, object), choices: [], usage: counts };
}

/** vLLM's field order: id, object, created, model. */
function withHead(head: ResponseHead, object: string) {
  return { id: head.id, object, created: head.created, model: head.model };
}

function hexId(): string {
  return randomUUID().replaceAll('-', '');
}
