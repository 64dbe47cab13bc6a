/**
 * The simulator's MCP server over Streamable HTTP, built with the official SDK. Stateless:
 * each request gets its own server and transport, as the SDK shows for servers that keep
 * no session, so any number of gate checks can call it at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { BodyError, readBody, sendJson } from '../http-io.js';
import {
  countTokensTool,
  generateTool,
  modelInfoTool,
  searchTool,
  type ToolAnswer,
  type ToolContext,
} from './tools.js';

function toResult(answer: ToolAnswer) {
  return {
    content: [{ type: 'text' as const, text: answer.text }],
    ...(answer.isError ? { isError: true } : {}),
    ...(answer.structured && !answer.isError ? { structuredContent: answer.structured } : {}),
  };
}

export function buildMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: 'serving-gate-simulator', version: '1.0.0' });
  server.registerTool(
    'generate',
    {
      description: 'Generate text with the served model.',
      inputSchema: { prompt: z.string(), max_tokens: z.int().min(1).optional() },
    },
    async (args) => toResult(await generateTool(args, ctx)),
  );
  server.registerTool(
    'search',
    {
      description: 'Search the document index.',
      inputSchema: { query: z.string(), top_k: z.int().min(1).max(10).optional() },
    },
    async (args) => toResult(searchTool(args, ctx)),
  );
  server.registerTool(
    'count_tokens',
    { description: "Count tokens with the model's tokenizer.", inputSchema: { text: z.string() } },
    async (args) => toResult(countTokensTool(args, ctx)),
  );
  server.registerTool(
    'model_info',
    { description: 'The served model and its max context.' },
    async () => toResult(modelInfoTool(ctx)),
  );
  return server;
}

/** Answers one HTTP request on the MCP path. */
export async function handleMcp(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ToolContext,
): Promise<void> {
  let body: unknown;
  if (req.method === 'POST') {
    try {
      const text = await readBody(req);
      body = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      const status = error instanceof BodyError ? error.status : 400;
      return sendJson(res, status, {
        jsonrpc: '2.0',
        error: { code: -32700, message: `Parse error: ${(error as Error).message}` },
        id: null,
      });
    }
  }
  const server = buildMcpServer(ctx);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.once('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
