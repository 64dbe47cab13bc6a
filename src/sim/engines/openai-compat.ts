import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendJson } from '../http-io.js';
import { overflowOf, servedContext } from './context.js';
import { type Api, type OpenAiRequest, readOpenAiRequest } from './openai-request.js';
import { serveGeneration, sseFrame, type Wire } from './serve.js';
import type { FlavourContext } from './types.js';
import { completionResponse, responseHead, streamChunk, usage, usageChunk } from './vllm/bodies.js';

/**
 * The OpenAI-compatible routes (`/v1/completions`, `/v1/chat/completions`) of the engines
 * other than vLLM. Success bodies and chunks have the OpenAI shape every engine copies;
 * what differs (error bodies, the over-limit refusal, the in-stream error) is the
 * flavour's dialect.
 */
export interface OpenAiDialect {
  /** An error body for a request the engine rejects before generating. */
  error(status: number, message: string): unknown;
  /** The refusal of a prompt (plus max_tokens) above `limit`. */
  overLimit(
    promptTokens: number,
    maxTokens: number | null,
    limit: number,
  ): {
    status: number;
    body: unknown;
  };
  /** A generation that failed before any byte was sent. */
  failure(message: string): { status: number; body: unknown };
  /** The frames of an error after a stream began with 200. */
  streamError(message: string): string[];
  /** What the engine does with an over-long prompt, when the scenario does not say. */
  overflow: 'refuse' | 'truncate';
  /** False for engines that ignore the request's `model` (TGI, llama.cpp). */
  checksModel: boolean;
}

export async function openAiGenerate(
  api: Api,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FlavourContext,
  dialect: OpenAiDialect,
): Promise<void> {
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 400;
    return sendJson(res, status, dialect.error(status, String(error)));
  }
  const request = readOpenAiRequest(api, text);
  if ('problem' in request) return sendJson(res, 400, dialect.error(400, request.problem));

  const { scenario } = ctx;
  if (dialect.checksModel && request.model !== null && request.model !== scenario.model) {
    const message = `The model \`${request.model}\` does not exist.`;
    return sendJson(res, 404, dialect.error(404, message));
  }
  if (ctx.engine.isDead) {
    const failed = dialect.failure('the engine process has died');
    return sendJson(res, failed.status, failed.body);
  }

  const fitted = fitContext(request.promptTokens, request.maxTokens, ctx, dialect.overflow);
  if (fitted === 'refused') {
    const refusal = dialect.overLimit(
      request.promptTokens,
      request.maxTokens,
      servedContext(scenario),
    );
    return sendJson(res, refusal.status, refusal.body);
  }
  await serveGeneration(
    ctx,
    res,
    {
      promptTokens: fitted.promptTokens,
      maxTokens: fitted.maxTokens,
      ignoreEos: request.ignoreEos,
      stream: request.stream,
    },
    openAiWire(request, scenario.model, dialect),
  );
}

/**
 * The prompt the engine will process: as sent when it fits, refused, or cut to the context
 * (the log line is Ollama's own, from its runner).
 */
export function fitContext(
  promptTokens: number,
  maxTokens: number | null,
  ctx: FlavourContext,
  own: 'refuse' | 'truncate',
): { promptTokens: number; maxTokens: number } | 'refused' {
  const limit = servedContext(ctx.scenario);
  const fits = promptTokens < limit && (maxTokens === null || promptTokens + maxTokens <= limit);
  if (fits) return { promptTokens, maxTokens: maxTokens ?? limit - promptTokens };
  if (overflowOf(ctx.scenario, own) === 'refuse') return 'refused';

  const kept = Math.min(promptTokens, limit);
  if (kept < promptTokens) {
    ctx.log(
      `level=WARN source=runner.go msg="truncating input prompt" limit=${limit} ` +
        `prompt=${promptTokens} keep=5 new=${kept}`,
    );
  }
  return { promptTokens: kept, maxTokens: Math.max(1, maxTokens ?? limit - kept) };
}

function openAiWire(request: OpenAiRequest, model: string, dialect: OpenAiDialect): Wire {
  const { api } = request;
  const head = responseHead(api, request.model ?? model, Math.floor(Date.now() / 1000));
  return {
    answer: (done) =>
      completionResponse(
        api,
        head,
        done.text,
        done.finishReason,
        usage(done.promptTokens, done.generated),
      ),
    failure: dialect.failure,
    stream: {
      contentType: 'text/event-stream; charset=utf-8',
      start: () => (api === 'chat' ? [sseFrame(streamChunk(api, head, '', null, true))] : []),
      token: (text) => sseFrame(streamChunk(api, head, text, null)),
      end: (done) => [
        sseFrame(streamChunk(api, head, '', done.finishReason)),
        ...(request.includeUsage
          ? [sseFrame(usageChunk(api, head, usage(done.promptTokens, done.generated)))]
          : []),
        sseFrame('[DONE]'),
      ],
      error: dialect.streamError,
    },
  };
}

/** One route of a flavour's server: the simulated engine answers it in its own words. */
export type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FlavourContext,
) => Promise<void>;

export type RouteTable = Record<string, { method: 'GET' | 'POST'; route: Route }>;

/** The OpenAI-compatible routes every engine but Ollama serves beside its own. */
export function openAiRoutes(dialect: OpenAiDialect): RouteTable {
  return {
    '/v1/completions': {
      method: 'POST',
      route: (q, s, c) => openAiGenerate('completions', q, s, c, dialect),
    },
    '/v1/chat/completions': {
      method: 'POST',
      route: (q, s, c) => openAiGenerate('chat', q, s, c, dialect),
    },
  };
}
