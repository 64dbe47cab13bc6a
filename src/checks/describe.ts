/**
 * The words of check details: one line that says what was sent and what came back,
 * e.g. `POST /v1/completions with 117,900 prompt tokens → 500 "CUDA error: ..."`.
 */
import type { EngineProfile, HealthState } from './engine-profile.js';
import { shortenText } from './error-body.js';
import type { HttpOutcome } from './http.js';

/** `117,900`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `120K`, `950`: short token counts for prose. */
export function formatTokensShort(tokens: number): string {
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}K` : String(Math.round(tokens));
}

/** What came back, after the arrow: `200`, `500 "CUDA error"`, `no answer within 30s`. */
export function describeOutcome(outcome: HttpOutcome, profile: EngineProfile): string {
  if (outcome.kind !== 'response') return outcome.message;
  if (outcome.status >= 200 && outcome.status < 300) {
    if (outcome.isJson) return String(outcome.status);
    return `${outcome.status} with a body that is not JSON: "${shortenText(outcome.text, 80)}"`;
  }
  return `${outcome.status} "${profile.summarizeError(outcome.json, outcome.text)}"`;
}

/** `POST /v1/completions with 8 prompt tokens → 200`; `what` may be empty. */
export function exchangeLine(request: string, what: string, result: string): string {
  return `${request}${what ? ` ${what}` : ''} → ${result}`;
}

/** Status of an outcome for figures: the HTTP status, or null when none came. */
export function statusOf(outcome: HttpOutcome): number | null {
  return outcome.kind === 'response' ? outcome.status : null;
}

const HEALTH_WORDS: Record<HealthState, string> = {
  ready: 'ready',
  loading: 'still loading',
  dead: 'the engine reports itself dead',
  unhealthy: 'not healthy',
};

/** ` (still loading)`: what a failed health answer means, after its status and body. */
export function healthWords(state: HealthState): string {
  return ` (${HEALTH_WORDS[state]})`;
}
