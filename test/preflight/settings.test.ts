import { describe, expect, it } from 'vitest';
import {
  parseArgs,
  readBoolean,
  readInteger,
  readJsonObject,
  readTokenCount,
  type Setting,
} from '../../src/preflight/settings.js';
import type { Word } from '../../src/preflight/shell-words.js';

function text(key: string, value: string, line = 3): Setting {
  return { key, name: key, path: [], file: 'c.yaml', line, value: { kind: 'text', text: value } };
}

function words(...texts: string[]): Word[] {
  return texts.map((t, i) => ({ text: t, line: i + 1 }));
}

describe('readTokenCount', () => {
  it('reads vLLM suffixes: k is 1000, K is 1024', () => {
    expect(readTokenCount(text('max-model-len', '32k'))).toBe(32_000);
    expect(readTokenCount(text('max-model-len', '32K'))).toBe(32_768);
    expect(readTokenCount(text('max-model-len', '1M'))).toBe(1_048_576);
    expect(readTokenCount(text('max-model-len', '131072'))).toBe(131_072);
  });

  it('reads auto and -1 as "not set"', () => {
    expect(readTokenCount(text('max-model-len', 'auto'))).toBeNull();
    expect(readTokenCount(text('max-model-len', '-1'))).toBeNull();
  });

  it('refuses anything else, naming file, line, key and the valid forms', () => {
    expect(() => readTokenCount(text('max-model-len', '128 tokens'))).toThrow(
      'c.yaml:3: max-model-len is "128 tokens", not a token count such as 32768, 32k or 32K',
    );
  });
});

describe('readJsonObject', () => {
  it('parses a JSON string, as vLLM takes hf-overrides on a command line', () => {
    expect(readJsonObject(text('hf-overrides', '{"rope_scaling": {"factor": 4}}'))).toEqual({
      rope_scaling: { factor: 4 },
    });
  });

  it('refuses JSON that does not parse, naming where', () => {
    expect(() => readJsonObject(text('hf-overrides', "{'factor': 4}"))).toThrow(
      /^c\.yaml:3: hf-overrides is not valid JSON/,
    );
  });

  it('refuses JSON that is not an object', () => {
    expect(() => readJsonObject(text('hf-overrides', '[1, 2]'))).toThrow(
      'not a JSON object or a YAML map',
    );
  });
});

describe('readInteger and readBoolean', () => {
  it('accept numbers written as text, as vLLM passes config values as flags', () => {
    expect(readInteger(text('tensor-parallel-size', '4'), { min: 1 })).toBe(4);
    expect(readBoolean(text('enforce-eager', 'true'))).toBe(true);
  });

  it('refuse a fraction or a word where a whole number belongs', () => {
    expect(() => readInteger(text('tensor-parallel-size', '1.5'), { min: 1 })).toThrow(
      'c.yaml:3: tensor-parallel-size is "1.5", not a whole number of at least 1',
    );
    expect(() => readBoolean(text('enforce-eager', 'yes please'))).toThrow('not true or false');
  });
});

describe('parseArgs', () => {
  const isBoolean = (n: string) => n === 'enable-prefix-caching' || n === 'enforce-eager';

  it('reads --flag value, --flag=value and bare boolean flags, keeping lines', () => {
    const parsed = parseArgs(
      words('m', '--max-model-len', '4096', '--kv-cache-dtype=fp8', '--enforce-eager', 'extra'),
      'c.yml',
      { isBoolean },
    );
    expect(parsed.settings.map((s) => [s.name, s.line, s.value])).toEqual([
      ['max-model-len', 2, { kind: 'text', text: '4096' }],
      ['kv-cache-dtype', 4, { kind: 'text', text: 'fp8' }],
      ['enforce-eager', 5, { kind: 'flag', on: true }],
    ]);
    expect(parsed.positionals.map((w) => w.text)).toEqual(['m', 'extra']);
  });

  it('reads --no-X as X switched off, short aliases, and dotted sub-keys', () => {
    const parsed = parseArgs(
      words('--no-enable-prefix-caching', '-tp', '2', '--hf-overrides.rope_scaling.factor', '4'),
      'c.yml',
      { isBoolean, aliases: { '-tp': 'tensor-parallel-size' } },
    );
    expect(parsed.settings.map((s) => [s.key, s.name, s.path, s.value])).toEqual([
      ['--no-enable-prefix-caching', 'enable-prefix-caching', [], { kind: 'flag', on: false }],
      ['-tp', 'tensor-parallel-size', [], { kind: 'text', text: '2' }],
      [
        '--hf-overrides.rope_scaling.factor',
        'hf-overrides',
        ['rope_scaling', 'factor'],
        { kind: 'text', text: '4' },
      ],
    ]);
  });

  it('takes a negative number as a value, not a flag', () => {
    const parsed = parseArgs(words('--max-model-len', '-1'), 'c.yml', { isBoolean });
    expect(parsed.settings[0]?.value).toEqual({ kind: 'text', text: '-1' });
  });
});
