/**
 * Polls the engine's health during the soak, one probe at a time, and records each with
 * what was in flight, so that a slow probe during a long prefill can be told from health
 * that is really lost (see health-judge.ts).
 */
import { describeOutcome, exchangeLine } from '../checks/describe.js';
import { type EngineProfile, VLLM_PROFILE } from '../checks/engine-profile.js';
import type { EngineClient } from '../checks/http.js';
import { sleep } from '../checks/sleep.js';
import type {
  HealthFailureKind,
  HealthProbe,
  HealthWatchSummary,
  InFlightSnapshot,
} from './types.js';

export interface HealthWatcherOptions {
  client: EngineClient;
  profile?: EngineProfile;
  intervalMs: number;
  /** Deadline of one probe; keep it at most the interval. */
  timeoutMs: number;
  /** What is in flight now (the soak tracker's `snapshot`). */
  inFlight: () => InFlightSnapshot;
  /**
   * Probe once more when stopped, after the load is over: failures that persist once
   * nothing is in flight are lost health, and only a probe then can see them.
   */
  finalProbe?: boolean;
  now?: () => number;
}

export interface HealthWatcher {
  /** Ends polling (waits for a probe in progress, at most its deadline) and summarizes. */
  stop(): Promise<HealthWatchSummary>;
}

function mergeSnapshots(a: InFlightSnapshot, b: InFlightSnapshot): InFlightSnapshot {
  const longIds = [...new Set([...a.longIds, ...b.longIds])];
  return { total: Math.max(a.total, b.total), long: Math.max(a.long, b.long), longIds };
}

function failureKind(kind: string): HealthFailureKind {
  if (kind === 'timeout' || kind === 'refused') return kind;
  return kind === 'response' ? 'status' : 'network';
}

export function startHealthWatcher(options: HealthWatcherOptions): HealthWatcher {
  const profile = options.profile ?? VLLM_PROFILE;
  const now = options.now ?? Date.now;
  const path = profile.paths.health;
  const startedAtMs = now();
  const probes: HealthProbe[] = [];
  const quit = new AbortController();

  const probe = async (): Promise<void> => {
    const atMs = now();
    const before = options.inFlight();
    const outcome = await options.client.request('GET', path, { timeoutMs: options.timeoutMs });
    const inFlight = mergeSnapshots(before, options.inFlight());
    const status = outcome.kind === 'response' ? outcome.status : null;
    const ok = status === 200;
    probes.push({
      atMs,
      ms: Math.round(outcome.ms),
      ok,
      status,
      failure: ok ? null : failureKind(outcome.kind),
      problem: ok ? null : exchangeLine(`GET ${path}`, '', describeOutcome(outcome, profile)),
      inFlight,
    });
  };

  const loop = (async () => {
    while (!quit.signal.aborted) {
      const started = performance.now();
      await probe();
      await sleep(options.intervalMs - (performance.now() - started), quit.signal);
    }
  })();

  const finish = async (): Promise<HealthWatchSummary> => {
    quit.abort();
    await loop;
    if (options.finalProbe ?? true) await probe();
    return {
      path,
      startedAtMs,
      endedAtMs: now(),
      intervalMs: options.intervalMs,
      probes: [...probes],
      failed: probes.filter((p) => !p.ok).length,
    };
  };

  let stopped: Promise<HealthWatchSummary> | null = null;
  return {
    stop() {
      stopped ??= finish();
      return stopped;
    },
  };
}
