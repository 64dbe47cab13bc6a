/**
 * Waits until the engine really serves: a generate answered with text, not only a 200 from
 * `/health` (liveness is not readiness). Polls with backoff until then, until the timeout,
 * or until the caller says the deployment died (a restart loop counts), whichever is first.
 */
import { formatDuration } from '../units.js';
import { isJsonOk, SHORT_MAX_TOKENS, SHORT_PROMPT } from './basic-checks.js';
import { describeOutcome, exchangeLine, healthWords } from './describe.js';
import { type EngineProfile, VLLM_PROFILE } from './engine-profile.js';
import type { EngineClient } from './http.js';
import { sleep } from './sleep.js';

export interface ReadinessOptions {
  client: EngineClient;
  profile?: EngineProfile;
  model?: string;
  timeoutMs: number;
  /** A reason when the deployment has died (process exited, container restarting), else null. */
  isDead?: () => string | null;
  /** Deadline of a health or model-list probe. */
  probeTimeoutMs?: number;
  /** Deadline of the generate; the first one on a fresh engine may compile kernels. */
  generateTimeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How often `isDead` is asked, also while a request is in flight. */
  deadPollMs?: number;
  signal?: AbortSignal;
  /** Called after each attempt that did not find the engine ready, for progress lines. */
  onAttempt?: (attempt: number, problem: string) => void;
}

export type ReadinessOutcome = 'ready' | 'timeout' | 'dead' | 'aborted';

export interface ReadinessResult {
  outcome: ReadinessOutcome;
  elapsedMs: number;
  attempts: number;
  /** One line: `ready after 42s (7 attempts): POST /v1/completions → 200`. */
  detail: string;
  /** What stood in the way at the last failed attempt. */
  lastProblem: string | null;
  /** The model `/v1/models` lists (the one asked for, else the first). */
  model: string | null;
  /** `max_model_len` as `/v1/models` reports it. */
  maxModelLen: number | null;
}

/**
 * Consecutive health answers that say the engine died before readiness gives up early:
 * one could come from a proxy in front of a restarting engine, three in a row do not.
 */
const DEAD_ANSWERS = 3;

export async function waitForReady(options: ReadinessOptions): Promise<ReadinessResult> {
  const { client } = options;
  const profile = options.profile ?? VLLM_PROFILE;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  const generateTimeoutMs = options.generateTimeoutMs ?? 60_000;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const started = performance.now();
  const elapsed = () => performance.now() - started;

  const stop = new AbortController();
  let deadReason: string | null = null;
  const askDead = () => {
    if (deadReason !== null || !options.isDead) return;
    deadReason = options.isDead();
    if (deadReason !== null) stop.abort();
  };
  const deadPoll = setInterval(askDead, options.deadPollMs ?? 250);
  const deadline = setTimeout(() => stop.abort(), options.timeoutMs);
  const onCallerAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  let model = options.model ?? null;
  let maxModelLen: number | null = null;
  let listed = false;
  let deadAnswers = 0;

  const request = (method: 'GET' | 'POST', path: string, timeoutMs: number, body?: unknown) =>
    client.request(method, path, { body, timeoutMs, signal: stop.signal });

  /** One try; returns the problem, or null when the engine served a generate. */
  const attempt = async (): Promise<string | null> => {
    const health = await request('GET', profile.paths.health, probeTimeoutMs);
    // 404: an engine without a health route; the generate decides
    if (health.kind !== 'response' || (health.status !== 200 && health.status !== 404)) {
      const state =
        health.kind === 'response'
          ? profile.healthState(health.status, health.json, health.text)
          : null;
      deadAnswers = state === 'dead' ? deadAnswers + 1 : 0;
      const said = state === null ? '' : healthWords(state);
      return exchangeLine(
        `GET ${profile.paths.health}`,
        '',
        describeOutcome(health, profile) + said,
      );
    }
    deadAnswers = 0;

    if (!listed) {
      const models = await request('GET', profile.paths.models, probeTimeoutMs);
      if (isJsonOk(models)) {
        listed = true;
        const cards = profile.readModelCards(models.json);
        const card = cards.find((c) => c.id === options.model) ?? cards[0];
        model = options.model ?? card?.id ?? null;
        maxModelLen = card?.maxContext ?? null;
      }
    }

    const path = profile.paths.completions;
    const body = profile.completionBody(model, SHORT_PROMPT, SHORT_MAX_TOKENS);
    const generate = await request('POST', path, generateTimeoutMs, body);
    if (isJsonOk(generate) && profile.readGeneratedText(generate.json) !== null) return null;
    const result = isJsonOk(generate)
      ? `${generate.status} without generated text`
      : describeOutcome(generate, profile);
    return exchangeLine(`POST ${path}`, '', result);
  };

  let attempts = 0;
  let lastProblem: string | null = null;
  let delayMs = options.initialDelayMs ?? 500;
  const finish = (outcome: ReadinessOutcome, detail: string): ReadinessResult => ({
    outcome,
    elapsedMs: Math.round(elapsed()),
    attempts,
    detail,
    lastProblem,
    model,
    maxModelLen,
  });

  const tries = () => `(${attempts} attempt${attempts === 1 ? '' : 's'})`;

  try {
    for (;;) {
      askDead();
      if (!stop.signal.aborted) {
        attempts += 1;
        const problem = await attempt();
        if (problem === null) {
          const took = `ready after ${formatDuration(elapsed())} ${tries()}`;
          return finish('ready', `${took}: POST ${profile.paths.completions} → 200`);
        }
        // a request cut short by the stop itself says nothing about the engine
        if (!stop.signal.aborted) {
          lastProblem = problem;
          options.onAttempt?.(attempts, problem);
        }
        askDead();
      }

      const last = lastProblem === null ? '' : `; last: ${lastProblem}`;
      if (deadReason === null && deadAnswers >= DEAD_ANSWERS) {
        const after = formatDuration(elapsed());
        return finish(
          'dead',
          `${profile.label} reported its engine dead after ${after} ${tries()}${last}`,
        );
      }
      if (deadReason !== null) {
        const after = formatDuration(elapsed());
        return finish('dead', `deployment died after ${after} ${tries()}: ${deadReason}${last}`);
      }
      if (options.signal?.aborted) {
        return finish('aborted', `cancelled after ${formatDuration(elapsed())} ${tries()}${last}`);
      }
      if (stop.signal.aborted) {
        const within = formatDuration(options.timeoutMs);
        return finish('timeout', `not ready within ${within} ${tries()}${last}`);
      }

      await sleep(delayMs, stop.signal);
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  } finally {
    clearInterval(deadPoll);
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
