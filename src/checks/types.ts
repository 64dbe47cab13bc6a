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
