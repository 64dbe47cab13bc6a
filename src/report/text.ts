import { formatDuration } from '../units.js';
import { SERIES_HEADERS, STATUS_WORD, seriesCells, VERDICT_WORD } from './format.js';
import type { GateResults } from './results.js';

export interface TextOptions {
  /** ANSI colour, only for a terminal. */
  colour: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

function painter(colour: boolean) {
  return (text: string, style: keyof typeof ANSI) =>
    colour ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
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

/** The report for a person at a terminal: the same content as the job summary. */
export function renderText(results: GateResults, options: TextOptions): string {
  const paint = painter(options.colour);
  const verdictStyle =
    results.verdict === 'pass' ? 'green' : results.verdict === 'fail' ? 'red' : 'yellow';
  const out: string[] = [];

  out.push(
    `${paint(`serving-gate: ${VERDICT_WORD[results.verdict]}`, verdictStyle)}` +
      `${results.config ? `  ${results.config}` : ''}  (${formatDuration(results.durationMs)})`,
  );
  for (const reason of results.reasons) {
    const mark =
      reason.severity === 'warn' ? paint('warning', 'yellow') : paint(reason.severity, 'red');
    const where = reason.file ? ` [${reason.file}${reason.line ? `:${reason.line}` : ''}]` : '';
    out.push(`  ${mark} ${reason.rule}: ${reason.message}${where}`);
  }

  if (results.checks.length > 0) {
    out.push('', paint('Checks', 'bold'));
    const rows = results.checks.map((c) => [
      c.name,
      c.critical ? 'critical' : '',
      STATUS_WORD[c.status],
      formatDuration(c.durationMs),
      c.detail.length > 110 ? `${c.detail.slice(0, 109)}…` : c.detail,
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
  }

  out.push(
    '',
    `${paint('GPU memory', 'bold')}  ${results.memory.source}: ${results.memory.verdict}`,
  );
  if (results.memory.series.length > 0) {
    for (const line of columns(SERIES_HEADERS, results.memory.series.map(seriesCells))) {
      out.push(`  ${line}`);
    }
  }
  if (!results.teardown.ok) out.push('', `Teardown: ${results.teardown.message}`);
  return `${out.join('\n')}\n`;
}
