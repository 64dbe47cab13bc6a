import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http-io.js';
import { handleMcp } from './handler.js';
import type { ToolContext } from './tools.js';

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Puts the scenario's MCP server (when it has one) in front of the engine's routes, on
 * its own path. The scenario's API key guards it as it guards the engine's /v1 routes.
 */
export function withMcp(ctx: ToolContext, engineHandle: Handle): Handle {
  const mcp = ctx.scenario.mcp;
  if (!mcp) return engineHandle;
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path !== mcp.path) return engineHandle(req, res);
    const key = ctx.scenario.apiKey;
    if (key && req.headers.authorization !== `Bearer ${key}`) {
      return sendJson(res, 401, {
        jsonrpc: '2.0',
        error: { code: -32001, message: 'Unauthorized' },
        id: null,
      });
    }
    await handleMcp(req, res, ctx);
  };
}
