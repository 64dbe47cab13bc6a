import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendJson, sendText } from '../../http-io.js';
import { servedContext } from '../context.js';
import {
  fitContext,
  type OpenAiDialect,
  openAiGenerate,
  type RouteTable,
} from '../openai-compat.js';
import { isPositiveInt, promptTokensOf } from '../openai-request.js';
import { healthNow, ndjsonFrame, serveGeneration, sseFrame, type Wire } from '../serve.js';
import { ggmlOomLines } from '../startup-lines.js';
import type { EngineFlavour, FlavourContext } from '../types.js';
import {
  ollamaError,
  ollamaGenerated,
  ollamaModelList,
  ollamaOpenAiError,
  ollamaPs,
  ollamaStreamToken,
  ollamaTags,
  ollamaWrongModel,
} from './bodies.js';

/**
 * Ollama's server. Models load on first use; a prompt beyond `num_ctx` (the scenario's
 * context) is cut from the front and answered 200 (ollama/ollama#3839). `GET /` is the
 * health route people probe.
 */

const DIALECT: OpenAiDialect = {
  error: (_status, message) => ollamaOpenAiError(message),
  overLimit: (prompt, _max, limit) => ({
    status: 400,
    body: ollamaOpenAiError(`the input length (${prompt}) exceeds the context length (${limit})`),
  }),
  failure: (message) => ({ status: 500, body: ollamaOpenAiError(message) }),
  streamError: (message) => [sseFrame(ollamaOpenAiError(message))],
  overflow: 'truncate',
  checksModel: true,
};

/** Whether a model is loaded, per simulated server (the flavour object is shared). */
const loaded = new WeakMap<FlavourContext, boolean>();

const ROUTES: RouteTable = {
  '/': { method: 'GET', route: root },
  '/api/version': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, { version: c.scenario.engineVersion }),
  },
  '/api/tags': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, ollamaTags(c.scenario)),
  },
  '/api/ps': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, ollamaPs(c.scenario, loaded.get(c) === true)),
  },
  '/api/generate': { method: 'POST', route: generate },
  '/v1/models': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, ollamaModelList(c.scenario, nowS())),
  },
  '/v1/completions': { method: 'POST', route: (q, s, c) => openAi('completions', q, s, c) },
  '/v1/chat/completions': { method: 'POST', route: (q, s, c) => openAi('chat', q, s, c) },
};

async function handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  const entry = ROUTES[path];
  if (!entry) return sendText(res, 404, '404 page not found', 'text/plain; charset=utf-8');
  if (req.method !== entry.method) {
    return sendText(res, 405, '405 method not allowed', 'text/plain; charset=utf-8');
  }
  await entry.route(req, res, ctx);
}

async function root(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const state = await healthNow(ctx, 'wait');
  if (state === 'ok') return sendText(res, 200, 'Ollama is running', 'text/plain; charset=utf-8');
  sendJson(res, 500, ollamaError('llama runner process has terminated'));
}

async function openAi(
  api: 'completions' | 'chat',
  q: IncomingMessage,
  s: ServerResponse,
  c: FlavourContext,
) {
  loaded.set(c, true);
  await openAiGenerate(api, q, s, c, DIALECT);
}

/** `POST /api/generate`: `{"model", "prompt", "stream", "options": {"num_predict"}}`. */
async function generate(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  let body: {
    model?: unknown;
    prompt?: unknown;
    stream?: unknown;
    options?: { num_predict?: unknown };
  };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 400;
    return sendJson(res, status, ollamaError('invalid character in request body'));
  }
  if (typeof body?.model !== 'string' || body.model === '') {
    return sendJson(res, 400, ollamaError('model is required'));
  }
  if (body.model !== ctx.scenario.model) return sendJson(res, 404, ollamaWrongModel(body.model));
  const promptTokens = promptTokensOf(body.prompt ?? '') ?? 0;
  const requested = body.options?.num_predict;
  const maxTokens = isPositiveInt(requested) ? requested : null;
  if (ctx.engine.isDead) {
    return sendJson(res, 500, ollamaError('llama runner process has terminated: exit status 2'));
  }
  loaded.set(ctx, true);

  const fitted = fitContext(promptTokens, maxTokens, ctx, 'truncate');
  if (fitted === 'refused') {
    const limit = servedContext(ctx.scenario);
    const message = `the input length (${promptTokens}) exceeds the context length (${limit})`;
    return sendJson(res, 400, ollamaError(message));
  }
  const model = ctx.scenario.model;
  const wire: Wire = {
    answer: (done) => ollamaGenerated(model, done),
    failure: (message) => ({ status: 500, body: ollamaError(message) }),
    stream: {
      contentType: 'application/x-ndjson',
      token: (text) => ndjsonFrame(ollamaStreamToken(model, text)),
      end: (done) => [ndjsonFrame(ollamaGenerated(model, { ...done, text: '' }))],
      error: (message) => [ndjsonFrame(ollamaError(message))],
    },
  };
  // Ollama streams unless told not to
  const stream = body.stream !== false;
  await serveGeneration(ctx, res, { ...fitted, ignoreEos: false, stream }, wire);
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

export const ollamaFlavour: EngineFlavour = {
  id: 'ollama',
  processName: () => '/usr/bin/ollama',
  handle,
  startupErrorLines: (_error, scenario) => ggmlOomLines(scenario),
};
