/**
 * The user's suite in the gate: loaded before anything is deployed (a bad file stops the
 * run with its file and line), its `once` checks run after the built-in critical path,
 * its `soak` checks at their interval while the soak load runs.
 */
import { relative } from 'node:path';
import { type CheckResult, CRITICAL_PATH_CHECKS } from '../checks/types.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/plan.js';
import { loadSuiteFile } from '../suite/load.js';
import { runOnceChecks } from '../suite/run.js';
import { redactor } from '../suite/secrets.js';
import { type SoakChecks, startSoakChecks } from '../suite/soak-runner.js';
import type { Suite } from '../suite/types.js';
import type { MemoryRecorder } from './recorder.js';

/** Names the built-in checks own; a suite check may not take one. */
export const BUILT_IN_CHECK_NAMES = [...CRITICAL_PATH_CHECKS, 'generate-after-soak'];

export function loadGateSuite(plan: Plan, env: NodeJS.ProcessEnv): Suite | null {
  if (!plan.suitePath) return null;
  const name = relative(plan.cwd, plan.suitePath) || plan.suitePath;
  return loadSuiteFile(plan.suitePath, name, {
    env,
    defaultTimeoutMs: plan.requestTimeoutMs,
    reservedNames: BUILT_IN_CHECK_NAMES,
  });
}

export interface SuiteDeps {
  endpoint: string;
  apiKey: string | null;
  model: string | null;
}

function options(suite: Suite, deps: SuiteDeps) {
  return { ...deps, redact: redactor([...suite.secrets, ...(deps.apiKey ? [deps.apiKey] : [])]) };
}

/** Whether a run of the check is a generate on the engine: it moves the request count. */
function countsAsRequest(kind: string): boolean {
  return kind === 'completion' || kind === 'chat';
}

export async function runSuiteOnce(
  suite: Suite,
  deps: SuiteDeps,
  recorder: MemoryRecorder,
  logger: Logger,
): Promise<CheckResult[]> {
  const once = suite.checks.filter((check) => check.during === 'once');
  if (once.length === 0) return [];
  logger.startGroup(`Suite checks (${suite.file})`);
  const results = await runOnceChecks(suite, {
    ...options(suite, deps),
    onCheckDone: (result, check) => {
      if (countsAsRequest(check.kind)) recorder.requests += 1;
      logger.info(`${result.name}: ${result.status}: ${result.detail}`);
    },
  });
  logger.endGroup();
  return results;
}

/** Starts the `soak` checks; null when the suite has none. */
export function startSuiteSoak(
  suite: Suite,
  deps: SuiteDeps,
  recorder: MemoryRecorder,
  logger: Logger,
): SoakChecks | null {
  const checks = suite.checks.filter((check) => check.during === 'soak');
  if (checks.length === 0) return null;
  return startSoakChecks(checks, {
    ...options(suite, deps),
    now: () => recorder.now(),
    onRun: (check, run) => {
      if (countsAsRequest(check.kind)) recorder.requests += 1;
      if (run.result.status === 'fail') {
        logger.info(`${check.name} (under soak load): fail: ${run.result.detail}`);
      }
    },
  });
}
