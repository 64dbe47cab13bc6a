import { describe, expect, it } from 'vitest';
import { interpolate, readEnvironment } from '../../src/preflight/compose-values.js';
import { parseLocated } from '../../src/preflight/located-yaml.js';

function environment(yaml: string) {
  const root = parseLocated(yaml, 'compose.yml').root;
  if (root.kind !== 'map' || !root.entries[0]) throw new Error('no environment');
  return readEnvironment('compose.yml', root.entries[0].value, 'svc', { TAG: 'v1' });
}

describe('readEnvironment', () => {
  it('reads a map and a list alike, each variable with its line', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax
    const tag = '${TAG}';
    const fromMap = environment(
      `environment:\n  NUM_SHARD: 2\n  MODEL_ID: m-${tag}\n  HF_TOKEN:\n`,
    );
    const fromList = environment(
      `environment:\n  - NUM_SHARD=2\n  - MODEL_ID=m-${tag}\n  - HF_TOKEN\n`,
    );
    const expected = {
      NUM_SHARD: { value: '2', file: 'compose.yml', line: 2, key: 'NUM_SHARD' },
      MODEL_ID: { value: 'm-v1', file: 'compose.yml', line: 3, key: 'MODEL_ID' },
    };
    // A variable with no value passes the host's through: unknown here, so left out.
    expect(fromMap).toEqual(expected);
    expect(fromList).toEqual(expected);
  });

  it('refuses an environment that is neither', () => {
    expect(() => environment('environment: NUM_SHARD=2\n')).toThrow(
      'compose.yml:1: environment of svc is neither a map nor a list',
    );
  });
});

describe('interpolate', () => {
  it('follows compose: defaults, known variables, unknown ones left, $$ a dollar', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax
    const mixed = '${A:-1} ${B-2} ${C} $D $$E';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own variable syntax
    const emptyA = '${A:-1} ${A-2}';
    expect(interpolate(mixed, { C: 'c' })).toBe('1 2 c $D $E');
    expect(interpolate(emptyA, { A: '' })).toBe('1 ');
  });
});
