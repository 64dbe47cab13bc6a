import type { Reason } from '../verdict/types.js';
import { METRIC_WORD, projection } from './format.js';
import type { GateResults, SeriesView } from './results.js';

/** A test case as JUnit readers know it; `outcome` absent means it passed. */
export interface JUnitCase {
  name: string;
  timeS: number;
  outcome?: { kind: 'failure' | 'error' | 'skipped'; type: string; message: string; body?: string };
  /** Warnings and figures, shown beside a passing case. */
  out?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
  properties?: [string, string][];
}

function checksSuite(results: GateResults): JUnitSuite {
  const cases: JUnitCase[] = results.checks.map((c) => {
    const timeS = c.durationMs / 1000;
    if (c.status === 'fail') {
      const type = c.critical ? 'critical-check' : 'check-failed';
      const message = c.critical ? c.detail : `(not critical) ${c.detail}`;
      return { name: c.name, timeS, outcome: { kind: 'failure', type, message } };
    }
    if (c.status === 'skip') {
      return { name: c.name, timeS, outcome: { kind: 'skipped', type: 'skip', message: c.detail } };
    }
    return { name: c.name, timeS, out: c.status === 'warn' ? `warning: ${c.detail}` : c.detail };
  });
  if (cases.length === 0) {
    const why = results.reasons[0]?.message ?? 'nothing was deployed';
    cases.push({
      name: 'critical path',
      timeS: 0,
      outcome: { kind: 'skipped', type: 'not-run', message: `No check ran: ${why}` },
    });
  }
  return { name: 'serving-gate.checks', cases };
}

/** Which memory rules each case of a series stands for. */
const MEMORY_CASES: readonly { name: string; rules: readonly string[] }[] = [
  {
    name: 'growth',
    rules: ['bar1-growth', 'fb-growth', 'memory-reclaimable', 'memory-warmup-rise'],
  },
  { name: 'exhaustion', rules: ['memory-exhaustion', 'memory-trend', 'memory-few-samples'] },
  { name: 'ceiling', rules: ['memory-ceiling'] },
];

function ofSeries(s: SeriesView, reasons: readonly Reason[]): Reason[] {
  if (s.reasons) return s.reasons;
  return reasons.filter(
    (r) => r.figures?.metric === s.metric && r.figures?.gpuIndex === s.gpu.index,
  );
}

function caseOf(name: string, reasons: readonly Reason[], out: string): JUnitCase {
  const failed = reasons.find((r) => r.severity !== 'warn');
  const warnings = reasons.filter((r) => r.severity === 'warn').map((r) => `warning: ${r.message}`);
  const text = [...warnings, out].join('\n');
  if (!failed) return { name, timeS: 0, out: text };
  return {
    name,
    timeS: 0,
    outcome: { kind: 'failure', type: failed.rule, message: failed.message, body: text },
  };
}

function seriesCases(s: SeriesView, all: readonly Reason[]): JUnitCase[] {
  const mig = s.gpu.gpuInstanceId !== undefined ? ` MIG ${s.gpu.gpuInstanceId}` : '';
  const label = `GPU ${s.gpu.index}${mig} ${METRIC_WORD[s.metric] ?? s.metric}`;
  const reasons = ofSeries(s, all);
  if (s.verdict === 'unmeasured') {
    return [caseOf(`${label}: measured`, reasons, 'no reading of this metric was a number')];
  }
  const figures =
    `baseline ${s.baselineMiB} MiB, peak ${s.peakMiB} MiB, settled ${s.settledMiB} MiB, ` +
    `total ${s.totalMiB} MiB, growth ${s.growthMiB} MiB, runs out in ${projection(s)}`;
  const cases = MEMORY_CASES.map((c) =>
    caseOf(
      `${label}: ${c.name}`,
      reasons.filter((r) => c.rules.includes(r.rule)),
      figures,
    ),
  );
  // A rule added to the analysis later still gets a case of its own, never dropped.
  const known = new Set(MEMORY_CASES.flatMap((c) => c.rules));
  for (const reason of reasons.filter((r) => !known.has(r.rule))) {
    cases.push(caseOf(`${label}: ${reason.rule}`, [reason], figures));
  }
  return cases;
}

