import { GateError } from '../errors.js';

/**
 * Splits a command line into argv without a shell: whitespace separates words, single
 * quotes keep text as is, double quotes keep spaces and honour backslash escapes. Used for
 * commands the gate runs itself (the `nvidia-smi` input), so no shell ever sees them.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
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
    throw new GateError('usage', `unclosed ${quote} quote in command: ${text}`);
  }
  if (inWord) words.push(word);
  return words;
}
