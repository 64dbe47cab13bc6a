import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http-io.js';
import { torchOomLines } from '../startup-lines.js';
import type { EngineFlavour, FlavourContext } from '../types.js';
import { handleVllm } from '../vllm/handle.js';

/**
 * A generic OpenAI-compatible server (a gateway in front of some engine): vLLM's answers
 * behind it, but nothing that names the engine: no `/version`, no `/metrics`, and model
 * cards without `max_model_len`.
 */
const HIDDEN = new Set(['/version', '/metrics']);

async function handle(req: IncomingMessage, res: ServerResponse, ctx: FlavourContext) {
  const path = new URL(req.url ?? '/', 'http://sim').pathname;
  if (HIDDEN.has(path)) {
    return sendJson(res, 404, { error: { message: 'Not Found', type: 'invalid_request_error' } });
  }
  if (path === '/v1/models' && req.method === 'GET') {
    const key = ctx.scenario.apiKey;
    if (key && req.headers.authorization !== `Bearer ${key}`) {
      return sendJson(res, 401, {
        error: { message: 'Unauthorized', type: 'invalid_request_error' },
      });
    }
    const created = Math.floor(Date.now() / 1000);
    return sendJson(res, 200, {
      object: 'list',
      data: [{ id: ctx.scenario.model, object: 'model', created, owned_by: 'organization-owner' }],
    });
  }
  await handleVllm(req, res, ctx);
}

export const openaiFlavour: EngineFlavour = {
  id: 'openai',
  processName: () => 'python3',
  handle,
  startupErrorLines: () => torchOomLines(),
};
