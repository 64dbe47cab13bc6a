/**
 * Small node:http servers on 127.0.0.1 standing in for an engine, one behaviour per test.
 * Not the simulator: each test states exactly the answer it needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Handler = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

export interface MockServer {
  url: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A server whose routes are keyed `METHOD /path`; anything else is a 404. */
export async function startMock(routes: Record<string, Handler>): Promise<MockServer> {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    seen.push(request);
    const handler = routes[`${request.method} ${request.path}`];
    if (handler) await handler(request, res);
    else sendJson(res, 404, { error: { message: 'Not Found', type: 'NotFoundError', code: 404 } });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen, close: () => closeServer(server) };
}

/** Accepts connections and reads requests but never answers. */
export async function startSilentServer(): Promise<MockServer> {
  const server = createServer(() => {});
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen: [], close: () => closeServer(server) };
}

/** A loopback port on which nothing listens (bound once, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** vLLM's current error body. */
export function vllmError(status: number, message: string, type = 'BadRequestError') {
  return { error: { message, type, param: null, code: status } };
}

/** Sends SSE events (`data: ...`) and ends the stream unless `keepOpen`. */
export function sendSse(res: ServerResponse, data: string[], keepOpen = false): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // headers go out now, as an engine's do, even when no event follows
  res.flushHeaders();
  for (const item of data) res.write(`data: ${item}\n\n`);
  if (!keepOpen) res.end();
}

export function chatChunk(content: string, finishReason: string | null = null): string {
  return JSON.stringify({
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: finishReason }],
  });
}

export function wordsIn(prompt: unknown): number {
  return typeof prompt === 'string' ? prompt.split(' ').filter(Boolean).length : 0;
}

export interface VllmMockOptions {
  model?: string;
  maxModelLen?: number;
  /** Replaces or adds routes of the healthy engine. */
  routes?: Record<string, Handler>;
}

/**
 * A healthy vLLM-like engine: one word is one token, prompts at or above the max context
 * are refused with vLLM's 400, streams end with `[DONE]`.
 */
export function startVllmMock(options: VllmMockOptions = {}): Promise<MockServer> {
  const model = options.model ?? 'qwen3-30b';
  const maxModelLen = options.maxModelLen ?? 32_768;
  const completion: Handler = (req, res) => {
    const body = req.body as { prompt?: unknown };
    const tokens = wordsIn(body.prompt);
    if (tokens >= maxModelLen) {
      const message =
        `This model's maximum context length is ${maxModelLen} tokens. However, your request ` +
        `has ${tokens} input tokens. Please reduce the length of the input messages.`;
      return sendJson(res, 400, vllmError(400, message));
    }
    sendJson(res, 200, {
      object: 'text_completion',
      choices: [{ index: 0, text: ' OK', finish_reason: 'stop' }],
      usage: { prompt_tokens: tokens, completion_tokens: 1, total_tokens: tokens + 1 },
    });
  };
  const chat: Handler = (req, res) => {
    if ((req.body as { stream?: boolean }).stream) {
      return sendSse(res, [chatChunk(''), chatChunk('O'), chatChunk('K', 'stop'), '[DONE]']);
    }
    sendJson(res, 200, {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
    });
  };
  return startMock({
    'GET /health': (_req, res) => {
      res.writeHead(200);
      res.end();
    },
    'GET /v1/models': (_req, res) =>
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: model, object: 'model', owned_by: 'vllm', max_model_len: maxModelLen }],
      }),
    'POST /v1/completions': completion,
    'POST /v1/chat/completions': chat,
    ...options.routes,
  });
}
