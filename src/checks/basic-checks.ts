/**
 * The short checks of the critical path: health, the model list, a completion and a chat
 * completion. Each sends one request under the check's deadline and says in one line what
 * it sent and what came back.
 */
import { describeOutcome, exchangeLine, formatCount, healthWords, statusOf } from './describe.js';
import type { EngineProfile } from './engine-profile.js';
import { shortenText } from './error-body.js';
import type { EngineClient, HttpOutcome, HttpResponse } from './http.js';
import type { RopeLimit } from './rope-limit.js';
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
  const said =
    outcome.kind === 'response' && !ok
      ? healthWords(deps.profile.healthState(outcome.status, outcome.json, outcome.text))
      : '';
  const result = ok ? `200 in ${ms(outcome.ms)}` : describeOutcome(outcome, deps.profile) + said;
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

/** What the config says of the context, to compare with what the server advertises. */
export interface WantedModel {
  model?: string | undefined;
  configuredMaxContext?: number | undefined;
  /** The longest context the config's rope scaling reaches, and how it was reached. */
  rope?: RopeLimit | null | undefined;
  /** Slots sharing the context (llama.cpp `--parallel`), to explain a per-slot figure. */
  parallel?: number | null | undefined;
}

/**
 * The model list: the model is served, and the max context it advertises (read from a second
 * route where the engine keeps it apart) is the one the config asks for and no more than
 * its rope scaling reaches. A server that quietly clamps or stretches the context fails
 * here, before any prompt.
 */
export async function checkModels(
  deps: CheckDeps,
  wanted: WantedModel,
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

  const fromList = card.maxContext;
  const read = fromList === null ? await readContextRoute(deps, card.id, context) : null;
  const advertised = fromList ?? read?.tokens ?? null;
  const source = fromList === null && read?.tokens != null ? ` (GET ${read.path})` : '';
  const figures = {
    status: outcome.status,
    models: cards.length,
    advertisedMaxContext: advertised,
    configuredMaxContext: configured,
    ropeReach: wanted.rope?.reach ?? null,
  };
  const found = { model: card.id, advertisedMaxContext: advertised };
  const head = `${request} → ${outcome.status}: "${card.id}"`;

  if (advertised !== null) {
    const problems = contextProblems(deps.profile, advertised, wanted);
    if (problems.length > 0) {
      const detail =
        `${head} advertises a max context of ${formatCount(advertised)} tokens${source}; ` +
        problems.join('; ');
      return { ...found, outcome: { status: 'fail', detail, configKey: 'max-model-len', figures } };
    }
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
  const detail = `${head}, max context ${formatCount(advertised)} tokens${source}`;
  return { ...found, outcome: { status: 'pass', detail, figures } };
}

/** Why an advertised max context is wrong: not the configured one, or beyond the rope. */
function contextProblems(profile: EngineProfile, advertised: number, wanted: WantedModel) {
  const problems: string[] = [];
  const configured = wanted.configuredMaxContext;
  if (configured !== undefined && advertised !== configured) {
    const note = profile.contextNote?.(advertised, configured, wanted.parallel ?? null);
    problems.push(`the config sets ${formatCount(configured)}${note ? ` (${note})` : ''}`);
  }
  const rope = wanted.rope;
  if (rope && advertised > rope.reach) {
    problems.push(
      `the rope scaling reaches only ${formatCount(rope.reach)} (${rope.how}): ` +
        'positions beyond it are out of what the model was stretched to',
    );
  }
  return problems;
}

/** The max context from the engine's second route (`/props`, `/api/ps`), if it has one. */
async function readContextRoute(
  deps: CheckDeps,
  model: string,
  context: CheckContext,
): Promise<{ path: string; tokens: number | null } | null> {
  const path = deps.profile.paths.context;
  if (path === null) return null;
  const outcome = await deps.client.request('GET', path, requestOptions(context));
  return { path, tokens: isJsonOk(outcome) ? deps.profile.readContext(outcome.json, model) : null };
}

async function checkAnswer(
  deps: CheckDeps,
  path: string,
  body: unknown,
  context: CheckContext,
  healthOnFailure = false,
): Promise<CheckOutcome> {
  const request = `POST ${path}`;
  const what = `(${SHORT_MAX_TOKENS} max tokens)`;
  const outcome = await deps.client.request('POST', path, requestOptions(context, body));
  const figures = { status: statusOf(outcome), ms: Math.round(outcome.ms) };
  const failed = async (result: string): Promise<CheckOutcome> => {
    const note = healthOnFailure ? await healthWhileFailing(deps, context) : '';
    return { status: 'fail', detail: exchangeLine(request, what, result) + note, figures };
  };

  if (!isJsonOk(outcome)) return failed(describeOutcome(outcome, deps.profile));
  const text = deps.profile.readGeneratedText(outcome.json);
  if (text === null) return failed(`${outcome.status} without generated text`);
  const result = `${outcome.status} "${shortenText(text, 40)}" in ${ms(outcome.ms)}`;
  return { status: 'pass', detail: exchangeLine(request, what, result), figures };
}

/** How long a failed generate's check may take for one more look at health. */
const HEALTH_NOTE_TIMEOUT_MS = 2000;

/**
 * When generate fails, what health says at the same moment: a 200 there is the lie of
 * failure-kinds #1 (the process is alive, the engine cannot serve), worth saying in words.
 */
async function healthWhileFailing(deps: CheckDeps, context: CheckContext): Promise<string> {
  if (context.signal.aborted) return '';
  const path = deps.profile.paths.health;
  const outcome = await deps.client.request('GET', path, {
    timeoutMs: HEALTH_NOTE_TIMEOUT_MS,
    signal: context.signal,
  });
  if (outcome.kind !== 'response' || outcome.status !== 200) return '';
  return (
    ` while GET ${path} → 200: ${path} only shows the process is alive, ` +
    'not that the engine can serve'
  );
}

/** A short completion: the one request that shows the engine can serve at all. */
export function checkGenerate(
  deps: CheckDeps,
  model: string | null,
  context: CheckContext,
): Promise<CheckOutcome> {
  const body = deps.profile.completionBody(model, SHORT_PROMPT, SHORT_MAX_TOKENS);
  return checkAnswer(deps, deps.profile.paths.completions, body, context, true);
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
