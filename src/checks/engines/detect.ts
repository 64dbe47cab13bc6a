/**
 * Which engine is behind an endpoint, from routes only that engine answers: TGI's `/info`,
 * llama.cpp's `/props` (or its "Loading model" 503), SGLang's `/get_model_info`, Ollama's
 * "Ollama is running" and `/api/tags`, the `owned_by` of `/v1/models` cards, and vLLM's
 * `/version` beside a `max_model_len`. A server that answers none of these but lists models
 * is a generic OpenAI-compatible one. Polls while nothing answers: engines bind their port
 * before the model is loaded, or only after.
 */
import { formatDuration } from '../../units.js';
import type { EngineName } from '../engine-profile.js';
import type { EngineClient, HttpOutcome } from '../http.js';
import { sleep } from '../sleep.js';
import { isRecord } from './json.js';

/** The routes asked, in the order their answers are trusted. */
export const DETECTION_PROBES = [
  '/info',
  '/props',
  '/get_model_info',
  '/',
  '/api/tags',
  '/health',
  '/v1/models',
  '/version',
] as const;

export type ProbePath = (typeof DETECTION_PROBES)[number];

export type ProbeAnswers = Partial<Record<ProbePath, HttpOutcome>>;

const OWNERS: Record<string, EngineName> = { vllm: 'vllm', sglang: 'sglang', llamacpp: 'llamacpp' };

function okJson(outcome: HttpOutcome | undefined): Record<string, unknown> | null {
  if (outcome?.kind !== 'response' || outcome.status !== 200) return null;
  return isRecord(outcome.json) ? outcome.json : null;
}

function modelCards(outcome: HttpOutcome | undefined): Record<string, unknown>[] | null {
  const body = okJson(outcome);
  return body && Array.isArray(body.data) ? body.data.filter(isRecord) : null;
}

/** What one answer shows on its own, with the words that say why. Pure. */
export function engineFromAnswer(
  path: ProbePath,
  answers: ProbeAnswers,
): { engine: EngineName; why: string } | null {
  const outcome = answers[path];
  const body = okJson(outcome);
  switch (path) {
    case '/info':
      if (body && typeof body.model_id === 'string' && 'max_total_tokens' in body) {
        return { engine: 'tgi', why: 'GET /info has model_id and max_total_tokens' };
      }
      return null;
    case '/props':
      if (body && ('default_generation_settings' in body || 'total_slots' in body)) {
        return { engine: 'llamacpp', why: 'GET /props has default_generation_settings' };
      }
      return null;
    case '/get_model_info':
      if (body && typeof body.model_path === 'string') {
        return { engine: 'sglang', why: 'GET /get_model_info has model_path' };
      }
      return null;
    case '/':
      if (outcome?.kind === 'response' && /Ollama is running/.test(outcome.text)) {
        return { engine: 'ollama', why: 'GET / says "Ollama is running"' };
      }
      return null;
    case '/api/tags':
      if (body && Array.isArray(body.models)) {
        return { engine: 'ollama', why: 'GET /api/tags lists models' };
      }
      return null;
    case '/health': {
      const error =
        outcome?.kind === 'response' && isRecord(outcome.json) ? outcome.json.error : null;
      if (outcome?.kind === 'response' && outcome.status === 503 && isRecord(error)) {
        if (error.type === 'unavailable_error' && /loading model/i.test(String(error.message))) {
          return { engine: 'llamacpp', why: 'GET /health answers llama.cpp\'s "Loading model"' };
        }
      }
      return null;
    }
    case '/v1/models': {
      const owner = modelCards(outcome)?.[0]?.owned_by;
      const engine = typeof owner === 'string' ? OWNERS[owner] : undefined;
      return engine ? { engine, why: `GET /v1/models cards are owned_by "${owner}"` } : null;
    }
    case '/version': {
      const cards = modelCards(answers['/v1/models']);
      const withLen = cards?.some((card) => typeof card.max_model_len === 'number');
      if (body && typeof body.version === 'string' && withLen) {
        return { engine: 'vllm', why: 'GET /version and max_model_len in GET /v1/models' };
      }
      return null;
    }
  }
}

