/**
 * The short checks of the critical path: health, the model list, a completion and a chat
 * completion. Each sends one request under the check's deadline and says in one line what
 * it sent and what came back.
 */
import { describeOutcome, exchangeLine, formatCount, statusOf } from './describe.js';
import type { EngineProfile } from './engine-profile.js';
import { shortenText } from './error-body.js';
import type { EngineClient, HttpOutcome, HttpResponse } from './http.js';
import type { CheckContext } from './run-check.js';
import type { CheckOutcome } from './types.js';

export interface CheckDeps {
  client: EngineClient;
  profile: EngineProfile;
}

/** A prompt any model answers in a few tokens. */
export const SHORT_PROMPT = 'Say OK';
export const SHORT_MAX_TOKENS = 8;

function requestOptions(context: CheckContext, body?: unknown) {
  return { body, timeoutMs: context.timeoutMs, signal: context.signal };
}

export function isJsonOk(outcome: HttpOutcome): outcome is HttpResponse {
  return (
    outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300 && outcome.isJson
  );
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** `GET /health`: liveness only. A 200 here proves nothing about generation (see generate). */
export async function checkHealth(deps: CheckDeps, context: CheckContext): Promise<CheckOutcome> {
  const path = deps.profile.paths.health;
  const outcome = await deps.client.request('GET', path, requestOptions(context));
  const ok = outcome.kind === 'response' && outcome.status === 200;
  const result = ok ? `200 in ${ms(outcome.ms)}` : describeOutcome(outcome, deps.profile);
  return {
    status: ok ? 'pass' : 'fail',
    detail: exchangeLine(`GET ${path}`, '', result),
    figures: { status: statusOf(outcome), ms: Math.round(outcome.ms) },
  };
}

export interface ModelsFinding {
  outcome: CheckOutcome;
  /** The model the later checks address; null when the list could not be read. */
  model: string | null;
  advertisedMaxContext: number | null;
}

/**
 * `GET /v1/models`: the model is served, and the max context it advertises is the one the
 * config asks for. A server that quietly clamps the context fails here, before any prompt.
 */
export async function checkModels(
  deps: CheckDeps,
  wanted: { model?: string | undefined; configuredMaxContext?: number | undefined },
  context: CheckContext,
): Promise<ModelsFinding> {
  const path = deps.profile.paths.models;
  const request = `GET ${path}`;
  const outcome = await deps.client.request('GET', path, requestOptions(context));
  const configured = wanted.configuredMaxContext ?? null;
  const none = { model: null, advertisedMaxContext: null };

  if (!isJsonOk(outcome)) {
    const detail = exchangeLine(request, '', describeOutcome(outcome, deps.profile));
    return { ...none, outcome: { status: 'fail', detail, figures: { status: statusOf(outcome) } } };
  }

  const cards = deps.profile.readModelCards(outcome.json);
  const card = wanted.model ? cards.find((c) => c.id === wanted.model) : cards[0];
  if (!card) {
    const listed = cards.map((c) => `"${c.id}"`).join(', ');
    const what =
      cards.length === 0 ? 'lists no model' : `lists ${listed} but not "${wanted.model}"`;
    const detail = exchangeLine(request, '', `${outcome.status}, ${shortenText(what, 160)}`);
    return { ...none, outcome: { status: 'fail', detail, figures: { models: cards.length } } };
  }

  const advertised = card.maxContext;
  const figures = {
    status: outcome.status,
    models: cards.length,
    advertisedMaxContext: advertised,
    configuredMaxContext: configured,
  };
  const found = { model: card.id, advertisedMaxContext: advertised };
  const head = `${request} → ${outcome.status}: "${card.id}"`;

  if (configured !== null && advertised !== null && advertised !== configured) {
    const detail =
      `${head} advertises a max context of ${formatCount(advertised)} tokens; ` +
      `the config sets ${formatCount(configured)}`;
    return { ...found, outcome: { status: 'fail', detail, configKey: 'max-model-len', figures } };
  }
  if (advertised === null) {
    const detail =
      configured === null
        ? `${head}, max context not advertised`
        : `${head}, max context not advertised; cannot confirm the configured ` +
          `${formatCount(configured)}`;
    return {
      ...found,
      outcome: { status: configured === null ? 'pass' : 'warn', detail, figures },
    };
  }
  const detail = `${head}, max context ${formatCount(advertised)} tokens`;
  return { ...found, outcome: { status: 'pass', detail, figures } };
}

async function checkAnswer(
  deps: CheckDeps,
  path: string,
  body: unknown,
  context: CheckContext,
): Promise<CheckOutcome> {
  const request = `POST ${path}`;
  const what = `(${SHORT_MAX_TOKENS} max tokens)`;
  const outcome = await deps.client.request('POST', path, requestOptions(context, body));
  const figures = { status: statusOf(outcome), ms: Math.round(outcome.ms) };

  if (!isJsonOk(outcome)) {
    const detail = exchangeLine(request, what, describeOutcome(outcome, deps.profile));
    return { status: 'fail', detail, figures };
  }
  const text = deps.profile.readGeneratedText(outcome.json);
  if (text === null) {
    const detail = exchangeLine(request, what, `${outcome.status} without generated text`);
    return { status: 'fail', detail, figures };
  }
  const result = `${outcome.status} "${shortenText(text, 40)}" in ${ms(outcome.ms)}`;
  return { status: 'pass', detail: exchangeLine(request, what, result), figures };
}

/** A short completion: the one request that shows the engine can serve at all. */
export function checkGenerate(
  deps: CheckDeps,
  model: string | null,
  context: CheckContext,
): Promise<CheckOutcome> {
  const body = deps.profile.completionBody(model, SHORT_PROMPT, SHORT_MAX_TOKENS);
  return checkAnswer(deps, deps.profile.paths.completions, body, context);
}

/** A short chat completion: the chat template and the chat route work. */
export function checkChat(
  deps: CheckDeps,
  model: string | null,
  context: CheckContext,
): Promise<CheckOutcome> {
  const body = deps.profile.chatBody(model, SHORT_PROMPT, SHORT_MAX_TOKENS, false);
  return checkAnswer(deps, deps.profile.paths.chat, body, context);
}
