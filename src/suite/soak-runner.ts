/**
 * The `during: soak` checks: each runs at its interval while the soak load runs, and
 * every failed run counts. A check that passes at idle but fails under load is exactly
 * what a once-only suite misses.
 */
import { sleep } from '../checks/sleep.js';
import type { CheckResult } from '../checks/types.js';
import { formatDuration } from '../units.js';
import { runSuiteCheck, type SuiteRunOptions } from './run.js';
import type { SuiteCheck } from './types.js';

/** The first run waits this long at most, so the load is already in flight. */
export const FIRST_RUN_DELAY_MS = 1000;

export interface SoakCheckRun {
  /** Gate clock when the run ended. */
  tMs: number;
  result: CheckResult;
}

export interface SoakChecksOptions extends SuiteRunOptions {
  /** The gate's clock, for the time of a failure. */
  now: () => number;
  onRun?: (check: SuiteCheck, run: SoakCheckRun) => void;
}

export interface SoakChecks {
  /** Ends the runs (one in flight is cut short and not counted) and sums each check up. */
  stop(whyNone?: string): Promise<CheckResult[]>;
}

export function startSoakChecks(
  checks: readonly SuiteCheck[],
  options: SoakChecksOptions,
): SoakChecks {
  const stopping = new AbortController();
  const startMs = options.now();
  const runs = new Map<SuiteCheck, SoakCheckRun[]>(checks.map((check) => [check, []]));

  const loop = async (check: SuiteCheck) => {
    let wait = Math.min(check.intervalMs, FIRST_RUN_DELAY_MS);
    while (!stopping.signal.aborted) {
      await sleep(wait, stopping.signal);
      if (stopping.signal.aborted) return;
      const result = await runSuiteCheck(check, { ...options, signal: stopping.signal });
      // A run cut short by the end of the soak says nothing about the candidate.
      if (stopping.signal.aborted) return;
      const run = { tMs: options.now(), result };
      runs.get(check)!.push(run);
      options.onRun?.(check, run);
      wait = check.intervalMs;
    }
  };
  const loops = checks.map(loop);

  return {
    async stop(whyNone) {
      stopping.abort();
      await Promise.all(loops);
      return checks.map((check) => summarize(check, runs.get(check)!, startMs, whyNone));
    },
  };
}

/** One result per soak check: failed when any run failed, with the count. */
export function summarize(
  check: SuiteCheck,
  runs: readonly SoakCheckRun[],
  startMs: number,
  whyNone = 'the soak ended before its first run',
): CheckResult {
  const failures = runs.filter((run) => run.result.status === 'fail');
  const base = {
    name: check.name,
    critical: check.critical,
    durationMs: runs.reduce((sum, run) => sum + run.result.durationMs, 0),
    figures: { kind: check.kind, during: 'soak', runs: runs.length, failures: failures.length },
  };
  if (runs.length === 0) return { ...base, status: 'skip', detail: `not run: ${whyNone}` };
  const first = failures[0];
  if (first) {
    return {
      ...base,
      status: 'fail',
      detail:
        `failed ${failures.length} of ${runs.length} runs under soak load ` +
        `(first at soak +${formatDuration(Math.max(0, first.tMs - startMs))}): ${first.result.detail}`,
    };
  }
  const last = runs.at(-1)!;
  return {
    ...base,
    status: 'pass',
    detail: `passed ${runs.length} of ${runs.length} runs under soak load; last: ${last.result.detail}`,
  };
}
