import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendEmpty, sendJson, sendText } from '../../http-io.js';
import { sleep } from '../../sleep.js';
import { advertisedContext } from '../context.js';
import { serveGeneration, sseFrame, type Wire } from '../serve.js';
import type { FlavourContext } from '../types.js';
import {
  type Api,
  completionResponse,
  ENGINE_DEAD_MESSAGE,
  errorBody,
  internalError,
  METHOD_NOT_ALLOWED,
  modelList,
  NOT_FOUND,
  responseHead,
  streamChunk,
  UNAUTHORIZED,
  usage,
  usageChunk,
} from './bodies.js';
import { METRICS_CONTENT_TYPE, renderVllmMetrics } from './metrics.js';
import { parseGenerate, type VllmGenerate } from './requests.js';

type Route = (req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) => Promise<void>;

const ROUTES: Record<string, { method: 'GET' | 'POST'; route: Route }> = {
  '/health': { method: 'GET', route: health },
  '/version': { method: 'GET', route: version },
  '/metrics': { method: 'GET', route: metrics },
  '/v1/models': { method: 'GET', route: models },
  '/v1/completions': { method: 'POST', route: (q, s, c) => generate('completions', q, s, c) },
  '/v1/chat/completions': { method: 'POST', route: (q, s, c) => generate('chat', q, s, c) },
};

export async function handleVllm(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FlavourContext,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  const entry = ROUTES[path];
  if (!entry) return sendJson(res, 404, NOT_FOUND);
  if (req.method !== entry.method) return sendJson(res, 405, METHOD_NOT_ALLOWED);

  // vLLM's --api-key guards the /v1 routes only; health and metrics stay open.
  const key = ctx.scenario.apiKey;
  if (key && path.startsWith('/v1/') && req.headers.authorization !== `Bearer ${key}`) {
    return sendJson(res, 401, UNAUTHORIZED);
  }
  await entry.route(req, res, ctx);
}

async function health(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  let state = ctx.engine.health();
  // A long prefill holds the engine loop; the probe answers when it is over.
  while (state.status === 'busy' && !ctx.closing.aborted) {
    await sleep(state.waitMs, ctx.closing);
    state = ctx.engine.health();
  }
  sendEmpty(res, state.status === 'ok' || state.status === 'busy' ? 200 : 503);
}

async function version(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  sendJson(res, 200, { version: ctx.scenario.engineVersion });
}

async function metrics(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const text = renderVllmMetrics({
    model: ctx.scenario.model,
    running: ctx.engine.requestsRunning,
    waiting: 0,
    kvCacheUsage: ctx.engine.memory.kvCacheUsage(),
    counters: ctx.engine.counters,
  });
  sendText(res, 200, text, METRICS_CONTENT_TYPE);
}

async function models(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const maxModelLen = advertisedContext(ctx.scenario);
  sendJson(res, 200, modelList(ctx.scenario.model, maxModelLen, nowSeconds()));
}

async function generate(api: Api, req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 400;
    return sendJson(res, status, errorBody(status, 'BadRequestError', String(error)));
  }

  const parsed = parseGenerate(api, text, ctx.scenario);
  if (!parsed.ok) return sendJson(res, parsed.status, parsed.body);
  if (ctx.engine.isDead) return sendJson(res, 500, internalError(ENGINE_DEAD_MESSAGE));

  const request = parsed.request;
  const generate = {
    promptTokens: request.promptTokens,
    maxTokens: request.maxTokens,
    ignoreEos: request.ignoreEos,
    stream: request.stream,
  };
  await serveGeneration(ctx, res, generate, vllmWire(request));
}

/** vLLM's bytes: OpenAI bodies, SSE chunks ending in `[DONE]`, errors as 500 or an event. */
function vllmWire(request: VllmGenerate): Wire {
  const { api } = request;
  const head = responseHead(api, request.model, nowSeconds());
  return {
    answer: (done) =>
      completionResponse(
        api,
        head,
        done.text,
        done.finishReason,
        usage(done.promptTokens, done.generated),
      ),
    failure: (message) => ({ status: 500, body: internalError(message) }),
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
      // Headers went out with 200; vLLM reports the failure as an event, then ends.
      error: (message) => [sseFrame(internalError(message)), sseFrame('[DONE]')],
    },
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
