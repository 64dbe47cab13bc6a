/**
 * Runs a suite check with its retries under the check's deadline, and the `once` checks in
 * file order. Details pass through the suite's redactor: a secret a server echoed never
 * reaches a log, summary or results file.
 */
import { type CheckContext, runCheck } from '../checks/run-check.js';
import { sleep } from '../checks/sleep.js';
import type { CheckOutcome, CheckResult } from '../checks/types.js';
import { runGenerateCheck, runHttpCheck, type SuiteRunContext } from './http-checks.js';
import { runMcpToolCheck } from './mcp-check.js';
import type { Suite, SuiteCheck } from './types.js';

const NEVER = new AbortController().signal;

/** Pause between attempts: long enough for a restarting worker, short beside a deadline. */
export const RETRY_PAUSE_MS = 500;

export interface SuiteRunOptions extends SuiteRunContext {
  redact: (text: string) => string;
  signal?: AbortSignal;
}

function attempt(check: SuiteCheck, ctx: SuiteRunContext, context: CheckContext) {
  switch (check.kind) {
    case 'http':
      return runHttpCheck(check, ctx, context);
    case 'completion':
    case 'chat':
      return runGenerateCheck(check, ctx, context);
    case 'mcp-tool':
      return runMcpToolCheck(check, ctx, context);
  }
}

/** One run of a check: up to 1 + retries attempts; it passes when any attempt passes. */
export async function runSuiteCheck(
  check: SuiteCheck,
  options: SuiteRunOptions,
): Promise<CheckResult> {
  const attempts = check.retries + 1;
  let durationMs = 0;
  let result: CheckResult | null = null;
  let used = 0;
  while (used < attempts) {
    used += 1;
    result = await runCheck(
      {
        name: check.name,
        critical: check.critical,
        timeoutMs: check.timeoutMs,
        signal: options.signal,
        redact: options.redact,
      },
      (context): Promise<CheckOutcome> => attempt(check, options, context),
    );
    durationMs += result.durationMs;
    if (result.status !== 'fail' || options.signal?.aborted) break;
    if (used < attempts) await sleep(RETRY_PAUSE_MS, options.signal ?? NEVER);
  }
  const last = result!;
  const detail =
    attempts === 1
      ? last.detail
      : last.status === 'fail'
        ? `all ${used} attempts failed; the last: ${last.detail}`
        : used > 1
          ? `${last.detail} (passed on attempt ${used} of ${attempts})`
          : last.detail;
  return {
    ...last,
    detail: options.redact(detail),
    durationMs,
    figures: { ...last.figures, kind: check.kind, attempts: used },
  };
}

/** The `once` checks, in file order, after the built-in critical path. */
export async function runOnceChecks(
  suite: Suite,
  options: SuiteRunOptions & { onCheckDone?: (result: CheckResult, check: SuiteCheck) => void },
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of suite.checks.filter((c) => c.during === 'once')) {
    const result = await runSuiteCheck(check, options);
    results.push(result);
    options.onCheckDone?.(result, check);
  }
  return results;
}
