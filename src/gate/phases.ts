import {
  type CriticalPathResult,
  runCriticalPath,
  runGenerateCheck,
} from '../checks/critical-path.js';
import type { EngineProfile } from '../checks/engine-profile.js';
import type { EngineClient } from '../checks/http.js';
import type { CheckResult } from '../checks/types.js';
import type { Logger } from '../log.js';
import type { SmiSnapshot } from '../memory/types.js';
import type { Plan } from '../plan/plan.js';
import type { PreflightResult } from '../preflight/evaluate.js';
import { formatPreflight } from '../preflight/format-report.js';
import { gpuTotalsFromSnapshot } from '../preflight/gpu-totals.js';
import { preflightReasons } from '../preflight/reasons.js';
import { runPreflight } from '../preflight/run-preflight.js';
import type { ServingConfig } from '../preflight/types.js';
import type { Reason } from '../verdict/types.js';
import type { MemoryRecorder } from './recorder.js';
import type { GateContext } from './run-gate.js';

/** The gate's stages that talk to the engine or judge the config, one function each. */

/** On paper, before any GPU time: does the config fit the GPU the runner has? */
export function preflightPhase(
  plan: Plan,
  config: ServingConfig,
  baseline: SmiSnapshot,
  ctx: GateContext,
  reasons: Reason[],
): PreflightResult {
  ctx.logger.startGroup('Preflight');
  const result = runPreflight({
    config,
    env: ctx.env,
    gpu: gpuTotalsFromSnapshot(baseline, 'nvidia-smi before deploy'),
    soakConcurrency: plan.soakConcurrency,
    // On paper BAR1 is judged with a flat allowance and before the model has mapped its
    // share; the soak measures BAR1 for real, so here it warns and the measurement decides.
    // (`serving-gate preflight` alone, with no soak to follow, makes it an error.)
    bar1Check: 'warning',
    ...(plan.modelConfigPath ? { modelConfigPath: plan.modelConfigPath } : {}),
  });
  ctx.logger.info(formatPreflight(result).trimEnd());
  reasons.push(...preflightReasons(result, plan.preflight === 'warn' ? 'warn' : 'error'));
  ctx.logger.endGroup();
  return result;
}

/** The built-in critical path, with each check logged and counted as a request. */
export async function criticalPhase(
  plan: Plan,
  client: EngineClient,
  profile: EngineProfile,
  model: string | null,
  config: ServingConfig | null,
  recorder: MemoryRecorder,
  logger: Logger,
): Promise<CriticalPathResult> {
  logger.startGroup('Critical path');
  recorder.phase = 'checks';
  const result = await runCriticalPath({
    client,
    profile,
    model: model ?? undefined,
    configuredMaxContext: config?.maxContextTokens?.value,
    ropeScaling: config?.ropeScaling?.value ?? null,
    parallel: config?.maxNumSeqs?.value ?? null,
    longContextTokens: plan.longContextTokens ?? undefined,
    checkTimeoutMs: plan.requestTimeoutMs,
    longContextTimeoutMs: Math.max(plan.requestTimeoutMs, 180_000),
    onCheckDone: (check) => {
      recorder.requests += 1;
      logger.info(`${check.name}: ${check.status}: ${check.detail}`);
    },
  });
  logger.endGroup();
  return result;
}

/**
 * Settle: the load stops, memory gets time to be released, and one more generate runs,
 * since faults often show only after the heavy phases.
 */
export async function settlePhase(
  plan: Plan,
  client: EngineClient,
  profile: EngineProfile,
  model: string | null,
  recorder: MemoryRecorder,
  engineWatch: { sample(): Promise<unknown> } | null,
  logger: Logger,
): Promise<CheckResult> {
  logger.startGroup('Settle');
  recorder.phase = 'settle';
  await sleep(plan.settleMs);
  await recorder.nextSample(Math.max(2000, plan.sampleIntervalMs * 3));
  await engineWatch?.sample();
  const after = await runGenerateCheck({
    client,
    profile,
    name: 'generate-after-soak',
    model,
    critical: true,
    timeoutMs: plan.requestTimeoutMs,
  });
  recorder.requests += 1;
  logger.info(`generate-after-soak: ${after.status}: ${after.detail}`);
  recorder.phase = 'final';
  await recorder.nextSample(Math.max(2000, plan.sampleIntervalMs * 3));
  logger.endGroup();
  return after;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
