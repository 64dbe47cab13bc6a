/**
 * The checks at the edge of the context: a prompt near the max context must be served in
 * full (not refused, not silently truncated), and a prompt above it must be refused
 * cleanly. Both concern `max-model-len`.
 */
import type { CheckDeps } from './basic-checks.js';
import { isJsonOk } from './basic-checks.js';
import { describeOutcome, exchangeLine, formatCount, statusOf } from './describe.js';
import { buildPrompt, type PromptCalibration, tokensForWords, wordsForTokens } from './prompt.js';
import type { CheckContext } from './run-check.js';
import type { CheckOutcome } from './types.js';

const CONFIG_KEY = 'max-model-len';

/** Tokens the long-context request may generate; a prefill test, not a decode test. */
export const LONG_MAX_TOKENS = 16;

/**
 * Below this share of the tokens sent, the engine dropped part of the prompt. Calibration
 * error on a real tokenizer is a few percent; truncation to fit a context is far more.
 */
export const TRUNCATION_RATIO = 0.9;

/** Seeds that keep the check prompts apart in the prefix cache (the soak uses others). */
const LONG_CONTEXT_SEED = 1;
const OVER_LIMIT_SEED = 2;

/**
 * Prompt tokens of the long-context request: `longContextTokens` when given, else the max
 * context less the tokens to generate and a margin (2%, at least 32) for calibration error.
 */
export function longContextTarget(plan: {
  maxContext: number | null;
  longContextTokens?: number | undefined;
}): number | null {
  if (plan.longContextTokens !== undefined) return plan.longContextTokens;
  if (plan.maxContext === null) return null;
  const margin = Math.max(32, Math.ceil(plan.maxContext * 0.02));
  return Math.max(1, plan.maxContext - LONG_MAX_TOKENS - margin);
}

/** Prompt tokens of the over-limit request: 5% (at least 64) above the max context. */
export function overLimitTarget(maxContext: number): number {
  return maxContext + Math.max(64, Math.ceil(maxContext * 0.05));
}

export interface ContextCheckInput {
  model: string | null;
  calibration: PromptCalibration;
  /** The max context the prompt is sized against (configured, else advertised). */
  maxContext: number | null;
}

function promptFor(tokens: number, calibration: PromptCalibration, seed: number) {
  const words = wordsForTokens(tokens, calibration);
  return { prompt: buildPrompt(words, seed), words, sent: tokensForWords(words, calibration) };
}

export async function checkLongContext(
  deps: CheckDeps,
  input: ContextCheckInput & {
    longContextTokens?: number | undefined;
    /** Why the calibration probe failed, if it did; shown in the figures. */
    calibrationProblem?: string | null;
  },
  context: CheckContext,
): Promise<CheckOutcome> {
  const target = longContextTarget(input);
  if (target === null) {
    const detail =
      'not run: no max context known (the server advertises none and none is configured); ' +
      'set long-context-tokens';
    return { status: 'skip', detail };
  }

  const path = deps.profile.paths.completions;
  const { prompt, words, sent } = promptFor(target, input.calibration, LONG_CONTEXT_SEED);
  const body = deps.profile.completionBody(input.model, prompt, LONG_MAX_TOKENS);
  const outcome = await deps.client.request('POST', path, {
    body,
    timeoutMs: context.timeoutMs,
    signal: context.signal,
  });

  const request = `POST ${path}`;
  const what = `with ${formatCount(sent)} prompt tokens`;
  const figures = {
    status: statusOf(outcome),
    ms: Math.round(outcome.ms),
    tokensSent: sent,
    tokensProcessed: null as number | null,
    wordsSent: words,
    maxContext: input.maxContext,
    calibrated: input.calibration.measured,
    tokensPerWord: Number(input.calibration.tokensPerWord.toFixed(4)),
    calibrationProblem: input.calibrationProblem ?? null,
  };

  if (!isJsonOk(outcome) || deps.profile.readGeneratedText(outcome.json) === null) {
    const result = isJsonOk(outcome)
      ? `${outcome.status} without generated text`
      : describeOutcome(outcome, deps.profile);
    const detail = exchangeLine(request, what, result);
    return { status: 'fail', detail, configKey: CONFIG_KEY, figures };
  }

  const processed = deps.profile.readPromptTokens(outcome.json);
  figures.tokensProcessed = processed;
  const seconds = `${(outcome.ms / 1000).toFixed(1)} s`;
  if (deps.profile.readTruncated(outcome.json) === true) {
    const kept = processed === null ? '' : ` to ${formatCount(processed)} tokens`;
    const result = `${outcome.status}, but the engine says it truncated the prompt${kept}`;
    return {
      status: 'fail',
      detail: exchangeLine(request, what, result),
      configKey: CONFIG_KEY,
      figures,
    };
  }
  if (processed === null) {
    const result =
      `${outcome.status} in ${seconds}, but no usage.prompt_tokens: ` +
      'cannot tell whether the prompt was truncated';
    return { status: 'warn', detail: exchangeLine(request, what, result), figures };
  }
  if (processed < sent * TRUNCATION_RATIO) {
    const result =
      `${outcome.status}, but the engine processed only ${formatCount(processed)} ` +
      'prompt tokens (silently truncated)';
    const detail = exchangeLine(request, what, result);
    return { status: 'fail', detail, configKey: CONFIG_KEY, figures };
  }
  const processedLine = `${formatCount(processed)} prompt tokens processed`;
  const result = `${outcome.status} in ${seconds}, ${processedLine}`;
  return { status: 'pass', detail: exchangeLine(request, what, result), figures };
}

