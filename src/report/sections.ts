import type { CheckStatus } from '../checks/types.js';
import { formatDuration } from '../units.js';
import type { Reason, Severity } from '../verdict/types.js';
import { chartData } from './chart-data.js';
import { reasonFigures, reasonPlace } from './figures.js';
import { SERIES_HEADERS, seriesCells, VERDICT_WORD } from './format.js';
import { code, details, fenced, inline, table } from './markdown.js';
import { LINE_COLOURS, renderMermaidChart } from './mermaid.js';
import { preflightFacts } from './preflight-facts.js';
import type { GateResults } from './results.js';

/** Markdown pieces shared by the job summary and the PR comment; each is pure. */

const HEADING_REASON_MAX = 160;
const LOG_LINES = 40;
const LOG_LINE_MAX = 300;

const SEVERITY_MARK: Record<Severity, string> = {
  infra: '🚧 **infra**',
  fail: '❌ **fail**',
  warn: '⚠️ **warning**',
};

const STATUS_MARK: Record<CheckStatus, string> = {
  pass: '✅ pass',
  fail: '❌ FAIL',
  warn: '⚠️ warn',
  skip: '⏭️ skip',
};

/** The reason a reviewer reads first: the first that is not a warning. */
export function firstReason(results: GateResults): Reason | undefined {
  return results.reasons.find((r) => r.severity !== 'warn');
}

export function headingLine(results: GateResults): string {
  const heading = `## serving-gate: ${VERDICT_WORD[results.verdict]}`;
  const first = firstReason(results);
  if (results.verdict !== 'pass' && first) {
    return `${heading}: ${inline(first.message, HEADING_REASON_MAX)}`;
  }
  const warnings = results.reasons.filter((r) => r.severity === 'warn').length;
  return warnings > 0 ? `${heading} (${warnings} warning${warnings === 1 ? '' : 's'})` : heading;
}

export function aboutLine(results: GateResults): string {
  const parts = [
    results.config ? `config ${code(results.config)}` : 'no config',
    results.model ? `model ${code(results.model)}` : null,
    results.engine ? `engine ${code(results.engine)}` : null,
    results.endpoint ? `endpoint ${code(results.endpoint)}` : null,
    `ran ${formatDuration(results.durationMs)}`,
    `serving-gate ${inline(results.tool.version)}`,
  ];
  return parts.filter((p): p is string => p !== null).join(' · ');
}

export function reasonsSection(results: GateResults, annotationsLeftOut = 0): string[] {
  if (results.reasons.length === 0) return [];
  const out = ['### Reasons', ''];
  results.reasons.forEach((reason, i) => {
    const place = reasonPlace(reason);
    const at = place ? ` (${inline(place)})` : '';
    out.push(
      `${i + 1}. ${SEVERITY_MARK[reason.severity]} ${code(reason.rule)}${at}: ${inline(reason.message)}`,
    );
    const figures = reasonFigures(reason);
    if (figures.length > 0) out.push(`   <sub>${inline(figures.join(' · '))}</sub>`);
  });
  if (annotationsLeftOut > 0) {
    out.push(
      '',
      `GitHub shows at most 10 error and 10 warning annotations per step: ` +
        `${annotationsLeftOut} of these reasons are listed here only, not annotated.`,
    );
  }
  return out;
}

export function checksTitle(results: GateResults): string {
  const ran = results.checks.filter((c) => c.status !== 'skip');
  const passed = ran.filter((c) => c.status !== 'fail').length;
  return `Checks (${passed} of ${ran.length} passed)`;
}

export function checksTable(results: GateResults): string {
  return table(
    ['check', 'critical', 'status', 'time', 'detail'],
    results.checks.map((c) => [
      c.name,
      c.critical ? 'yes' : 'no',
      STATUS_MARK[c.status],
      formatDuration(c.durationMs),
      c.detail,
    ]),
  );
}

export function checksSection(results: GateResults): string[] {
  if (results.checks.length === 0) return [];
  return [`### ${checksTitle(results)}`, '', checksTable(results)];
}

