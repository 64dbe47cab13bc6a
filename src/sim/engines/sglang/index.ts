import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendEmpty, sendJson, sendText } from '../../http-io.js';
import { type OpenAiDialect, openAiRoutes, type RouteTable } from '../openai-compat.js';
import { healthNow } from '../serve.js';
import { torchOomLines } from '../startup-lines.js';
import type { EngineFlavour, FlavourContext } from '../types.js';
import {
  renderSglangMetrics,
  sglangError,
  sglangModelInfo,
  sglangModelList,
  sglangOverLimit,
  sglangServerArgs,
  sglangStreamError,
} from './bodies.js';

/**
 * SGLang's HTTP server. `/health` runs a one-token generation and answers 503 when none
 * comes out in time, which a long prefill causes (sgl-project/sglang#22511): here the
 * probe gives up after half a second, standing for SGLANG_HEALTH_CHECK_TIMEOUT's 20 s.
 */
const HEALTH_GENERATION_TIMEOUT_MS = 500;

const DIALECT: OpenAiDialect = {
  error: (status, message) => sglangError(status, message),
  overLimit: sglangOverLimit,
  failure: (message) => ({ status: 500, body: sglangError(500, message) }),
  streamError: sglangStreamError,
  overflow: 'refuse',
  checksModel: true,
};

const ROUTES: RouteTable = {
  '/health': { method: 'GET', route: health },
  '/health_generate': { method: 'GET', route: health },
  '/get_model_info': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, sglangModelInfo(c.scenario)),
  },
  '/get_server_args': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, sglangServerArgs(c.scenario)),
  },
  '/v1/models': {
    method: 'GET',
    route: async (_q, s, c) => sendJson(s, 200, sglangModelList(c.scenario, nowS())),
  },
  '/metrics': { method: 'GET', route: metrics },
  ...openAiRoutes(DIALECT),
};

async function handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  const entry = ROUTES[path];
  if (!entry) return sendJson(res, 404, { detail: 'Not Found' });
  if (req.method !== entry.method) return sendJson(res, 405, { detail: 'Method Not Allowed' });
  const key = ctx.scenario.apiKey;
  if (key && path.startsWith('/v1/') && req.headers.authorization !== `Bearer ${key}`) {
    return sendJson(res, 401, sglangError(401, 'Invalid API key', 'AuthenticationError'));
  }
  await entry.route(req, res, ctx);
}

async function health(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const state = await healthNow(ctx, { failAfterMs: HEALTH_GENERATION_TIMEOUT_MS });
  sendEmpty(res, state === 'ok' ? 200 : 503);
}

async function metrics(_req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const text = renderSglangMetrics({
    model: ctx.scenario.model,
    running: ctx.engine.requestsRunning,
    queued: 0,
    tokenUsage: ctx.engine.memory.kvCacheUsage(),
  });
  sendText(res, 200, text, 'text/plain; version=0.0.4; charset=utf-8');
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

export const sglangFlavour: EngineFlavour = {
  id: 'sglang',
  processName: () => 'sglang::scheduler',
  handle,
  startupErrorLines: (error) =>
    error === 'cuda-oom'
      ? torchOomLines()
      : ['RuntimeError: Not enough memory. Please try to increase --mem-fraction-static.'],
};
