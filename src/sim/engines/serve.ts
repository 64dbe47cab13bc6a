import type { ServerResponse } from 'node:http';
import type { GenerateRequest, RunningRequest } from '../engine.js';
import { generationEvents } from '../generation.js';
import { ended, sendJson } from '../http-io.js';
import { sleep } from '../sleep.js';
import type { FlavourContext } from './types.js';

/**
 * The life of one generate request as every flavour serves it: start it on the
 * simulated engine, answer whole or as a stream in the flavour's wire format, and finish it
 * whatever happens (the client going away included). Flavours only say what the bytes are.
 */

export interface Done {
  text: string;
  finishReason: 'length' | 'stop';
  /** Prompt tokens the engine processed (after any truncation). */
  promptTokens: number;
  generated: number;
}

export interface StreamWire {
  contentType: string;
  /** Frames sent before the first token (a chat role chunk). */
  start?(): string[];
  token(text: string, index: number): string;
  end(done: Done): string[];
  /** Frames for a failure after the headers went out with 200. */
  error(message: string): string[];
}

export interface Wire {
  answer(done: Done): unknown;
  failure(message: string): { status: number; body: unknown };
  stream: StreamWire;
}

/** `data: {…}` with the blank line that ends an SSE event. */
export function sseFrame(body: unknown, field = 'data'): string {
  return `${field}: ${typeof body === 'string' ? body : JSON.stringify(body)}\n\n`;
}

export function ndjsonFrame(body: unknown): string {
  return `${JSON.stringify(body)}\n`;
}

export async function serveGeneration(
  ctx: FlavourContext,
  res: ServerResponse,
  request: GenerateRequest,
  wire: Wire,
): Promise<void> {
  const running = ctx.engine.start(request);
  const stop = new AbortController();
  const onClosing = () => stop.abort();
  ctx.closing.addEventListener('abort', onClosing, { once: true });
  res.once('close', () => {
    if (!res.writableFinished) stop.abort();
  });

  let outcome = { generated: 0, failed: true };
  try {
    outcome = request.stream
      ? await streamed(running, res, ctx, wire.stream, stop.signal)
      : await whole(running, res, ctx, wire, stop.signal);
  } finally {
    ctx.closing.removeEventListener('abort', onClosing);
    if (!res.headersSent) res.destroy();
    else if (!res.writableEnded) res.end();
    await ended(res);
    ctx.engine.finish(running, outcome.generated, outcome.failed);
  }
}

async function whole(
  running: RunningRequest,
  res: ServerResponse,
  ctx: FlavourContext,
  wire: Wire,
  signal: AbortSignal,
) {
  const pieces: string[] = [];
  for await (const event of generationEvents(running, { streaming: false, signal })) {
    if (event.kind === 'token') pieces.push(event.text);
    else if (event.kind === 'error') {
      ctx.log(`ERROR: ${firstLine(event.message)}`);
      const { status, body } = wire.failure(event.message);
      sendJson(res, status, body);
      return { generated: pieces.length, failed: true };
    } else {
      const done = doneOf(running, pieces, event.finishReason);
      sendJson(res, 200, wire.answer(done));
      return { generated: pieces.length, failed: false };
    }
  }
  return { generated: pieces.length, failed: true };
}

async function streamed(
  running: RunningRequest,
  res: ServerResponse,
  ctx: FlavourContext,
  wire: StreamWire,
  signal: AbortSignal,
) {
  const pieces: string[] = [];
  res.writeHead(200, { 'content-type': wire.contentType, 'cache-control': 'no-cache' });
  res.flushHeaders();
  for (const frame of wire.start?.() ?? []) res.write(frame);

  for await (const event of generationEvents(running, { streaming: true, signal })) {
    if (event.kind === 'token') {
      pieces.push(event.text);
      res.write(wire.token(event.text, pieces.length));
    } else if (event.kind === 'error') {
      // The status went out as 200 with the headers; the failure can only be an event.
      ctx.log(`ERROR: ${firstLine(event.message)}`);
      for (const frame of wire.error(event.message)) res.write(frame);
      res.end();
      return { generated: pieces.length, failed: true };
    } else {
      for (const frame of wire.end(doneOf(running, pieces, event.finishReason))) res.write(frame);
      res.end();
      return { generated: pieces.length, failed: false };
    }
  }
  return { generated: pieces.length, failed: true };
}

function doneOf(running: RunningRequest, pieces: string[], finishReason: Done['finishReason']) {
  return {
    text: pieces.join(''),
    finishReason,
    promptTokens: running.promptTokens,
    generated: pieces.length,
  };
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * What health says now. `wait`: the probe answers once the long prefill holding the engine
 * is over (vLLM, TGI: slow, not failing). `{ failAfterMs }`: the probe gives up after that
 * long and reports unhealthy (SGLang's health generation timing out).
 */
export async function healthNow(
  ctx: FlavourContext,
  busy: 'wait' | { failAfterMs: number },
): Promise<'ok' | 'dead' | 'unhealthy'> {
  let state = ctx.engine.health();
  while (state.status === 'busy' && !ctx.closing.aborted) {
    if (busy === 'wait') {
      await sleep(state.waitMs, ctx.closing);
    } else {
      if (state.waitMs > busy.failAfterMs) {
        await sleep(busy.failAfterMs, ctx.closing);
        return 'unhealthy';
      }
      await sleep(state.waitMs, ctx.closing);
    }
    state = ctx.engine.health();
  }
  if (state.status === 'busy' || state.status === 'ok') return 'ok';
  return state.status;
}
