import type { EngineProfile } from '../checks/engine-profile.js';
import type { EngineClient } from '../checks/http.js';
import type { PromptCalibration } from '../checks/prompt.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/plan.js';
import type { GateResults } from '../report/results.js';
import { judgeHealth } from '../soak/health-judge.js';
import { startHealthWatcher } from '../soak/health-watcher.js';
import { createInFlightTracker } from '../soak/in-flight.js';
import { runSoak } from '../soak/load.js';
import { formatDuration } from '../units.js';
import type { Reason } from '../verdict/types.js';
import type { MemoryRecorder } from './recorder.js';

export interface SoakOutcome {
  summary: NonNullable<GateResults['soak']>;
  reasons: Reason[];
}

const HEALTH_INTERVAL_MS = 5000;
/** A short soak (a dry run, a test) still gets several probes; never more than one a second. */
const MIN_HEALTH_INTERVAL_MS = 1000;
const HEALTH_PROBES_PER_SOAK = 6;
/** Room left under the max context for the reply and the chat template. */
const LONG_PROMPT_MARGIN_TOKENS = 256;

/** The prompt size of long soak requests: the user's, else near the advertised maximum. */
export function longPromptTokens(plan: Plan, advertisedMaxContext: number | null): number {
  if (plan.longContextTokens) return plan.longContextTokens;
  if (advertisedMaxContext) {
    return Math.max(1, Math.floor(advertisedMaxContext * 0.9) - LONG_PROMPT_MARGIN_TOKENS);
  }
  return 4096;
}

/**
 * Sustained load with health watched beside it; every completed request moves the
 * recorder's count, so memory can be judged per request.
 */
export async function runSoakPhase(
  plan: Plan,
  client: EngineClient,
  model: string | null,
  advertisedMaxContext: number | null,
  calibration: PromptCalibration,
  recorder: MemoryRecorder,
  logger: Logger,
  profile: EngineProfile,
): Promise<SoakOutcome | null> {
  if (plan.soakDurationMs <= 0) {
    logger.info('soak skipped (soak-duration 0)');
    return null;
  }
  logger.startGroup(
    `Soak (${formatDuration(plan.soakDurationMs)}, ${plan.soakConcurrency} in flight)`,
  );
  recorder.phase = 'soak';
  const startMs = recorder.now();
  const tracker = createInFlightTracker();
  const healthIntervalMs = Math.min(
    HEALTH_INTERVAL_MS,
    Math.max(MIN_HEALTH_INTERVAL_MS, Math.round(plan.soakDurationMs / HEALTH_PROBES_PER_SOAK)),
  );
  const watcher = startHealthWatcher({
    client,
    profile,
    intervalMs: healthIntervalMs,
    timeoutMs: healthIntervalMs,
    inFlight: () => tracker.snapshot(),
    finalProbe: true,
  });
  let done = 0;
  let failed = 0;
  const longTokens = longPromptTokens(plan, advertisedMaxContext);
  const summary = await runSoak({
    client,
    profile,
    model,
    durationMs: plan.soakDurationMs,
    concurrency: plan.soakConcurrency,
    longShare: plan.longRequestShare,
    longPromptTokens: longTokens,
    longTimeoutMs: Math.max(plan.requestTimeoutMs, 180_000),
    shortTimeoutMs: plan.requestTimeoutMs,
    calibration,
    tracker,
    onRequestDone: (request) => {
      recorder.requests += 1;
      done += 1;
      if (!request.ok) failed += 1;
      const elapsed = formatDuration(recorder.now() - startMs);
      logger.progress(
        `soak ${elapsed}/${formatDuration(plan.soakDurationMs)}: ${done} requests ` +
          `(${failed} failed), ${recorder.latestBar1()}`,
      );
    },
  });
  const health = await watcher.stop();
  const reasons = judgeHealth(health, tracker.longRequests());
  const endMs = recorder.now();

  if (summary.failed > 0) {
    const first = summary.failures[0];
    reasons.push({
      rule: 'soak-failures',
      severity: 'fail',
      message:
        `${summary.failed} of ${summary.sent} soak requests failed ` +
        `(${summary.byKind.long.failed} of ${summary.byKind.long.sent} long-context, ` +
        `${longTokens} prompt tokens)${first ? `: ${first.message}` : ''}`,
      figures: { failed: summary.failed, sent: summary.sent },
    });
  }
  logger.info(
    `soak: ${summary.completed} completed, ${summary.failed} failed in ` +
      `${formatDuration(summary.durationMs)}; ${health.probes.length} health probes`,
  );
  for (const reason of reasons) logger.info(`${reason.severity}: ${reason.message}`);
  logger.endGroup();

  return {
    summary: {
      durationMs: summary.durationMs,
      requests: summary.sent,
      failed: summary.failed,
      longRequests: summary.byKind.long.sent,
      longFailed: summary.byKind.long.failed,
      errors: summary.failures.map((f) => f.message),
      startMs,
      endMs,
    },
    reasons,
  };
}
