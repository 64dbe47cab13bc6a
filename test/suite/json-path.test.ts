import { describe, expect, it } from 'vitest';
import { formatJsonPath, parseJsonPath, readJsonPath } from '../../src/suite/json-path.js';

describe('parseJsonPath', () => {
  it('reads names, indices and quoted names, with or without the leading $', () => {
    expect(parseJsonPath('$.choices[0].text')).toEqual(['choices', 0, 'text']);
    expect(parseJsonPath('data[0]["max_model_len"]')).toEqual(['data', 0, 'max_model_len']);
    expect(parseJsonPath("$['key with space'].x-y")).toEqual(['key with space', 'x-y']);
    expect(parseJsonPath('status')).toEqual(['status']);
    expect(parseJsonPath('$')).toEqual([]);
  });

  it('refuses wildcards and unclosed brackets, saying where', () => {
    expect(() => parseJsonPath('$.data[*].id')).toThrow(/cannot read "\[\*\]\.id"/);
    expect(() => parseJsonPath('$.a[0')).toThrow(/cannot read "\[0"/);
    expect(() => parseJsonPath('$.')).toThrow(/expected a name/);
  });
});

describe('readJsonPath', () => {
  const body = { data: [{ id: 'm', max_model_len: 4096 }], flag: false, none: null };

  it('finds values, false and null included', () => {
    expect(readJsonPath(body, ['data', 0, 'id'])).toEqual({ found: true, value: 'm' });
    expect(readJsonPath(body, ['flag'])).toEqual({ found: true, value: false });
    expect(readJsonPath(body, ['none'])).toEqual({ found: true, value: null });
  });

  it('names the first step that is missing', () => {
    expect(readJsonPath(body, ['data', 3, 'id'])).toEqual({ found: false, missing: '$.data[3]' });
    expect(readJsonPath(body, ['data', 0, 'owner'])).toEqual({
      found: false,
      missing: '$.data[0].owner',
    });
    expect(readJsonPath(body, ['flag', 'x'])).toEqual({ found: false, missing: '$.flag.x' });
  });

  it('does not read inherited properties', () => {
    expect(readJsonPath({}, ['constructor']).found).toBe(false);
  });
});

describe('formatJsonPath', () => {
  it('quotes names that are not plain', () => {
    expect(formatJsonPath(['a', 0, 'b c'])).toBe('$.a[0]["b c"]');
  });
});
