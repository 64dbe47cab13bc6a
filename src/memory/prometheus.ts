/** One sample of the Prometheus text format: `name{label="value",…} value [timestamp]`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_HEAD = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{)?/;

/**
 * Reads the samples of a Prometheus text exposition. `# HELP`, `# TYPE` and other comments
 * are skipped; a line that cannot be read is skipped too, so one odd series from an
 * exporter never hides the ones the gate needs.
 */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseLine(line);
    if (sample) samples.push(sample);
  }
  return samples;
}

function parseLine(line: string): PromSample | null {
  const head = SAMPLE_HEAD.exec(line);
  if (!head) return null;

  let labels: Record<string, string> = Object.create(null);
  let rest = line.slice(head[0].length);
  if (head[2] === '{') {
    const parsed = parseLabels(rest);
    if (!parsed) return null;
    labels = parsed.labels;
    rest = rest.slice(parsed.consumed);
  }

  const valueText = rest.trim().split(/\s+/)[0] ?? '';
  const value = parseValue(valueText);
  return value === null ? null : { name: head[1]!, labels, value };
}

/** Labels after the `{`; returns how many characters, the closing `}` included, it used. */
function parseLabels(text: string): { labels: Record<string, string>; consumed: number } | null {
  const labels: Record<string, string> = Object.create(null);
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, consumed: i + 1 };

    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!name) return null;
    i += name[0].length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return null;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return null;
    i++;

    let value = '';
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\' && i + 1 < text.length) {
        i++;
        value += text[i] === 'n' ? '\n' : text[i];
      } else {
        value += text[i];
      }
    }
    if (i >= text.length) return null;
    i++;
    labels[name[0]] = value;
  }
}

function parseValue(text: string): number | null {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === '') return null;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}
