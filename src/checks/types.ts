export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** The outcome of one check of the critical path (or of a user's suite). */
export interface CheckResult {
  name: string;
  critical: boolean;
  status: CheckStatus;
  durationMs: number;
  /** One line a person reads: what was sent, what came back. */
  detail: string;
  /** The config key the failure concerns (`max-model-len` for context faults). */
  configKey?: string;
  /** Figures behind the detail (tokens sent, tokens processed, HTTP status). */
  figures?: Record<string, number | string | boolean | null>;
}

/** Stable ids of the built-in critical-path checks, in the order they run. */
export const CRITICAL_PATH_CHECKS = [
  'health',
  'models',
  'generate',
  'chat',
  'stream',
  'long-context',
  'over-limit',
] as const;

export type CriticalPathCheckId = (typeof CRITICAL_PATH_CHECKS)[number];

/** A check's result before the runner adds its name, critical flag and duration. */
export type CheckOutcome = Pick<CheckResult, 'status' | 'detail' | 'configKey' | 'figures'>;
