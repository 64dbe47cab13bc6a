import type { CheckResult } from '../checks/types.js';
import type { Reason, Verdict } from './types.js';

/**
 * Reasons in the order a reviewer needs them: the runner's faults first (do not blame
 * the PR), then the critical path, health, memory growth, the memory ceiling, preflight,
 * and warnings last. Rules not listed sort with their severity's group.
 */
const RULE_ORDER: readonly string[] = [
  'deploy-failed',
  'not-ready',
  'deployment-died',
  'critical-check',
  // The log line explains the failure above it; it leads only when no check ran.
  'engine-log',
  'soak-failures',
  'health-lost',
  'kv-cache-stuck',
  'bar1-growth',
  'fb-growth',
  'memory-growth',
  'memory-exhaustion',
  'memory-ceiling',
  'memory-unmeasured',
  'preflight',
];

function rank(reason: Reason): number {
  const severity = { infra: 0, fail: 1, warn: 2 }[reason.severity];
  const index = RULE_ORDER.indexOf(reason.rule);
  return severity * 1000 + (index === -1 ? RULE_ORDER.length : index);
}

export function orderReasons(reasons: readonly Reason[]): Reason[] {
  // Array.prototype.sort is stable, so reasons of equal rank keep the order they were found.
  return [...reasons].sort((a, b) => rank(a) - rank(b));
}

/** The verdict is a pure function of the reasons: infra outranks fail outranks pass. */
export function decideVerdict(reasons: readonly Reason[]): { verdict: Verdict; reasons: Reason[] } {
  const ordered = orderReasons(reasons);
  const verdict: Verdict = ordered.some((r) => r.severity === 'infra')
    ? 'infra'
    : ordered.some((r) => r.severity === 'fail')
      ? 'fail'
      : 'pass';
  return { verdict, reasons: ordered };
}

/** What each built-in check does, in the words of the reason a reviewer reads first. */
const CHECK_WORDS: Record<string, string> = {
  generate: 'generate',
  'long-context': 'long-context generate',
  'generate-after-soak': 'generate after the soak',
  stream: 'streaming generate',
  chat: 'chat generate',
};

function label(name: string): string {
  const words = CHECK_WORDS[name];
  return words && words !== name ? `${name} (${words})` : name;
}

/**
 * A failed critical check fails the gate whatever the pass rate; a failed non-critical
 * check is a warning. The message says how many passed, so "10 of 11" is never read as
 * good news when the one that failed is generate.
 */
export function checkReasons(
  checks: readonly CheckResult[],
  locate: (configKey: string | undefined) => { file?: string; line?: number },
): Reason[] {
  const ran = checks.filter((c) => c.status !== 'skip');
  const passed = ran.filter((c) => c.status === 'pass' || c.status === 'warn').length;
  const reasons: Reason[] = [];
  for (const check of checks) {
    if (check.status === 'fail') {
      const where = locate(check.configKey);
      reasons.push({
        rule: check.critical ? 'critical-check' : 'check-failed',
        severity: check.critical ? 'fail' : 'warn',
        message: check.critical
          ? `Critical check ${label(check.name)} failed ` +
            `(${passed} of ${ran.length} checks passed): ${check.detail}`
          : `Check ${check.name} failed (not critical): ${check.detail}`,
        ...where,
        figures: { check: check.name, passed, total: ran.length },
      });
    } else if (check.status === 'skip' && check.critical) {
      reasons.push({
        rule: 'critical-check-skipped',
        severity: 'warn',
        message: `Critical check ${label(check.name)} did not run: ${check.detail}`,
        ...locate(check.configKey),
      });
    } else if (check.status === 'warn') {
      reasons.push({
        rule: 'check-warning',
        severity: 'warn',
        message: `Check ${check.name}: ${check.detail}`,
        ...locate(check.configKey),
      });
    }
  }
  return reasons;
}
