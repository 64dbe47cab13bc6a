import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { splitWords } from '../../src/preflight/shell-words.js';

const byLine = (text: string) => (i: number) => text.slice(0, i).split('\n').length;

describe('splitWords', () => {
  it('keeps a single-quoted JSON argument as one word', () => {
    const text = `vllm serve m --hf-overrides '{"rope_scaling": {"factor": 4.0}}' -tp 2`;
    expect(splitWords(text, () => 1, 'c').map((w) => w.text)).toEqual([
      'vllm',
      'serve',
      'm',
      '--hf-overrides',
      '{"rope_scaling": {"factor": 4.0}}',
      '-tp',
      '2',
    ]);
  });

  it('reads double quotes with their escapes and joins adjacent quoted parts', () => {
    const words = splitWords(`--a "x \\"y\\" z" --b pre'fix'"ed"`, () => 1, 'c');
    expect(words.map((w) => w.text)).toEqual(['--a', 'x "y" z', '--b', 'prefixed']);
  });

  it('follows line continuations and gives each word its own line', () => {
    const text = 'vllm serve m \\\n  --max-model-len 131072 \\\n  --kv-cache-dtype fp8\n';
    const words = splitWords(text, byLine(text), 'c');
    expect(words.map((w) => [w.text, w.line])).toEqual([
      ['vllm', 1],
      ['serve', 1],
      ['m', 1],
      ['--max-model-len', 2],
      ['131072', 2],
      ['--kv-cache-dtype', 3],
      ['fp8', 3],
    ]);
  });

  it('marks unquoted shell operators, not quoted ones', () => {
    const words = splitWords(`pip install x && vllm serve m; echo '&&'`, () => 1, 'c');
    expect(words.filter((w) => w.operator).map((w) => w.text)).toEqual(['&&', ';']);
    expect(words.at(-1)).toEqual({ text: '&&', line: 1 });
  });

  it('refuses a quote that is never closed, naming the line', () => {
    const text = 'a\n--hf-overrides \'{"x": 1}\n';
    expect(() => splitWords(text, byLine(text), 'compose.yml')).toThrowError(GateError);
    expect(() => splitWords(text, byLine(text), 'compose.yml')).toThrow(
      'compose.yml:2: a quote in the command is never closed',
    );
  });
});
