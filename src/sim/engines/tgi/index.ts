import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendEmpty, sendJson, sendText } from '../../http-io.js';
import { countWords } from '../../tokens.js';
import { advertisedContext, servedContext } from '../context.js';
import { fitContext, type OpenAiDialect, openAiRoutes, type RouteTable } from '../openai-compat.js';
import { isPositiveInt } from '../openai-request.js';
import { healthNow, serveGeneration, type Wire } from '../serve.js';
import { torchOomLines } from '../startup-lines.js';
import type { EngineFlavour, FlavourContext } from '../types.js';
import {
  tgiError,
  tgiGenerated,
  tgiGenerationError,
  tgiInfo,
  tgiModelList,
  tgiOverLimit,
  tgiStreamEnd,
  tgiStreamToken,
} from './bodies.js';

/**
 * Hugging Face TGI's router: OpenAI routes beside its native `/generate` and
 * `/generate_stream`. A long prefill makes `/health` slow, not failing
 * (huggingface/text-generation-inference#2348).
 */

/** Axum writes `data:` with no space before the JSON, as TGI's own samples show. */
function tgiFrame(body: unknown): string {
  return `data:${JSON.stringify(body)}\n\n`;
}

const DIALECT: OpenAiDialect = {
  error: (status, message) => tgiError(message, status === 422 ? 'validation' : 'bad_request'),
  overLimit: tgiOverLimit,
  failure: (message) => ({ status: 424, body: tgiGenerationError(message) }),
  streamError: (message) => [tgiFrame(tgiGenerationError(message))],
  overflow: 'refuse',
  checksModel: false,
};

const ROUTES: RouteTable = {
  '/health': { method: 'GET', route: health },
  '/info': { method: 'GET', route: async (_q, s, c) => sendJson(s, 200, tgiInfo(c.scenario)) },
  '/v1/models': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, tgiModelList(c.scenario)),
  },
  '/metrics': { method: 'GET', route: metrics },
  ...openAiRoutes(DIALECT),
  '/generate': { method: 'POST', route: (q, s, c) => native(false, q, s, c) },
  '/generate_stream': { method: 'POST', route: (q, s, c) => native(true, q, s, c) },
};

async function handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  const entry = ROUTES[path];
  // axum answers an unknown route with an empty 404
  if (!entry || req.method !== entry.method) return sendEmpty(res, entry ? 405 : 404);
  const key = ctx.scenario.apiKey;
  if (key && path !== '/health' && req.headers.authorization !== `Bearer ${key}`) {
    return sendJson(res, 401, tgiError('Unauthorized', 'authentication'));
  }
  await entry.route(req, res, ctx);
}

async function health(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const state = await healthNow(ctx, 'wait');
  if (state === 'ok') return sendEmpty(res, 200);
  sendJson(res, 503, tgiError('unhealthy', 'healthcheck'));
}

async function metrics(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const lines = [
    '# TYPE tgi_queue_size gauge',
    'tgi_queue_size 0',
    '# TYPE tgi_batch_current_size gauge',
    `tgi_batch_current_size ${ctx.engine.requestsRunning}`,
    '# TYPE tgi_batch_current_max_tokens gauge',
    `tgi_batch_current_max_tokens ${advertisedContext(ctx.scenario)}`,
  ];
  sendText(res, 200, `${lines.join('\n')}\n`, 'text/plain; version=0.0.4');
}

/** `POST /generate` and `/generate_stream`: `{"inputs", "parameters": {"max_new_tokens"}}`. */
async function native(
  stream: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FlavourContext,
) {
  let body: { inputs?: unknown; parameters?: { max_new_tokens?: unknown } };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 422;
    return sendJson(res, status, tgiError('Failed to deserialize the JSON body', 'validation'));
  }
  if (typeof body?.inputs !== 'string') {
    return sendJson(res, 422, tgiError('inputs: a string is required', 'validation'));
  }
  const requested = body.parameters?.max_new_tokens;
  const maxTokens = isPositiveInt(requested) ? requested : null;
  const promptTokens = countWords(body.inputs);
  if (ctx.engine.isDead) return sendJson(res, 424, tgiGenerationError('the shard has died'));

  const fitted = fitContext(promptTokens, maxTokens, ctx, 'refuse');
  if (fitted === 'refused') {
    const refusal = tgiOverLimit(promptTokens, maxTokens, servedContext(ctx.scenario));
    return sendJson(res, refusal.status, refusal.body);
  }
  const wire: Wire = {
    answer: tgiGenerated,
    failure: DIALECT.failure,
    stream: {
      contentType: 'text/event-stream',
      token: (text, index) => tgiFrame(tgiStreamToken(text, index)),
      end: (done) => [tgiFrame(tgiStreamEnd(done))],
      error: DIALECT.streamError,
    },
  };
  await serveGeneration(ctx, res, { ...fitted, ignoreEos: false, stream }, wire);
}

export const tgiFlavour: EngineFlavour = {
  id: 'tgi',
  processName: () => '/opt/conda/bin/python3.11',
  handle,
  startupErrorLines: () => [...torchOomLines(), 'Error: ShardCannotStart'],
};
