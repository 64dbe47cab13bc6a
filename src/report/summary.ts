import { formatDuration } from '../units.js';
import type { Reason } from '../verdict/types.js';
import { SERIES_HEADERS, STATUS_WORD, seriesCells, VERDICT_WORD } from './format.js';
import type { GateResults } from './results.js';

/** Markdown table cells must not break the table or open HTML. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ').slice(0, 400);
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function where(reason: Reason): string {
  return reason.file ? ` (${reason.file}${reason.line ? `:${reason.line}` : ''})` : '';
}

/** The job summary: verdict and first reason at the top, evidence below. */
export function renderSummary(results: GateResults): string {
  const out: string[] = [];
  const first = results.reasons.find((r) => r.severity !== 'warn') ?? results.reasons[0];
  const heading = `## serving-gate: ${VERDICT_WORD[results.verdict]}`;
  out.push(first && results.verdict !== 'pass' ? `${heading}: ${cell(first.message)}` : heading);

  const about = [
    results.config ? `config \`${results.config}\`` : null,
    results.model ? `model \`${results.model}\`` : null,
    results.endpoint ? `endpoint \`${results.endpoint}\`` : null,
    `${formatDuration(results.durationMs)}`,
  ].filter(Boolean);
  out.push('', about.join(' · '));

  if (results.reasons.length > 0) {
    out.push('', '### Reasons', '');
    for (const reason of results.reasons) {
      const mark = reason.severity === 'warn' ? 'warning' : reason.severity;
      out.push(`- **${mark}** \`${reason.rule}\`: ${cell(reason.message)}${where(reason)}`);
    }
  }

  if (results.checks.length > 0) {
    const ran = results.checks.filter((c) => c.status !== 'skip');
    const passed = ran.filter((c) => c.status !== 'fail').length;
    out.push('', `### Checks (${passed} of ${ran.length} passed)`, '');
    out.push(
      table(
        ['check', 'critical', 'status', 'time', 'detail'],
        results.checks.map((c) => [
          c.name,
          c.critical ? 'yes' : 'no',
          STATUS_WORD[c.status],
          formatDuration(c.durationMs),
          c.detail,
        ]),
      ),
    );
  }

  if (results.soak) {
    const s = results.soak;
    out.push(
      '',
      '### Soak',
      '',
      `${s.requests} requests in ${formatDuration(s.durationMs)} ` +
        `(${s.longRequests} long-context), ${s.failed} failed` +
        (s.longFailed ? ` (${s.longFailed} long-context)` : '') +
        '.',
    );
    for (const error of s.errors.slice(0, 3)) out.push(`- ${cell(error)}`);
  }

  out.push('', `### GPU memory (${results.memory.source}: ${results.memory.verdict})`, '');
  if (results.memory.series.length > 0) {
    out.push(table(SERIES_HEADERS, results.memory.series.map(seriesCells)));
  } else {
    out.push('No GPU memory series were measured.');
  }
  out.push('', `${results.memory.samples.length} samples.`);

  if (results.verdict !== 'pass' && results.deploy.logTail.length > 0) {
    const lines = results.deploy.logTail.slice(-40).join('\n').replace(/```/g, "'''");
    out.push(
      '',
      '<details><summary>Engine log (last lines)</summary>',
      '',
      '```text',
      lines,
      '```',
      '',
      '</details>',
    );
  }
  if (!results.teardown.ok) out.push('', `Teardown: ${cell(results.teardown.message)}`);
  return `${out.join('\n')}\n`;
}