/**
 * Memory reasons that belong to no series: a blind GPU, an unreadable metric. The file's
 * top-level reasons are copies of the series' own (with a config line added), so they are
 * matched by rule and message.
 */
function looseMemoryReasons(results: GateResults): Reason[] {
  const claimed = new Set(
    results.memory.series
      .flatMap((s) => ofSeries(s, results.reasons))
      .map((r) => `${r.rule}\n${r.message}`),
  );
  return results.reasons.filter(
    (r) => /^(memory-|bar1-|fb-|mig-fb-)/.test(r.rule) && !claimed.has(`${r.rule}\n${r.message}`),
  );
}

function memorySuite(results: GateResults): JUnitSuite {
  const cases = results.memory.series.flatMap((s) => seriesCases(s, results.reasons));
  for (const reason of looseMemoryReasons(results)) cases.push(caseOf(reason.rule, [reason], ''));
  if (cases.length === 0) {
    cases.push({
      name: 'GPU memory',
      timeS: 0,
      outcome: {
        kind: 'skipped',
        type: 'not-measured',
        message: `GPU memory was not measured (${results.memory.verdict})`,
      },
    });
  }
  return { name: 'serving-gate.memory', cases };
}

function preflightSuite(results: GateResults): JUnitSuite {
  const p = results.preflight;
  if (!p) {
    return {
      name: 'serving-gate.preflight',
      cases: [
        {
          name: 'preflight',
          timeS: 0,
          outcome: { kind: 'skipped', type: 'not-run', message: 'Preflight did not run' },
        },
      ],
    };
  }
  const failing = new Set(
    results.reasons
      .filter((r) => r.rule === 'preflight' && r.severity === 'fail')
      .map((r) => r.figures?.finding),
  );
  const cases: JUnitCase[] = p.findings.map((f) => {
    const name = `${f.rule} (${f.line === null ? f.file : `${f.file}:${f.line}`})`;
    if (f.severity === 'error' && failing.has(f.rule)) {
      return { name, timeS: 0, outcome: { kind: 'failure', type: f.rule, message: f.message } };
    }
    return { name, timeS: 0, out: `${f.severity}: ${f.message}` };
  });
  if (cases.length === 0) cases.push({ name: 'preflight', timeS: 0, out: 'no findings' });
  return { name: 'serving-gate.preflight', cases };
}

/** The verdict itself, so a runner fault with nothing else to fail still shows red. */
function gateSuite(results: GateResults): JUnitSuite {
  const first = results.reasons.find((r) => r.severity !== 'warn');
  const all = results.reasons.map((r) => `${r.severity} ${r.rule}: ${r.message}`).join('\n');
  const verdict: JUnitCase =
    results.verdict === 'pass' || !first
      ? { name: 'verdict', timeS: results.durationMs / 1000, out: all || 'pass' }
      : {
          name: 'verdict',
          timeS: results.durationMs / 1000,
          outcome: {
            kind: results.verdict === 'infra' ? 'error' : 'failure',
            type: first.rule,
            message: first.message,
            body: all,
          },
        };
  const properties: [string, string][] = [
    ['verdict', results.verdict],
    ['config', results.config ?? ''],
    ['model', results.model ?? ''],
    ['engine', results.engine ?? ''],
    ['serving-gate', results.tool.version],
  ];
  return { name: 'serving-gate.verdict', cases: [verdict], properties };
}

/** One suite for the checks, one for the memory rules, one for preflight, one for the verdict. */
export function junitSuites(results: GateResults): JUnitSuite[] {
  return [checksSuite(results), memorySuite(results), preflightSuite(results), gateSuite(results)];
}
