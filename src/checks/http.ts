/**
 * The one way the checks talk to the engine: fetch with a deadline on every request, the
 * API key sent as a bearer token and never shown, and failures sorted into what a person
 * can act on (nothing listening, no answer, an answer that is not JSON).
 */
import { GateError } from '../errors.js';
import { formatDuration } from '../units.js';

export interface EngineClientOptions {
  /** `http://127.0.0.1:8000`, optionally with a path prefix. */
  baseUrl: string;
  apiKey?: string | undefined;
  /** Deadline of a request that names none. */
  timeoutMs: number;
}

export type HttpFailureKind = 'refused' | 'timeout' | 'network' | 'aborted';

/** No HTTP answer at all: nothing listening, no answer in time, or the caller gave up. */
export interface HttpFailure {
  kind: HttpFailureKind;
  /** One line, e.g. `nothing listens on 127.0.0.1:8000 (connection refused)`. */
  message: string;
  ms: number;
}

/** An HTTP answer, whatever its status; `json` is undefined when the body is not JSON. */
export interface HttpResponse {
  kind: 'response';
  status: number;
  json: unknown;
  isJson: boolean;
  text: string;
  ms: number;
}

export type HttpOutcome = HttpFailure | HttpResponse;

export type HttpMethod = 'GET' | 'POST';

export interface RequestOptions {
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OpenOptions {
  body?: unknown;
  /** Aborted by the caller; abort with a `TimeoutError` DOMException to report a timeout. */
  signal: AbortSignal;
  /** The deadline named in the message when the signal aborts as a timeout. */
  timeoutMs: number;
}

/** Headers have arrived; the body is the caller's to read under its own signal. */
export interface OpenedResponse {
  kind: 'opened';
  response: Response;
  ms: number;
}

export interface EngineClient {
  /** The base URL without credentials: safe to show. */
  readonly displayUrl: string;
  /** Sends a request and reads the whole body, within `timeoutMs` from start to end. */
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<HttpOutcome>;
  /** Sends a request and returns once headers arrive (streaming). */
  open(
    method: HttpMethod,
    path: string,
    options: OpenOptions,
  ): Promise<OpenedResponse | HttpFailure>;
  /** Removes the API key from text that may have echoed it. */
  redact(text: string): string;
}

/** Error codes of Node's sockets and undici, found anywhere in an error's causes. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') codes.push(code);
  codes.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors))
    for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  return codes;
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/**
 * What went wrong when fetch threw. `signal` is the one the request ran under: its reason
 * tells a deadline from a caller that gave up.
 */
export function classifyFetchError(
  error: unknown,
  context: { host: string; signal: AbortSignal; timeoutMs: number; gotHeaders: boolean },
): Omit<HttpFailure, 'ms'> {
  if (context.signal.aborted) {
    if (isTimeoutReason(context.signal.reason)) {
      const within = formatDuration(context.timeoutMs);
      const message = context.gotHeaders
        ? `answer not complete within ${within}`
        : `no answer within ${within}`;
      return { kind: 'timeout', message };
    }
    return { kind: 'aborted', message: 'cancelled before an answer came' };
  }

  const codes = errorCodes(error);
  if (codes.includes('ECONNREFUSED')) {
    return { kind: 'refused', message: `nothing listens on ${context.host} (connection refused)` };
  }
  if (codes.some((c) => c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT')) {
    return { kind: 'timeout', message: 'no answer (client socket timeout)' };
  }
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) {
    return { kind: 'network', message: `cannot resolve ${context.host}` };
  }
  if (codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE')) {
    return { kind: 'network', message: `${context.host} closed the connection before answering` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'network', message: `request to ${context.host} failed: ${message}` };
}

/** The body as JSON, or `isJson: false`: a non-JSON answer is a finding, not a crash. */
export function parseJson(text: string): { json: unknown; isJson: boolean } {
  try {
    return { json: JSON.parse(text), isJson: true };
  } catch {
    return { json: undefined, isJson: false };
  }
}

function parseBaseUrl(baseUrl: string): URL {
  try {
    const url = new URL(baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new GateError(
    'usage',
    `endpoint: "${baseUrl}" is not an http(s) URL`,
    'give the engine base URL, such as http://127.0.0.1:8000',
  );
}

export function createEngineClient(options: EngineClientOptions): EngineClient {
  const base = parseBaseUrl(options.baseUrl);
  base.username = '';
  base.password = '';
  const root = base.href.replace(/\/+$/, '');
  const host = base.host;
  const apiKey = options.apiKey?.trim() ?? '';

  const redact = (text: string): string =>
    apiKey === '' ? text : text.split(apiKey).join('[redacted]');

  const headersFor = (body: unknown): Record<string, string> => ({
    accept: 'application/json, text/event-stream',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }),
  });

  const failure = (
    error: unknown,
    signal: AbortSignal,
    timeoutMs: number,
    gotHeaders: boolean,
    started: number,
  ): HttpFailure => {
    const found = classifyFetchError(error, { host, signal, timeoutMs, gotHeaders });
    return { ...found, message: redact(found.message), ms: performance.now() - started };
  };

  const open: EngineClient['open'] = async (method, path, openOptions) => {
    const started = performance.now();
    try {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: headersFor(openOptions.body),
        body: openOptions.body === undefined ? undefined : JSON.stringify(openOptions.body),
        signal: openOptions.signal,
      });
      return { kind: 'opened', response, ms: performance.now() - started };
    } catch (error) {
      return failure(error, openOptions.signal, openOptions.timeoutMs, false, started);
    }
  };

  const request: EngineClient['request'] = async (method, path, requestOptions = {}) => {
    // AbortSignal.timeout takes whole milliseconds only
    const timeoutMs = Math.max(1, Math.round(requestOptions.timeoutMs ?? options.timeoutMs));
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = requestOptions.signal
      ? AbortSignal.any([deadline, requestOptions.signal])
      : deadline;
    const started = performance.now();

    const opened = await open(method, path, { body: requestOptions.body, signal, timeoutMs });
    if (opened.kind !== 'opened') return opened;
    try {
      const text = redact(await opened.response.text());
      const { json, isJson } = parseJson(text);
      const ms = performance.now() - started;
      return { kind: 'response', status: opened.response.status, json, isJson, text, ms };
    } catch (error) {
      return failure(error, signal, timeoutMs, true, started);
    }
  };

  return { displayUrl: redact(root), request, open, redact };
}
