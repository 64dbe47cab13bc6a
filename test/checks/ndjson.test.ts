import { describe, expect, it } from 'vitest';
import { flushNdjson, splitNdjson } from '../../src/checks/ndjson.js';

describe('splitNdjson', () => {
  it('returns complete lines and keeps a line cut by the chunk', () => {
    const first = splitNdjson('', '{"response":"The","done":false}\n{"respon');
    expect(first.events).toEqual([{ event: null, data: '{"response":"The","done":false}' }]);
    const second = splitNdjson(first.rest, 'se":"","done":true}\n');
    expect(second.events).toEqual([{ event: null, data: '{"response":"","done":true}' }]);
    expect(second.rest).toBe('');
  });

  it('skips blank lines and reads CRLF', () => {
    const { events } = splitNdjson('', '{"a":1}\r\n\r\n{"b":2}\r\n');
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('flushes a last line sent without its newline', () => {
    expect(flushNdjson('{"done":true}')).toEqual([{ event: null, data: '{"done":true}' }]);
    expect(flushNdjson('')).toEqual([]);
  });
});
