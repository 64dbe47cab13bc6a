/**
 * The soak load: for a duration, keep `concurrency` completions in flight, a mix of
 * long-context and short prompts, each under its own deadline. The load only drives and
 * counts; memory is sampled by the caller, who hears of each request through
 * `onRequestDone`, and health is watched beside it through the in-flight tracker.
 */
import { isJsonOk } from '../checks/basic-checks.js';
import {
  DEFAULT_CHECK_TIMEOUT_MS,
  DEFAULT_LONG_CONTEXT_TIMEOUT_MS,
} from '../checks/critical-path.js';
import { describeOutcome } from '../checks/describe.js';
import { type EngineProfile, VLLM_PROFILE } from '../checks/engine-profile.js';
import type { EngineClient } from '../checks/http.js';
import {
  buildPrompt,
  type PromptCalibration,
  tokensForWords,
  UNCALIBRATED,
  wordsForTokens,
} from '../checks/prompt.js';
import { sleep } from '../checks/sleep.js';
import { createInFlightTracker, type InFlightTracker } from './in-flight.js';
import {
  addFailure,
  type FailureSample,
  kindOfRequest,
  type LatencySummary,
  type RequestMix,
  summarizeLatency,
} from './soak-stats.js';
import type { RequestKind } from './types.js';

export interface SoakRequestDone {
  kind: RequestKind;
  ok: boolean;
  /** HTTP status; null when no answer came. */
  status: number | null;
  ms: number;
  promptTokens: number;
  /** One line when the request failed. */
  error: string | null;
}

export interface SoakOptions extends RequestMix {
  client: EngineClient;
  profile?: EngineProfile;
  model?: string | null;
  durationMs: number;
  concurrency: number;
  /** Prompt tokens of a long request (near the max context). */
  longPromptTokens: number;
  shortPromptTokens?: number;
  maxTokens?: number;
  /** Deadline of a long request; the long-context check's by default. */
  longTimeoutMs?: number;
  /** Deadline of a short request; a short check's by default. */
  shortTimeoutMs?: number;
  /** From the critical path, so long prompts land near their target on a real tokenizer. */
  calibration?: PromptCalibration;
  /** Shared with the health watcher; one is made when absent. */
  tracker?: InFlightTracker;
  /** Aborts the requests in flight and ends the soak. */
  signal?: AbortSignal;
  onRequestDone?: (done: SoakRequestDone) => void;
  /** Clock of the duration and of failure times, epoch ms. */
  now?: () => number;
}

export interface KindStats {
  sent: number;
  completed: number;
  failed: number;
  /** Cut off by the caller's signal: neither a success nor the engine's fault. */
  aborted: number;
  latency: LatencySummary | null;
}

export interface SoakSummary {
  durationMs: number;
  stoppedBy: 'duration' | 'signal';
  sent: number;
  completed: number;
  failed: number;
  byKind: Record<RequestKind, KindStats>;
  maxInFlight: number;
  /** The first few distinct failures, with how often each recurred. */
  failures: FailureSample[];
}

export const DEFAULT_SHORT_PROMPT_TOKENS = 32;
export const DEFAULT_SOAK_MAX_TOKENS = 16;

/** A request that fails this fast (nothing listening) is not retried at once: no busy loop. */
const FAST_FAILURE_MS = 50;
const FAST_FAILURE_PAUSE_MS = 250;

/** Seeds above the check prompts' so no soak prompt reuses their cached prefix. */
const FIRST_SOAK_SEED = 1000;

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const profile = options.profile ?? VLLM_PROFILE;
  const now = options.now ?? Date.now;
  const tracker = options.tracker ?? createInFlightTracker(now);
  const calibration = options.calibration ?? UNCALIBRATED;
  const maxTokens = options.maxTokens ?? DEFAULT_SOAK_MAX_TOKENS;
  const startedAt = now();
  const endsAt = startedAt + options.durationMs;

  const cancel = new AbortController();
  const onAbort = () => cancel.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) cancel.abort();

  const plan = {
    long: {
      words: wordsForTokens(options.longPromptTokens, calibration),
      timeoutMs: options.longTimeoutMs ?? DEFAULT_LONG_CONTEXT_TIMEOUT_MS,
    },
    short: {
      words: wordsForTokens(options.shortPromptTokens ?? DEFAULT_SHORT_PROMPT_TOKENS, calibration),
      timeoutMs: options.shortTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    },
  };
  const latencies: Record<RequestKind, number[]> = { long: [], short: [] };
  const stats: Record<RequestKind, Omit<KindStats, 'latency'>> = {
    long: { sent: 0, completed: 0, failed: 0, aborted: 0 },
    short: { sent: 0, completed: 0, failed: 0, aborted: 0 },
  };
  let failures: FailureSample[] = [];
  let nextIndex = 0;

  const sendOne = async (index: number): Promise<void> => {
    const kind = kindOfRequest(index, options);
    const { words, timeoutMs } = plan[kind];
    const promptTokens = tokensForWords(words, calibration);
    const prompt = buildPrompt(words, FIRST_SOAK_SEED + index);
    const body = profile.completionBody(options.model ?? null, prompt, maxTokens);
    stats[kind].sent += 1;

    const id = tracker.begin(kind, promptTokens);
    const outcome = await options.client.request('POST', profile.paths.completions, {
      body,
      timeoutMs,
      signal: cancel.signal,
    });
    const ok = isJsonOk(outcome) && profile.readGeneratedText(outcome.json) !== null;
    const status = outcome.kind === 'response' ? outcome.status : null;
    tracker.end(id, { ok, status });

    if (outcome.kind === 'aborted') {
      stats[kind].aborted += 1;
      return;
    }
    const error = ok ? null : describeOutcome(outcome, profile);
    if (ok) {
      stats[kind].completed += 1;
      latencies[kind].push(outcome.ms);
    } else {
      stats[kind].failed += 1;
      failures = addFailure(failures, { kind, message: error ?? '', atMs: now() });
    }
    options.onRequestDone?.({ kind, ok, status, ms: Math.round(outcome.ms), promptTokens, error });
    if (!ok && outcome.ms < FAST_FAILURE_MS) await sleep(FAST_FAILURE_PAUSE_MS, cancel.signal);
  };

  const worker = async (): Promise<void> => {
    while (!cancel.signal.aborted && now() < endsAt) {
      await sendOne(nextIndex++);
    }
  };

  try {
    const workers = Math.max(1, Math.floor(options.concurrency));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  const byKind = {
    long: { ...stats.long, latency: summarizeLatency(latencies.long) },
    short: { ...stats.short, latency: summarizeLatency(latencies.short) },
  };
  return {
    durationMs: now() - startedAt,
    stoppedBy: options.signal?.aborted ? 'signal' : 'duration',
    sent: byKind.long.sent + byKind.short.sent,
    completed: byKind.long.completed + byKind.short.completed,
    failed: byKind.long.failed + byKind.short.failed,
    byKind,
    maxInFlight: tracker.maxInFlight(),
    failures,
  };
}
