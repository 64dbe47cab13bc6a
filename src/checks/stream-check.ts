/**
 * The streaming check: a generation in the engine's own stream format (OpenAI chat chunks
 * ending with `[DONE]`, TGI's `/generate_stream`, llama.cpp's `/completion`, Ollama's
 * NDJSON), read event by event. It fails on an error sent inside a stream that began with
 * 200, on headers followed by silence, and on a stream that stops without its end.
 */
import { formatDuration } from '../units.js';
import type { CheckDeps } from './basic-checks.js';
import { SHORT_MAX_TOKENS, SHORT_PROMPT } from './basic-checks.js';
import { describeOutcome, exchangeLine, formatCount } from './describe.js';
import { shortenText } from './error-body.js';
import type { CheckContext } from './run-check.js';
import { type StreamReport, streamRequest } from './stream.js';
import type { CheckOutcome, CheckStatus } from './types.js';

/** Enough tokens that a stream has several events to check. */
const STREAM_MAX_TOKENS = SHORT_MAX_TOKENS * 2;

function tokens(count: number): string {
  return `${formatCount(count)} token event${count === 1 ? '' : 's'}`;
}

/** Status and the words after the arrow for a stream that began with 2xx headers. */
export function judgeStream(
  report: StreamReport,
  deadlines: { firstTokenTimeoutMs: number; totalTimeoutMs: number },
): { status: CheckStatus; result: string } {
  const head = `${report.status}, ${tokens(report.tokenEvents)}`;
  if (report.inStreamError !== null) {
    return {
      status: 'fail',
      result: `${head}, then an error inside the stream: "${shortenText(report.inStreamError)}"`,
    };
  }
  if (report.cutOff === 'first-token') {
    const within = formatDuration(deadlines.firstTokenTimeoutMs);
    return { status: 'fail', result: `${report.status} headers, then no token within ${within}` };
  }
  if (report.cutOff === 'total') {
    const within = formatDuration(deadlines.totalTimeoutMs);
    return { status: 'fail', result: `${head}, stream not finished within ${within}` };
  }
  if (report.broken !== null) {
    return { status: 'fail', result: `${head}, then the stream broke: ${report.broken}` };
  }
  if (report.tokenEvents === 0) {
    return { status: 'fail', result: `${report.status}, stream ended without a token` };
  }
  const marker = report.endMarker ?? '[DONE]';
  if (!report.sawDone && report.finishReason === null) {
    return { status: 'fail', result: `${head}, stream ended without ${marker} or a finish reason` };
  }
  const end = report.sawDone ? marker : `finish reason "${report.finishReason}"`;
  const first = Math.round(report.firstTokenMs ?? 0);
  return { status: 'pass', result: `${head}, first token in ${first} ms, ended with ${end}` };
}

export async function checkStream(
  deps: CheckDeps,
  model: string | null,
  options: { firstTokenTimeoutMs: number },
  context: CheckContext,
): Promise<CheckOutcome> {
  const path = deps.profile.paths.stream;
  const request = `POST ${path}`;
  const what = '(stream)';
  const deadlines = {
    firstTokenTimeoutMs: Math.min(options.firstTokenTimeoutMs, context.timeoutMs),
    totalTimeoutMs: context.timeoutMs,
  };
  const outcome = await streamRequest(deps.client, deps.profile, path, {
    body: deps.profile.streamBody(model, SHORT_PROMPT, STREAM_MAX_TOKENS),
    ...deadlines,
    signal: context.signal,
  });

  if (outcome.kind !== 'stream') {
    const detail = exchangeLine(request, what, describeOutcome(outcome, deps.profile));
    const status = outcome.kind === 'response' ? outcome.status : null;
    return { status: 'fail', detail, figures: { status } };
  }
  const { status, result } = judgeStream(outcome, deadlines);
  const figures = {
    status: outcome.status,
    tokenEvents: outcome.tokenEvents,
    firstTokenMs: outcome.firstTokenMs === null ? null : Math.round(outcome.firstTokenMs),
    sawDone: outcome.sawDone,
    finishReason: outcome.finishReason,
    invalidEvents: outcome.invalidEvents,
  };
  return { status, detail: exchangeLine(request, what, result), figures };
}
