/**
 * The `http`, `completion` and `chat` kinds: one request each, judged against the
 * check's expectations. Each says in one line what it sent and what came back.
 */
import { shortenText, summarizeErrorBody } from '../checks/error-body.js';
import type { HttpOutcome, HttpResponse } from '../checks/http.js';
import { readGeneratedText, readPromptTokens } from '../checks/openai-format.js';
import type { CheckContext } from '../checks/run-check.js';
import type { CheckOutcome } from '../checks/types.js';
import { checkJson, checkRange, checkStatus, checkText } from './expect.js';
import { describeTarget, type SendContext, send } from './send.js';
import type { ChatCheck, CompletionCheck, HttpCheck } from './types.js';

export interface SuiteRunContext extends SendContext {
  /** The model the gate addresses; a check's own `model` wins. */
  model: string | null;
}

/** What came back, after the arrow: `200 in 12 ms`, `500 "CUDA error"`, `no answer within 5s`. */
export function describeAnswer(outcome: HttpOutcome): string {
  if (outcome.kind !== 'response') return outcome.message;
  const ms = `in ${Math.round(outcome.ms)} ms`;
  if (outcome.status < 400) return `${outcome.status} ${ms}`;
  return `${outcome.status} "${summarizeErrorBody(outcome.json, outcome.text)}" ${ms}`;
}

function verdict(request: string, outcome: HttpOutcome, problem: string | null): CheckOutcome {
  const figures = {
    status: outcome.kind === 'response' ? outcome.status : null,
    ms: Math.round(outcome.ms),
  };
  const answer = describeAnswer(outcome);
  return problem === null
    ? { status: 'pass', detail: `${request} → ${answer}`, figures }
    : { status: 'fail', detail: `${request} → ${answer}: ${problem}`, figures };
}

export async function runHttpCheck(
  check: HttpCheck,
  ctx: SuiteRunContext,
  context: CheckContext,
): Promise<CheckOutcome> {
  const outcome = await send(
    {
      method: check.method,
      target: check.target,
      headers: check.headers,
      body: check.body,
      signal: context.signal,
      timeoutMs: context.timeoutMs,
    },
    ctx,
  );
  const request = describeTarget(check.method, check.target);
  if (outcome.kind !== 'response') return verdict(request, outcome, 'no answer');
  return verdict(request, outcome, judgeHttp(check, outcome));
}

function judgeHttp(check: HttpCheck, response: HttpResponse): string | null {
  const status = checkStatus(response.status, check.expect.status);
  if (status) return status;
  const body = checkText(response.text, check.expect.body, 'body');
  if (body) return body;
  if (check.expect.json.length === 0) return null;
  if (!response.isJson) return `body is not JSON: "${shortenText(response.text, 60)}"`;
  return checkJson(response.json, check.expect.json);
}

export async function runGenerateCheck(
  check: CompletionCheck | ChatCheck,
  ctx: SuiteRunContext,
  context: CheckContext,
): Promise<CheckOutcome> {
  const model = check.model ?? ctx.model;
  const body = {
    ...(model ? { model } : {}),
    ...(check.kind === 'completion' ? { prompt: check.prompt } : { messages: check.messages }),
    max_tokens: check.maxTokens,
    ...check.params,
  };
  const outcome = await send(
    {
      method: 'POST',
      target: check.target,
      headers: check.headers,
      body,
      signal: context.signal,
      timeoutMs: context.timeoutMs,
    },
    ctx,
  );
  const request = `${describeTarget('POST', check.target)} (${check.maxTokens} max tokens)`;
  if (outcome.kind !== 'response') return verdict(request, outcome, 'no answer');
  const problem = judgeGenerate(check, outcome);
  if (problem !== null) return verdict(request, outcome, problem);

  const text = readGeneratedText(outcome.json) ?? '';
  const result = verdict(request, outcome, null);
  const answer = `${outcome.status} "${shortenText(text, 40)}" in ${Math.round(outcome.ms)} ms`;
  return { ...result, detail: `${request} → ${answer}` };
}

function judgeGenerate(check: CompletionCheck | ChatCheck, response: HttpResponse) {
  const { expect } = check;
  const status = checkStatus(response.status, expect.status);
  if (status) return status;
  if (!response.isJson) return `body is not JSON: "${shortenText(response.text, 60)}"`;
  const text = readGeneratedText(response.json);
  if (text === null) return 'no generated text in the answer';
  return (
    checkText(text, expect.text, 'text') ??
    checkFinishReason(finishReasonOf(response.json), expect.finishReason) ??
    checkRange(readPromptTokens(response.json), expect.promptTokens, 'prompt tokens') ??
    checkRange(completionTokensOf(response.json), expect.completionTokens, 'completion tokens') ??
    checkJson(response.json, expect.json)
  );
}

function checkFinishReason(found: string | null, expected: string[] | null): string | null {
  if (expected === null || (found !== null && expected.includes(found))) return null;
  return `finish reason ${found ?? 'not reported'}, expected ${expected.join(' or ')}`;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function finishReasonOf(body: unknown): string | null {
  const choices = record(body)?.choices;
  const first = Array.isArray(choices) ? record(choices[0]) : null;
  return typeof first?.finish_reason === 'string' ? first.finish_reason : null;
}

export function completionTokensOf(body: unknown): number | null {
  const tokens = record(record(body)?.usage)?.completion_tokens;
  return typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0 ? tokens : null;
}
