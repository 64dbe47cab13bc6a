/**
 * Markdown building blocks that keep untrusted text inert. Check details, reasons and log
 * lines carry what the engine sent back, so none of it may open HTML, break a table, start
 * a link or image, or mention a person in a PR comment.
 */

const CELL_MAX = 300;

/** Escape sequences and control characters a terminal or browser would act on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

/**
 * Text as one line of Markdown: HTML and Markdown punctuation escaped, @mentions broken
 * with a zero-width space (GitHub would notify the person), newlines folded.
 */
export function inline(text: string, max = Number.POSITIVE_INFINITY): string {
  let flat = stripControl(text).replace(/\s*\r?\n\s*/g, ' ');
  if (flat.length > max) flat = `${flat.slice(0, max - 1)}…`;
  return flat
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

/** A table cell: one line, escaped, and short enough to keep the table readable. */
export function cell(text: string): string {
  return inline(text, CELL_MAX);
}

/** Code (a rule id, a path) shown as code; backticks inside widen the fence. */
export function code(text: string): string {
  const flat = stripControl(text).replace(/\s*\r?\n\s*/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

export function table(headers: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A fenced block whose fence is longer than any backtick run in the text it holds. */
export function fenced(lines: readonly string[], info = 'text'): string {
  const body = lines.map(stripControl).join('\n');
  const longest = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A collapsed section; `summary` is escaped, `body` is Markdown already. */
export function details(summary: string, body: string): string {
  return `<details><summary>${inline(summary)}</summary>\n\n${body}\n\n</details>`;
}
