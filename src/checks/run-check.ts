/**
 * Runs one check under a hard deadline. The check gets a signal that aborts at the
 * deadline; should it still not return (a bug, a read that ignores the signal), a backstop
 * settles the result anyway, so one stuck check never stalls the gate.
 */
import { formatDuration } from '../units.js';
import type { CheckOutcome, CheckResult } from './types.js';

export interface CheckContext {
  /** Aborts at the check's deadline or when the caller cancels. */
  signal: AbortSignal;
  timeoutMs: number;
}

export interface RunCheckOptions {
  name: string;
  critical: boolean;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Applied to the detail of a thrown error, which may quote a request. */
  redact?: (text: string) => string;
}

/** Time the backstop allows beyond the deadline for a check to wind down. */
const BACKSTOP_GRACE_MS = 1000;

export async function runCheck(
  options: RunCheckOptions,
  check: (context: CheckContext) => Promise<CheckOutcome>,
): Promise<CheckResult> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(Math.max(1, Math.round(options.timeoutMs)));
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const redact = options.redact ?? ((text: string) => text);
  const finish = (outcome: CheckOutcome): CheckResult => ({
    name: options.name,
    critical: options.critical,
    durationMs: Math.round(performance.now() - started),
    ...outcome,
  });

  if (options.signal?.aborted) {
    return finish({ status: 'skip', detail: 'not run: the gate was cancelled' });
  }

  let backstop: NodeJS.Timeout | undefined;
  const stuck = new Promise<CheckOutcome>((resolve) => {
    backstop = setTimeout(() => {
      const within = formatDuration(options.timeoutMs);
      resolve({ status: 'fail', detail: `no result within ${within} (check deadline)` });
    }, options.timeoutMs + BACKSTOP_GRACE_MS);
  });

  try {
    const run = check({ signal, timeoutMs: options.timeoutMs }).catch(
      (error: unknown): CheckOutcome => {
        const message = error instanceof Error ? error.message : String(error);
        return { status: 'fail', detail: `check crashed: ${redact(message)}` };
      },
    );
    return finish(await Promise.race([run, stuck]));
  } finally {
    clearTimeout(backstop);
  }
}
