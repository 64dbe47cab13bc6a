import { GateError } from '../errors.js';

/**
 * Splits a command line into argv without a shell: whitespace separates words, single
 * quotes keep everything literally, double quotes keep everything but `\"` and `\\`, and
 * outside quotes a backslash escapes a space, a quote or a backslash. Any other backslash
 * is literal, so a Windows path (`C:\Windows\System32\nvidia-smi.exe`) needs no quoting.
 * No variables, globs or pipes: the words go straight to spawn. `name` is the input the
 * text came from, for the error.
 */
export function splitCommand(text: string, name: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && /[\s'"\\]/.test(text[i + 1] ?? '')) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }

  if (quote) {
    throw new GateError(
      'usage',
      `${name}: unterminated ${quote === '"' ? 'double' : 'single'} quote in "${text}"`,
      'close the quote, or escape it with a backslash',
    );
  }
  if (inWord) words.push(word);
  if (words.length === 0) {
    throw new GateError(
      'usage',
      `${name}: the command is empty`,
      'give a command, such as nvidia-smi',
    );
  }
  return words;
}
