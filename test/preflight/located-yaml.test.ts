import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { parseLocated, type YMap, type YNode } from '../../src/preflight/located-yaml.js';
import { fixture } from './paths.js';

function entry(node: YNode, key: string) {
  if (node.kind !== 'map') throw new Error('not a map');
  const found = node.entries.find((e) => e.key === key);
  if (!found) throw new Error(`no ${key}`);
  return found;
}

function refusal(text: string, file = 'c.yaml'): GateError {
  try {
    parseLocated(text, file);
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
  throw new Error('expected a GateError');
}

describe('parseLocated', () => {
  it('gives every key the 1-based line it is written on', () => {
    const doc = parseLocated(
      '# comment\nmodel: m\nhf-overrides:\n  rope_scaling:\n    factor: 4\n',
      'c.yaml',
    );
    expect(entry(doc.root, 'model').keyLine).toBe(2);
    const overrides = entry(doc.root, 'hf-overrides');
    expect(overrides.keyLine).toBe(3);
    const rope = entry(overrides.value, 'rope_scaling');
    expect(rope.keyLine).toBe(4);
    expect(entry(rope.value, 'factor')).toMatchObject({ keyLine: 5, value: { value: 4 } });
  });

  it('reads JSON, tab-indented included, with lines', () => {
    const doc = parseLocated('{\n\t"model": "m",\n\t"max-model-len": 4096\n}\n', 'c.json');
    expect(entry(doc.root, 'max-model-len')).toMatchObject({ keyLine: 3, value: { value: 4096 } });
  });

  it('resolves merge keys, explicit keys winning, merged ones keeping the anchor line', () => {
    const text = 'x-base: &base\n  image: a\n  restart: always\nsvc:\n  <<: *base\n  image: b\n';
    const svc = entry(parseLocated(text, 'c.yml').root, 'svc').value as YMap;
    expect(svc.entries.map((e) => [e.key, e.keyLine])).toEqual([
      ['image', 6],
      ['restart', 3],
    ]);
    expect(entry(svc, 'image').value).toMatchObject({ value: 'b' });
  });

  it('keeps the content of a block scalar and where it starts, without its header', () => {
    const doc = parseLocated('command: >\n  --model m\n  --max-model-len 5\n', 'c.yml');
    const value = entry(doc.root, 'command').value;
    if (value.kind !== 'scalar' || !value.source) throw new Error('no source');
    expect(value.source.text).toBe('  --model m\n  --max-model-len 5\n');
    expect(doc.lineAt(value.source.offset + value.source.text.indexOf('--max'))).toBe(3);
  });

  it('refuses a key given twice, naming the line', () => {
    const error = refusal('model: a\nmodel: b\n');
    expect(error.code).toBe('config');
    expect(error.message).toBe('c.yaml:2: not valid YAML or JSON: a key appears twice');
  });

  it('refuses text that is not YAML, naming the line', () => {
    const error = refusal(readFileSync(fixture('configs/not-yaml.yaml'), 'utf8'), 'not-yaml.yaml');
    expect(error.message).toMatch(/^not-yaml\.yaml:\d+: not valid YAML or JSON: /);
  });

  it('refuses an alias bomb before expanding it', () => {
    const text = readFileSync(fixture('configs/alias-bomb.yaml'), 'utf8');
    const error = refusal(text, 'alias-bomb.yaml');
    expect(error.message).toContain('alias-bomb.yaml: refused: Excessive alias count');
    expect(error.help).toContain('100 expansions');
  });

  it('refuses an alias inside its own anchor, naming the line', () => {
    const text = readFileSync(fixture('configs/anchor-loop.yaml'), 'utf8');
    expect(refusal(text, 'loop.yaml').message).toBe(
      'loop.yaml:2: alias *self is inside its own anchor (a loop)',
    );
  });

  it('refuses an alias to an anchor that is not defined', () => {
    expect(refusal('model: *nowhere\n').message).toContain('c.yaml: refused: Unresolved alias');
  });

  it('refuses an empty file', () => {
    expect(refusal('# nothing\n').message).toBe('c.yaml: the file is empty');
  });
});
