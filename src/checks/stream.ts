/**
 * A streaming request read event by event, under two deadlines: one for the first token
 * (headers followed by silence must not pass) and one for the whole stream.
 */
import { formatDuration } from '../units.js';
import type { EngineProfile } from './engine-profile.js';
import { type EngineClient, type HttpFailure, type HttpResponse, parseJson } from './http.js';
import { flushNdjson, splitNdjson } from './ndjson.js';
import { flushSse, type SseEvent, splitSse } from './sse.js';

export interface StreamRequestOptions {
  body: unknown;
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  signal?: AbortSignal;
}

/** A stream that began (2xx headers), read until it ended or a deadline cut it off. */
export interface StreamReport {
  kind: 'stream';
  status: number;
  /** Data events that carried generated text. */
  tokenEvents: number;
  text: string;
  /** The engine's end of a finished stream came: `[DONE]`, or its own last event. */
  sawDone: boolean;
  /** What that end is, in words (`[DONE]`, `the final line with "done": true`). */
  endMarker?: string;
  finishReason: string | null;
  /** The message of an error event sent inside the stream. */
  inStreamError: string | null;
  /** Data events that were neither JSON nor `[DONE]`. */
  invalidEvents: number;
  firstTokenMs: number | null;
  ms: number;
  /** The deadline that cut the stream short, if one did. */
  cutOff: 'first-token' | 'total' | null;
  /** The stream broke for another reason (connection reset). */
  broken: string | null;
  promptTokens: number | null;
}

/** No answer, a non-2xx answer (body read whole), or a stream. */
export type StreamOutcome = HttpFailure | HttpResponse | StreamReport;

function timeoutError(message: string): DOMException {
  return new DOMException(message, 'TimeoutError');
}

/** A refusal's body, read whole under the stream's deadlines. */
async function readErrorAnswer(
  client: EngineClient,
  response: Response,
  started: number,
  timedOut: () => string | null,
): Promise<HttpResponse | HttpFailure> {
  try {
    const text = client.redact(await response.text());
    const { json, isJson } = parseJson(text);
    const ms = performance.now() - started;
    return { kind: 'response', status: response.status, json, isJson, text, ms };
  } catch (error) {
    const ms = performance.now() - started;
    const message = timedOut();
    if (message) return { kind: 'timeout', message, ms };
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'network', message: client.redact(reason), ms };
  }
}

export async function streamRequest(
  client: EngineClient,
  profile: EngineProfile,
  path: string,
  options: StreamRequestOptions,
): Promise<StreamOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  let cutOff: StreamReport['cutOff'] = null;
  let firstTokenMs: number | null = null;

  const firstTokenTimer = setTimeout(() => {
    cutOff = 'first-token';
    controller.abort(timeoutError('no first token'));
  }, options.firstTokenTimeoutMs);
  const totalTimer = setTimeout(() => {
    cutOff = 'total';
    controller.abort(timeoutError('stream not finished'));
  }, options.totalTimeoutMs);
  const onCallerAbort = () => {
    const reason: unknown = options.signal?.reason;
    // the caller's own deadline (a check's) ends the stream as a timeout, not a cancel
    if (reason instanceof Error && reason.name === 'TimeoutError') cutOff ??= 'total';
    controller.abort(reason);
  };
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();

  const deadlineMs = () =>
    cutOff === 'first-token' ? options.firstTokenTimeoutMs : options.totalTimeoutMs;

  try {
    const opened = await client.open('POST', path, {
      body: options.body,
      signal: controller.signal,
      timeoutMs: options.totalTimeoutMs,
    });
    if (opened.kind !== 'opened') {
      if (opened.kind !== 'timeout') return opened;
      return { ...opened, message: `no answer within ${formatDuration(deadlineMs())}` };
    }

    const { response } = opened;
    if (response.status < 200 || response.status >= 300) {
      return await readErrorAnswer(client, response, started, () =>
        cutOff === null ? null : `answer not complete within ${formatDuration(deadlineMs())}`,
      );
    }

    const report: StreamReport = {
      kind: 'stream',
      status: response.status,
      tokenEvents: 0,
      text: '',
      sawDone: false,
      endMarker: profile.streamEnd,
      finishReason: null,
      inStreamError: null,
      invalidEvents: 0,
      firstTokenMs: null,
      ms: 0,
      cutOff: null,
      broken: null,
      promptTokens: null,
    };

    const handle = (frame: SseEvent) => {
      if (frame.event === 'error') {
        const message = profile.readErrorMessage(parseJson(frame.data).json) ?? frame.data;
        report.inStreamError ??= client.redact(message);
        return;
      }
      const event = profile.readStreamData(frame.data);
      if (event.type === 'done') report.sawDone = true;
      else if (event.type === 'error') report.inStreamError ??= client.redact(event.message);
      else if (event.type === 'invalid') report.invalidEvents += 1;
      else {
        if (event.text !== '') {
          report.tokenEvents += 1;
          report.text += event.text;
          if (firstTokenMs === null) {
            firstTokenMs = performance.now() - started;
            clearTimeout(firstTokenTimer);
          }
        }
        report.finishReason = event.finishReason ?? report.finishReason;
        report.promptTokens = event.promptTokens ?? report.promptTokens;
        if (event.last) report.sawDone = true;
      }
    };
    const [split, flush] =
      profile.streamFraming === 'ndjson' ? [splitNdjson, flushNdjson] : [splitSse, flushSse];

    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let rest = '';
    try {
      while (reader && !report.sawDone) {
        const { done, value } = await reader.read();
        if (done) break;
        const parts = split(rest, decoder.decode(value, { stream: true }));
        rest = parts.rest;
        for (const frame of parts.events) handle(frame);
      }
      if (!report.sawDone) for (const frame of flush(rest + decoder.decode())) handle(frame);
      if (report.sawDone) await reader?.cancel().catch(() => undefined);
    } catch (error) {
      report.cutOff = cutOff;
      if (cutOff === null) {
        if (options.signal?.aborted) {
          const ms = performance.now() - started;
          return { kind: 'aborted', message: 'cancelled while the stream was open', ms };
        }
        report.broken = client.redact(error instanceof Error ? error.message : String(error));
      }
    }

    report.firstTokenMs = firstTokenMs;
    report.ms = performance.now() - started;
    return report;
  } finally {
    clearTimeout(firstTokenTimer);
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