export async function checkOverLimit(
  deps: CheckDeps,
  input: ContextCheckInput,
  context: CheckContext,
): Promise<CheckOutcome> {
  if (input.maxContext === null) {
    const detail = 'not run: no max context known (the server advertises none, none configured)';
    return { status: 'skip', detail };
  }

  const path = deps.profile.paths.completions;
  const target = overLimitTarget(input.maxContext);
  const { prompt, words, sent } = promptFor(target, input.calibration, OVER_LIMIT_SEED);
  const body = deps.profile.completionBody(input.model, prompt, LONG_MAX_TOKENS);
  const outcome = await deps.client.request('POST', path, {
    body,
    timeoutMs: context.timeoutMs,
    signal: context.signal,
  });

  const request = `POST ${path}`;
  const what = `with ${formatCount(sent)} prompt tokens (max ${formatCount(input.maxContext)})`;
  const line = (result: string) => exchangeLine(request, what, result);
  const figures = {
    status: statusOf(outcome),
    tokensSent: sent,
    wordsSent: words,
    maxContext: input.maxContext,
    tokensProcessed: isJsonOk(outcome) ? deps.profile.readPromptTokens(outcome.json) : null,
  };
  const fail = (detail: string): CheckOutcome => ({
    status: 'fail',
    detail,
    configKey: CONFIG_KEY,
    figures,
  });

  if (outcome.kind !== 'response') return fail(line(outcome.message));
  const described = describeOutcome(outcome, deps.profile);

  if (outcome.status >= 200 && outcome.status < 300) {
    const processed = figures.tokensProcessed;
    if (processed === null) return fail(line(`${described}: answered instead of refusing`));
    const count = `${formatCount(processed)} prompt tokens processed`;
    // Fewer tokens than sent and no more than the context holds: the engine cut the prompt,
    // even when what it kept is close to what was sent.
    const truncated =
      processed < sent * TRUNCATION_RATIO ||
      (processed < sent && processed <= (input.maxContext ?? 0)) ||
      deps.profile.readTruncated(outcome.json) === true;
    if (truncated && deps.profile.truncatesOverLimit) {
      // By design (Ollama): not the candidate's fault, but every client must know it.
      const why =
        `${deps.profile.label} drops the start of an over-long prompt instead of refusing ` +
        'it; clients must keep prompts under the context themselves';
      return { status: 'warn', detail: line(`${described}, ${count}: ${why}`), figures };
    }
    const why = truncated
      ? 'the prompt was silently truncated instead of refused'
      : 'served beyond the max context instead of refusing';
    return fail(line(`${described}, ${count}: ${why}`));
  }
  if (outcome.status >= 500) {
    return fail(line(`${described}: the server failed instead of refusing the prompt`));
  }
  const refusedCleanly =
    deps.profile.overLimitStatuses.includes(outcome.status) &&
    deps.profile.readErrorMessage(outcome.json) !== null;
  if (!refusedCleanly) {
    const expected = deps.profile.overLimitStatuses.join(' or ');
    const detail = line(`${described}: refused, but not with ${expected} and an error body`);
    return { status: 'warn', detail, figures };
  }
  return { status: 'pass', detail: line(described), figures };
}
