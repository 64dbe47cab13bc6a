/**
 * The simulator's tokenizer: one token per whitespace-separated word. Simple enough that a
 * test (or the gate's long-context check) can build a prompt of an exact size, and honest:
 * usage figures are what was counted.
 */

/** Tokens a chat template adds around each message (role markers, separators). */
export const CHAT_TOKENS_PER_MESSAGE = 4;

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Content of a chat message as OpenAI clients send it: a string or a list of parts. */
export function messageText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part !== 'object' || part === null) return null;
    const text = (part as { text?: unknown }).text;
    if (typeof text === 'string') texts.push(text);
  }
  return texts.join(' ');
}

/** Prompt tokens of a chat request: the words of every message plus the template. */
export function countChatTokens(contents: string[]): number {
  return contents.reduce((sum, text) => sum + countWords(text) + CHAT_TOKENS_PER_MESSAGE, 0);
}

const FILLER = [
  'the',
  'server',
  'answers',
  'with',
  'simulated',
  'words',
  'so',
  'that',
  'every',
  'check',
  'sees',
  'real',
  'tokens',
  'arrive',
  'in',
  'order',
];

/** Deterministic output: `count` words starting at a position picked by `offset`. */
export function fillerTokens(count: number, offset: number): string[] {
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = FILLER[(offset + i) % FILLER.length]!;
    words.push(i === 0 ? word : ` ${word}`);
  }
  return words;
}
