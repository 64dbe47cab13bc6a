import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningRequest } from '../../engine.js';
import { generationEvents } from '../../generation.js';
import {
  BodyError,
  ended,
  readBody,
  sendEmpty,
  sendJson,
  sendText,
  startEventStream,
  writeEvent,
} from '../../http-io.js';
import { sleep } from '../../sleep.js';
import { advertisedContext } from '../context.js';
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
  const running = ctx.engine.start({
    promptTokens: request.promptTokens,
    maxTokens: request.maxTokens,
    ignoreEos: request.ignoreEos,
    stream: request.stream,
  });

  const stop = new AbortController();
  const onClosing = () => stop.abort();
  ctx.closing.addEventListener('abort', onClosing, { once: true });
  res.once('close', () => {
    if (!res.writableFinished) stop.abort();
  });

  let outcome = { generated: 0, failed: true };
  try {
    outcome = request.stream
      ? await stream(request, running, res, ctx, stop.signal)
      : await plain(request, running, res, ctx, stop.signal);
  } finally {
    ctx.closing.removeEventListener('abort', onClosing);
    if (!res.headersSent) res.destroy();
    else if (!res.writableEnded) res.end();
    await ended(res);
    ctx.engine.finish(running, outcome.generated, outcome.failed);
  }
}

interface Outcome {
  generated: number;
  failed: boolean;
}

async function plain(
  request: VllmGenerate,
  running: RunningRequest,
  res: ServerResponse,
  ctx: FlavourContext,
  signal: AbortSignal,
): Promise<Outcome> {
  const pieces: string[] = [];
  for await (const event of generationEvents(running, { streaming: false, signal })) {
    if (event.kind === 'token') pieces.push(event.text);
    else if (event.kind === 'error') {
      ctx.log(`ERROR: ${firstLine(event.message)}`);
      sendJson(res, 500, internalError(event.message));
      return { generated: pieces.length, failed: true };
    } else {
      const head = responseHead(request.api, request.model, nowSeconds());
      const counts = usage(request.promptTokens, pieces.length);
      sendJson(
        res,
        200,
        completionResponse(request.api, head, pieces.join(''), event.finishReason, counts),
      );
      return { generated: pieces.length, failed: false };
    }
  }
  return { generated: pieces.length, failed: true };
}

async function stream(
  request: VllmGenerate,
  running: RunningRequest,
  res: ServerResponse,
  ctx: FlavourContext,
  signal: AbortSignal,
): Promise<Outcome> {
  const { api } = request;
  const head = responseHead(api, request.model, nowSeconds());
  const send = (body: unknown) => writeEvent(res, JSON.stringify(body));
  let generated = 0;

  startEventStream(res);
  if (api === 'chat') send(streamChunk(api, head, '', null, true));

  for await (const event of generationEvents(running, { streaming: true, signal })) {
    if (event.kind === 'token') {
      generated++;
      send(streamChunk(api, head, event.text, null));
    } else if (event.kind === 'error') {
      // Headers went out with 200; vLLM reports the failure as an event, then ends.
      ctx.log(`ERROR: ${firstLine(event.message)}`);
      send(internalError(event.message));
      writeEvent(res, '[DONE]');
      res.end();
      return { generated, failed: true };
    } else {
      send(streamChunk(api, head, '', event.finishReason));
      if (request.includeUsage) send(usageChunk(api, head, usage(request.promptTokens, generated)));
      writeEvent(res, '[DONE]');
      res.end();
      return { generated, failed: false };
    }
  }
  return { generated, failed: true };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
