export type Verdict = 'pass' | 'fail' | 'infra';

/** How much a reason weighs: `infra` blames the runner, `fail` the candidate, `warn` neither. */
export type Severity = 'infra' | 'fail' | 'warn';

/**
 * Why the verdict is what it is. `rule` is a stable id other tools may key on
 * (`critical-check`, `health-lost`, `bar1-growth`, ...); `message` is for a person and says
 * which figure crossed which limit.
 */
export interface Reason {
  rule: string;
  severity: Severity;
  message: string;
  /** The config file and line the reason concerns, where there is one. */
  file?: string;
  line?: number;
  figures?: Record<string, number | string | boolean | null>;
}
