import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendJson, sendText } from '../../http-io.js';
import { servedContext } from '../context.js';
import { fitContext, type OpenAiDialect, openAiRoutes, type RouteTable } from '../openai-compat.js';
import { isPositiveInt, promptTokensOf } from '../openai-request.js';
import { healthNow, serveGeneration, sseFrame, type Wire } from '../serve.js';
import { ggmlOomLines } from '../startup-lines.js';
import type { EngineFlavour, FlavourContext } from '../types.js';
import {
  LOADING,
  llamaCompletion,
  llamaError,
  llamaModelList,
  llamaOverLimit,
  llamaProps,
  llamaServerError,
  llamaStreamToken,
} from './bodies.js';

/**
 * llama.cpp's `llama-server`. It binds its port before the model is loaded and answers 503
 * "Loading model" until then; `/completion` is its native route beside the OpenAI ones. An
 * error inside a stream goes out as an `error:` line, not a `data:` event.
 */

const DIALECT: OpenAiDialect = {
  error: (status, message) =>
    llamaError(status, message, status === 404 ? 'not_found_error' : 'invalid_request_error'),
  overLimit: llamaOverLimit,
  failure: (message) => ({ status: 500, body: llamaServerError(message) }),
  streamError: (message) => [sseFrame(llamaServerError(message).error, 'error')],
  overflow: 'refuse',
  checksModel: false,
};

const ROUTES: RouteTable = {
  '/health': { method: 'GET', route: health },
  '/v1/health': { method: 'GET', route: health },
  '/props': { method: 'GET', route: async (_q, s, c) => sendJson(s, 200, llamaProps(c.scenario)) },
  '/v1/models': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, llamaModelList(c.scenario, nowS())),
  },
  '/metrics': { method: 'GET', route: metrics },
  '/completion': { method: 'POST', route: completion },
  ...openAiRoutes(DIALECT),
};

async function handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  const entry = ROUTES[path];
  if (!entry) return sendJson(res, 404, llamaError(404, 'File Not Found', 'not_found_error'));
  if (req.method !== entry.method) {
    return sendJson(res, 405, llamaError(405, 'Method Not Allowed', 'invalid_request_error'));
  }
  // every route waits for the model, health included
  if (ctx.isLoading()) return sendJson(res, 503, LOADING);
  const key = ctx.scenario.apiKey;
  if (key && !path.endsWith('/health') && req.headers.authorization !== `Bearer ${key}`) {
    return sendJson(res, 401, llamaError(401, 'Invalid API Key', 'authentication_error'));
  }
  await entry.route(req, res, ctx);
}

async function health(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const state = await healthNow(ctx, 'wait');
  if (state === 'ok') return sendJson(res, 200, { status: 'ok' });
  sendJson(res, 500, llamaServerError('the server is not healthy'));
}

async function metrics(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const { counters } = ctx.engine;
  const lines = [
    '# TYPE llamacpp:prompt_tokens_total counter',
    `llamacpp:prompt_tokens_total ${counters.promptTokens}`,
    '# TYPE llamacpp:requests_processing gauge',
    `llamacpp:requests_processing ${ctx.engine.requestsRunning}`,
    '# TYPE llamacpp:requests_deferred gauge',
    'llamacpp:requests_deferred 0',
  ];
  sendText(res, 200, `${lines.join('\n')}\n`, 'text/plain; version=0.0.4');
}

/** `POST /completion`: `{"prompt", "n_predict", "stream"}`. */
async function completion(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  let body: { prompt?: unknown; n_predict?: unknown; stream?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 400;
    return sendJson(res, status, llamaError(status, 'Invalid JSON', 'invalid_request_error'));
  }
  const promptTokens = promptTokensOf(body?.prompt);
  if (promptTokens === null) {
    return sendJson(
      res,
      400,
      llamaError(400, '"prompt" must be provided', 'invalid_request_error'),
    );
  }
  const maxTokens = isPositiveInt(body.n_predict) ? body.n_predict : null;
  if (ctx.engine.isDead) return sendJson(res, 500, llamaServerError('the slot has failed'));

  const fitted = fitContext(promptTokens, maxTokens, ctx, 'refuse');
  if (fitted === 'refused') {
    const refusal = llamaOverLimit(promptTokens, maxTokens, servedContext(ctx.scenario));
    return sendJson(res, refusal.status, refusal.body);
  }
  const truncated = fitted.promptTokens < promptTokens;
  const model = ctx.scenario.model;
  const wire: Wire = {
    answer: (done) => llamaCompletion(done, truncated, model),
    failure: DIALECT.failure,
    stream: {
      contentType: 'text/event-stream',
      token: (text) => sseFrame(llamaStreamToken(text)),
      end: (done) => [sseFrame(llamaCompletion({ ...done, text: '' }, truncated, model))],
      error: DIALECT.streamError,
    },
  };
  await serveGeneration(
    ctx,
    res,
    { ...fitted, ignoreEos: false, stream: body.stream === true },
    wire,
  );
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

export const llamacppFlavour: EngineFlavour = {
  id: 'llamacpp',
  processName: () => '/app/llama-server',
  handle,
  bindsBeforeLoad: true,
  startupErrorLines: (_error, scenario) => ggmlOomLines(scenario),
};
