import { GateError } from '../errors.js';

/** One word of a command line, with the config line it was written on. */
export interface Word {
  text: string;
  line: number;
  /** `&&`, `||`, `;`, `|` written unquoted: the command before it has ended. */
  operator?: boolean;
}

const OPERATORS = new Set(['&&', '||', ';', '|']);

/**
 * Splits a command written as one string the way a POSIX shell would split its words:
 * quotes, backslash escapes and line continuations. It never expands or runs anything:
 * the words are only read. `lineOf(i)` gives the config line of character `i` of `text`.
 */
export function splitWords(text: string, lineOf: (index: number) => number, where: string): Word[] {
  const words: Word[] = [];
  let current = '';
  let start = -1;
  let quoted = false;
  let i = 0;

  const flush = () => {
    if (start < 0) return;
    const operator = !quoted && OPERATORS.has(current);
    words.push(
      operator
        ? { text: current, line: lineOf(start), operator }
        : { text: current, line: lineOf(start) },
    );
    current = '';
    start = -1;
    quoted = false;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      flush();
      i += 1;
      continue;
    }
    if (c === ';') {
      // `a; b`: the semicolon ends the word before it and is an operator of its own.
      flush();
      words.push({ text: ';', line: lineOf(i), operator: true });
      i += 1;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw unterminated(where, lineOf(i));
      current += text.slice(i + 1, end);
      quoted = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i += 1;
      quoted = true;
      for (;;) {
        if (i >= text.length) throw unterminated(where, lineOf(start));
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') current += text[i + 1];
          i += 2;
          continue;
        }
        current += d;
        i += 1;
      }
      i += 1;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i += 2;
      continue;
    }
    current += c;
    i += 1;
  }
  flush();
  return words;
}

function unterminated(where: string, line: number): GateError {
  return new GateError(
    'config',
    `${where}:${line}: a quote in the command is never closed`,
    'close the quote, or write the command as a YAML list of words',
  );
}
