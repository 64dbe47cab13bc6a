import type { GateResults } from '../report/results.js';

/** Numbers as later steps compare them: plain decimals, at most three places. */
function decimal(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function largest(values: (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length > 0 ? decimal(Math.max(...known)) : '';
}

/**
 * The step's outputs. A figure that was not measured is the empty string, never 0, so
 * `if: steps.gate.outputs.bar1-growth-mib > 256` cannot pass on a run that read nothing.
 */
export function gateOutputs(
  results: GateResults,
  paths: { report: string; junit: string | null },
): Record<string, string> {
  const bar1 = results.memory.series.filter((s) => s.metric === 'bar1');
  const projected = results.memory.series
    .map((s) => s.projectedExhaustionHours)
    .filter((h): h is number => h !== null && Number.isFinite(h));
  return {
    verdict: results.verdict,
    reasons: JSON.stringify(results.reasons),
    'bar1-growth-mib': largest(bar1.map((s) => s.growthMiB)),
    'bar1-slope-mib-per-hour': largest(bar1.map((s) => s.slopeMiBPerHour)),
    // The soonest of any GPU and metric: the one that ends the deployment.
    'projected-exhaustion-hours': projected.length > 0 ? decimal(Math.min(...projected)) : '',
    report: paths.report,
    junit: paths.junit ?? '',
    // Unknown (no reading after teardown) is not clean: empty, like an unmeasured figure.
    'runner-dirty': results.runner ? String(results.runner.dirty) : '',
  };
}
