import { formatPreflight } from '../preflight/format-report.js';
import { formatDuration } from '../units.js';
import { chartData } from './chart-data.js';
import { reasonFigures, reasonPlace } from './figures.js';
import { SERIES_HEADERS, STATUS_WORD, seriesCells, VERDICT_WORD } from './format.js';
import { stripControl } from './markdown.js';
import type { GateResults } from './results.js';
import { renderTextChart } from './text-chart.js';

export interface TextOptions {
  /** ANSI colour, only for a terminal. */
  colour: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
const LOG_LINES = 20;
const DETAIL_MAX = 110;

function painter(colour: boolean) {
  return (text: string, style: keyof typeof ANSI) =>
    colour ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
}

function clip(text: string, max: number): string {
  const flat = stripControl(text).replace(/\s*\r?\n\s*/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function columns(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/**
 * The report for a person at a terminal: the same content as the job summary, in the same
 * order, with a block chart of memory where the summary has its Mermaid chart. Engine text
 * is stripped of escape sequences so it cannot move the cursor or recolour the terminal.
 */
export function renderText(results: GateResults, options: TextOptions): string {
  const paint = painter(options.colour);
  const verdictStyle =
    results.verdict === 'pass' ? 'green' : results.verdict === 'fail' ? 'red' : 'yellow';
  const out: string[] = [];

  out.push(
    `${paint(`serving-gate: ${VERDICT_WORD[results.verdict]}`, verdictStyle)}` +
      `${results.config ? `  ${clip(results.config, 200)}` : ''}  (${formatDuration(results.durationMs)})`,
  );
  const about = [
    results.model ? `model ${clip(results.model, 120)}` : null,
    results.engine ? `engine ${results.engine}` : null,
    results.endpoint ? `endpoint ${clip(results.endpoint, 120)}` : null,
  ].filter((p): p is string => p !== null);
  if (about.length > 0) out.push(paint(about.join(' · '), 'dim'));

  for (const reason of results.reasons) {
    const mark =
      reason.severity === 'warn' ? paint('warning', 'yellow') : paint(reason.severity, 'red');
    const place = reasonPlace(reason);
    out.push(`  ${mark} ${reason.rule}: ${clip(reason.message, 600)}${place ? ` [${place}]` : ''}`);
    const figures = reasonFigures(reason);
    if (figures.length > 0) out.push(`    ${paint(clip(figures.join(' · '), 300), 'dim')}`);
  }

  if (results.checks.length > 0) {
    out.push('', paint('Checks', 'bold'));
    const rows = results.checks.map((c) => [
      c.name,
      c.critical ? 'critical' : '',
      STATUS_WORD[c.status],
      formatDuration(c.durationMs),
      clip(c.detail, DETAIL_MAX),
    ]);
    for (const line of columns(['check', '', 'status', 'time', 'detail'], rows)) {
      out.push(`  ${line}`);
    }
  }

  if (results.soak) {
    const s = results.soak;
    out.push(
      '',
      `${paint('Soak', 'bold')}  ${s.requests} requests in ${formatDuration(s.durationMs)} ` +
        `(${s.longRequests} long-context), ${s.failed} failed`,
    );
    for (const error of s.errors.slice(0, 3)) out.push(`  ${clip(error, 300)}`);
  }

  out.push(
    '',
    `${paint('GPU memory', 'bold')}  ${results.memory.source}: ${results.memory.verdict}, ` +
      `${results.memory.samples.length} samples`,
  );
  if (results.memory.series.length > 0) {
    for (const line of columns(SERIES_HEADERS, results.memory.series.map(seriesCells))) {
      out.push(`  ${clip(line, 400)}`);
    }
  }
  for (const chart of chartData(results)) {
    out.push('');
    for (const line of renderTextChart(chart, paint)) out.push(`  ${line}`);
  }

  out.push('', paint('Preflight', 'bold'));
  if (results.preflight) {
    for (const line of formatPreflight(results.preflight).trimEnd().split('\n')) {
      out.push(`  ${stripControl(line)}`);
    }
  } else {
    out.push('  did not run: no config was given, or the GPU could not be read');
  }

  if (results.verdict !== 'pass' && results.deploy.logTail.length > 0) {
    out.push('', paint('Engine log (last lines)', 'bold'));
    for (const line of results.deploy.logTail.slice(-LOG_LINES)) {
      out.push(`  ${paint(clip(line, 300), 'dim')}`);
    }
  }
  if (!results.teardown.ok) out.push('', `Teardown: ${clip(results.teardown.message, 600)}`);
  return `${out.join('\n')}\n`;
}
