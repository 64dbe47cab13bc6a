import { describe, expect, it } from 'vitest';
import {
  checkJson,
  checkRange,
  checkStatus,
  checkText,
  deepEqual,
  MAX_MATCHED_CHARS,
} from '../../src/suite/expect.js';
import { parseJsonPath } from '../../src/suite/json-path.js';

const json = (path: string, rest: object = {}) => ({ path, steps: parseJsonPath(path), ...rest });

describe('checkStatus', () => {
  it('takes any 2xx when none is named, and only the named ones otherwise', () => {
    expect(checkStatus(204, null)).toBeNull();
    expect(checkStatus(302, null)).toBe('status 302, not 2xx');
    expect(checkStatus(404, [200, 404])).toBeNull();
    expect(checkStatus(200, [201])).toBe('status 200, expected 201');
  });
});

describe('checkText', () => {
  it('says which pattern the text missed or matched', () => {
    expect(checkText('OK', { matches: /ok/i }, 'text')).toBeNull();
    expect(checkText('nope', { matches: /^OK/ }, 'text')).toBe('text "nope" does not match /^OK/');
    expect(checkText('CUDA error', { notMatches: /error/ }, 'body')).toBe(
      'body "CUDA error" matches /error/',
    );
  });

  it('runs a pattern on the first 64 KiB only', () => {
    const text = `${'a'.repeat(MAX_MATCHED_CHARS)}TAIL`;
    expect(checkText(text, { matches: /TAIL/ }, 'body')).toMatch(/does not match/);
  });
});

describe('checkRange', () => {
  it('judges min and max and a figure that was not reported', () => {
    expect(checkRange(8, { min: 1, max: 8 }, 'completion tokens')).toBeNull();
    expect(checkRange(0, { min: 1 }, 'completion tokens')).toBe('completion tokens 0 < 1');
    expect(checkRange(null, { max: 8 }, 'prompt tokens')).toBe('prompt tokens not reported');
    expect(checkRange(null, undefined, 'x')).toBeNull();
  });
});

describe('checkJson', () => {
  const body = { status: 'ok', results: [1, 2], count: 3, nested: { a: [1, { b: true }] } };

  it('passes when every expectation holds', () => {
    expect(
      checkJson(body, [
        json('$.status', { equals: 'ok' }),
        json('$.results', { min: 2, max: 2 }),
        json('$.count', { min: 3 }),
        json('$.nested', { equals: { a: [1, { b: true }] } }),
        json('$.missing', { exists: false }),
        json('$.status', { matches: /^o/ }),
      ]),
    ).toBeNull();
  });

  it('reports the first expectation that fails, with the value found', () => {
    expect(checkJson(body, [json('$.status', { equals: 'ready' })])).toBe(
      '$.status is "ok", expected "ready"',
    );
    expect(checkJson(body, [json('$.results', { max: 1 })])).toBe('$.results length 2 > 1');
    expect(checkJson(body, [json('$.items[0]')])).toBe('$.items[0] is missing (no $.items)');
    expect(checkJson(body, [json('$.status', { exists: false })])).toBe(
      '$.status is present, expected absent',
    );
    expect(checkJson(body, [json('$.status', { min: 1 })])).toBe(
      '$.status is "ok", not a number or a list',
    );
  });
});

describe('deepEqual', () => {
  it('compares structure, not identity, and tells lists from maps', () => {
    expect(deepEqual({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, 0)).toBe(false);
  });
});