export function soakBody(results: GateResults): string[] {
  const s = results.soak;
  if (!s) return [];
  const long = s.longFailed ? ` (${s.longFailed} long-context)` : '';
  return [
    `${s.requests} requests in ${formatDuration(s.durationMs)} ` +
      `(${s.longRequests} long-context), ${s.failed} failed${long}.`,
    ...s.errors.slice(0, 3).map((e) => `- ${inline(e, LOG_LINE_MAX)}`),
  ];
}

export function soakSection(results: GateResults): string[] {
  const body = soakBody(results);
  return body.length > 0 ? ['### Soak', '', ...body] : [];
}

export function memoryTitle(results: GateResults): string {
  return `GPU memory (${results.memory.source}: ${results.memory.verdict})`;
}

export function memoryTable(results: GateResults): string[] {
  const m = results.memory;
  const out =
    m.series.length > 0
      ? [table(SERIES_HEADERS, m.series.map(seriesCells))]
      : ['No GPU memory series were measured.'];
  if (m.samples.length > 0) {
    const span = Math.max(...m.samples.map((s) => s.tMs));
    out.push('', `${m.samples.length} samples over ${formatDuration(span)}.`);
  } else {
    out.push('', 'No samples were taken.');
  }
  const first = m.events[0];
  if (first) {
    out.push(
      `Unreadable readings: ${m.events.length}, the first at T+${formatDuration(first.tMs)} ` +
        `(${inline(`${first.state}: ${first.message}`, LOG_LINE_MAX)}).`,
    );
  }
  return out;
}

/** The Mermaid charts, one per metric, each followed by the colours of its lines. */
export function memoryCharts(results: GateResults): string[] {
  const out: string[] = [];
  for (const chart of chartData(results)) {
    out.push('', fenced([renderMermaidChart(chart)], 'mermaid'));
    if (chart.lines.length > 1) {
      const key = chart.lines.map((l, i) => `${l.label} ${LINE_COLOURS[i]?.word ?? ''}`.trim());
      out.push('', `Lines: ${inline(key.join(', '))}.`);
    }
    if (chart.linesLeftOut > 0) {
      out.push('', `${chart.linesLeftOut} more GPUs are in the table, not the chart.`);
    }
  }
  return out;
}

export function memorySection(results: GateResults): string[] {
  return [`### ${memoryTitle(results)}`, '', ...memoryTable(results), ...memoryCharts(results)];
}

export function preflightBody(results: GateResults): string[] {
  const p = results.preflight;
  if (!p) return ['Preflight did not run: no config was given, or the GPU could not be read.'];
  const out = [table(['figure', 'value'], preflightFacts(p))];
  if (p.findings.length > 0) out.push('');
  for (const f of p.findings) {
    const mark = f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️';
    const at = f.line === null ? f.file : `${f.file}:${f.line}`;
    out.push(`- ${mark} **${f.severity}** ${code(f.rule)} (${inline(at)}): ${inline(f.message)}`);
  }
  return out;
}

export function preflightTitle(results: GateResults): string {
  return results.preflight ? `Preflight (${results.preflight.verdict})` : 'Preflight';
}

export function preflightSection(results: GateResults): string[] {
  return [`### ${preflightTitle(results)}`, '', ...preflightBody(results)];
}

/** The engine's last lines, collapsed, only when the verdict is not `pass`. */
export function logSection(results: GateResults): string[] {
  if (results.verdict === 'pass' || results.deploy.logTail.length === 0) return [];
  const lines = results.deploy.logTail
    .slice(-LOG_LINES)
    .map((l) => (l.length > LOG_LINE_MAX ? `${l.slice(0, LOG_LINE_MAX - 1)}…` : l));
  return [details('Engine log (last lines)', fenced(lines))];
}

export function teardownLine(results: GateResults): string[] {
  return results.teardown.ok ? [] : [`Teardown: ${inline(results.teardown.message)}`];
}
