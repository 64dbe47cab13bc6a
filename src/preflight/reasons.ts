import type { Reason } from '../verdict/types.js';
import type { PreflightResult } from './evaluate.js';

/**
 * Preflight findings as verdict reasons. Errors fail the gate before deploy unless the
 * plan says `preflight: warn`, which turns them into warnings; info findings are report
 * text, not reasons. The finding's own rule id stays in `figures.finding`.
 */
export function preflightReasons(
  result: PreflightResult,
  mode: 'error' | 'warn' = 'error',
): Reason[] {
  return result.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({
      rule: 'preflight',
      severity: f.severity === 'error' && mode === 'error' ? ('fail' as const) : ('warn' as const),
      message: f.message,
      file: f.file,
      ...(f.line === null ? {} : { line: f.line }),
      figures: { finding: f.rule },
    }));
}
