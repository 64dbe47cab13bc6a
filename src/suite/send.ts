/**
 * The suite's one way to send an HTTP request: the user's method, headers and body, to a
 * path on the endpoint or a URL of the user's own, under the check's deadline. The gate's
 * API key goes only to the endpoint's origin; a check's own headers win over it.
 */
import { classifyFetchError, type HttpOutcome, parseJson } from '../checks/http.js';
import type { Target } from './types.js';

export interface SendContext {
  /** Base URL of the engine, as the gate reached it. */
  endpoint: string;
  apiKey: string | null;
}

export interface SendRequest {
  method: string;
  target: Target;
  headers: Record<string, string>;
  body?: unknown;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The URL a target names: a path joins the endpoint (keeping any prefix it has). */
export function resolveTarget(target: Target, endpoint: string): URL {
  if ('url' in target) return new URL(target.url);
  return new URL(`${endpoint.replace(/\/+$/, '')}${target.path}`);
}

/** Headers to send: the gate's key for the endpoint's own origin, then the check's. */
export function headersFor(
  url: URL,
  ctx: SendContext,
  own: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const sameOrigin = url.origin === new URL(ctx.endpoint).origin;
  const ownAuth = Object.keys(own).some((name) => name.toLowerCase() === 'authorization');
  if (ctx.apiKey && sameOrigin && !ownAuth) headers.authorization = `Bearer ${ctx.apiKey}`;
  return { ...headers, ...own };
}

export async function send(request: SendRequest, ctx: SendContext): Promise<HttpOutcome> {
  const url = resolveTarget(request.target, ctx.endpoint);
  const headers = headersFor(url, ctx, request.headers);
  const hasBody =
    request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  const isText = typeof request.body === 'string';
  if (hasBody && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = isText ? 'text/plain' : 'application/json';
  }
  const started = performance.now();
  let gotHeaders = false;
  try {
    const response = await fetch(url, {
      method: request.method,
      headers,
      body: hasBody
        ? isText
          ? (request.body as string)
          : JSON.stringify(request.body)
        : undefined,
      signal: request.signal,
      redirect: 'manual',
    });
    gotHeaders = true;
    const text = await response.text();
    const { json, isJson } = parseJson(text);
    const ms = performance.now() - started;
    return { kind: 'response', status: response.status, json, isJson, text, ms };
  } catch (error) {
    const found = classifyFetchError(error, {
      host: url.host,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      gotHeaders,
    });
    return { ...found, ms: performance.now() - started };
  }
}

/** `GET /health` or `GET http://127.0.0.1:9000/health`: what a detail line shows. */
export function describeTarget(method: string, target: Target): string {
  if ('path' in target) return `${method} ${target.path}`;
  const url = new URL(target.url);
  url.username = '';
  url.password = '';
  url.search = '';
  return `${method} ${url.href}`;
}
