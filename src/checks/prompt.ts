/**
 * Prompts of a chosen length. Words are common English words that most tokenizers keep
 * whole, so one word is about one token (exactly one in the simulator); a first probe reads
 * the engine's own `usage.prompt_tokens` to correct the ratio on a real tokenizer.
 */
import type { EngineProfile } from './engine-profile.js';
import type { EngineClient } from './http.js';

const WORDS = (
  'the of and to in is it that was for on are with as at be this have from or one had by ' +
  'but not what all were we when can there use an each which do how if will up other about ' +
  'out many then them these so some would make like him into time has look two more see'
).split(' ');

/** Words at the start of a prompt that spell its seed: 61³ = 226,981 distinct starts. */
const SEED_WORDS = 3;

/** The last seed there is; no other prompt uses it. */
const CALIBRATION_SEED = WORDS.length ** SEED_WORDS - 1;

/**
 * A prompt of `words` words. `seed` sets its first words, so prompts with different seeds
 * share no prefix: vLLM's prefix cache would otherwise skip the very prefill a long-context
 * request is meant to exercise.
 */
export function buildPrompt(words: number, seed = 0): string {
  const count = Math.max(1, Math.floor(words));
  const out: string[] = [];
  let rest = Math.abs(Math.floor(seed));
  for (let i = 0; i < Math.min(SEED_WORDS, count); i += 1) {
    out.push(WORDS[rest % WORDS.length]!);
    rest = Math.floor(rest / WORDS.length);
  }
  for (let i = out.length; i < count; i += 1) out.push(WORDS[i % WORDS.length]!);
  return out.join(' ');
}

/** How many tokens one prompt word costs on this engine. */
export interface PromptCalibration {
  probeWords: number;
  /** `usage.prompt_tokens` of the probe; null when the engine did not report it. */
  probeTokens: number | null;
  tokensPerWord: number;
  /** False when the ratio is the simulator's 1:1 guess, not a measurement. */
  measured: boolean;
}

export const UNCALIBRATED: PromptCalibration = {
  probeWords: 0,
  probeTokens: null,
  tokensPerWord: 1,
  measured: false,
};

/** Words to send for a prompt of about `tokens` tokens. */
export function wordsForTokens(tokens: number, calibration: PromptCalibration): number {
  return Math.max(1, Math.floor(tokens / calibration.tokensPerWord));
}

/** Tokens a prompt of `words` words is expected to cost. */
export function tokensForWords(words: number, calibration: PromptCalibration): number {
  return Math.round(words * calibration.tokensPerWord);
}

export interface CalibrateOptions {
  model: string | null;
  probeWords?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Sends one probe prompt and measures tokens per word from the engine's usage report.
 * Never fails: without a usable answer the 1:1 guess stands and `problem` says why.
 */
export async function calibratePrompt(
  client: EngineClient,
  profile: EngineProfile,
  options: CalibrateOptions,
): Promise<{ calibration: PromptCalibration; problem: string | null }> {
  const probeWords = options.probeWords ?? 512;
  // its own seed, so the probe leaves no prefix in the cache for later prompts to reuse
  const body = profile.completionBody(options.model, buildPrompt(probeWords, CALIBRATION_SEED), 1);
  const outcome = await client.request('POST', profile.paths.completions, {
    body,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  if (outcome.kind !== 'response') {
    return { calibration: UNCALIBRATED, problem: outcome.message };
  }
  if (outcome.status !== 200) {
    return { calibration: UNCALIBRATED, problem: `probe answered ${outcome.status}` };
  }
  const probeTokens = profile.readPromptTokens(outcome.json);
  if (probeTokens === null || probeTokens === 0) {
    return { calibration: UNCALIBRATED, problem: 'probe answer reported no prompt_tokens' };
  }
  const calibration = {
    probeWords,
    probeTokens,
    tokensPerWord: probeTokens / probeWords,
    measured: true,
  };
  return { calibration, problem: null };
}