export type Decision =
  | { decided: true; engine: EngineName; why: string }
  | { decided: false; why: string };

/**
 * The engine the answers show. Several signatures that disagree (a proxy in front of one
 * engine) resolve to the hint when it is among them, else to the most trusted. Answers that
 * show nothing decide `openai` only once a route answered 2xx; refusals and 5xx mean the
 * server is still starting.
 */
export function decideEngine(answers: ProbeAnswers, hint: EngineName | null): Decision {
  const hits = (paths: readonly ProbePath[]) =>
    paths.map((path) => engineFromAnswer(path, answers)).filter((hit) => hit !== null);
  // `/version` is a weak sign (other servers have one): it counts only when nothing else does.
  const strong = hits(DETECTION_PROBES.filter((path) => path !== '/version'));
  const found = strong.length > 0 ? strong : hits(['/version']);
  const chosen = found.find((hit) => hit.engine === hint) ?? found[0];
  if (chosen) return { decided: true, ...chosen };

  const served = Object.values(answers).some(
    (outcome) => outcome?.kind === 'response' && outcome.status >= 200 && outcome.status < 300,
  );
  if (served && modelCards(answers['/v1/models']) !== null) {
    return {
      decided: true,
      engine: 'openai',
      why: 'GET /v1/models answers; no engine-specific route does',
    };
  }
  if (served && hint !== null) {
    return {
      decided: true,
      engine: hint,
      why: `no route names the engine; the config says ${hint}`,
    };
  }
  const outcomes = Object.values(answers);
  const answered = outcomes.some((outcome) => outcome?.kind === 'response');
  // Say what the probes met: refused connections and silence call for different fixes.
  const failure = outcomes.find((outcome) => outcome && outcome.kind !== 'response');
  const silent = failure && 'message' in failure ? `nothing answers yet: ${failure.message}` : null;
  return {
    decided: false,
    why: answered
      ? 'the server answers, but no route names an engine yet'
      : (silent ?? 'nothing answers yet'),
  };
}

export interface DetectOptions {
  client: EngineClient;
  /** The engine the candidate config names, if any. */
  hint: EngineName | null;
  timeoutMs: number;
  probeTimeoutMs?: number;
  /** A reason once the deployment has died; detection then stops at once. */
  isDead?: () => string | null;
  onAttempt?: (attempt: number, why: string) => void;
  signal?: AbortSignal;
}

export interface Detection {
  engine: EngineName | null;
  /** One line: what showed the engine, or why none was found. */
  detail: string;
  elapsedMs: number;
}

export async function detectEngine(options: DetectOptions): Promise<Detection> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const probeTimeoutMs = options.probeTimeoutMs ?? 3000;
  let delayMs = 250;
  let last = 'nothing answered';

  for (let attempt = 1; ; attempt++) {
    const answers: ProbeAnswers = {};
    await Promise.all(
      DETECTION_PROBES.map(async (path) => {
        answers[path] = await options.client.request('GET', path, { timeoutMs: probeTimeoutMs });
      }),
    );
    const decision = decideEngine(answers, options.hint);
    if (decision.decided) {
      return { engine: decision.engine, detail: decision.why, elapsedMs: elapsed() };
    }
    last = decision.why;
    options.onAttempt?.(attempt, last);

    const dead = options.isDead?.() ?? null;
    if (dead !== null)
      return { engine: null, detail: `deployment died: ${dead}`, elapsedMs: elapsed() };
    const left = options.timeoutMs - (performance.now() - started);
    if (left <= 0) {
      const within = formatDuration(options.timeoutMs);
      return {
        engine: null,
        detail: `no engine recognised within ${within}: ${last}`,
        elapsedMs: elapsed(),
      };
    }
    await sleep(Math.min(delayMs, left), options.signal ?? new AbortController().signal);
    if (options.signal?.aborted) {
      return { engine: null, detail: `cancelled: ${last}`, elapsedMs: elapsed() };
    }
    delayMs = Math.min(delayMs * 2, 5000);
  }
}
