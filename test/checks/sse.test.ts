import { describe, expect, it } from 'vitest';
import { flushSse, splitSse } from '../../src/checks/sse.js';

describe('splitSse', () => {
  it('returns complete events and keeps the incomplete rest', () => {
    const first = splitSse('', 'data: {"a":1}\n\ndata: {"b"');
    expect(first.events).toEqual([{ event: null, data: '{"a":1}' }]);
    const second = splitSse(first.rest, ':2}\n\n');
    expect(second.events).toEqual([{ event: null, data: '{"b":2}' }]);
    expect(second.rest).toBe('');
  });

  it('drops comments, such as keep-alive pings', () => {
    const { events } = splitSse('', ': ping\n\ndata: x\n: note inside\n\n');
    expect(events).toEqual([{ event: null, data: 'x' }]);
  });

  it('joins multi-line data and reads the event name', () => {
    const { events } = splitSse('', 'event: message\ndata: one\ndata: two\n\n');
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('accepts \\r\\n line ends, even when a \\r\\n pair is split between chunks', () => {
    const first = splitSse('', 'data: [DONE]\r\n\r');
    expect(first.events).toEqual([]);
    const second = splitSse(first.rest, '\n');
    expect(second.events).toEqual([{ event: null, data: '[DONE]' }]);
  });

  it('takes data without the optional space after the colon', () => {
    expect(splitSse('', 'data:{"x":1}\n\n').events[0]?.data).toBe('{"x":1}');
  });
});

describe('flushSse', () => {
  it('keeps a last event that the server did not end with a blank line', () => {
    expect(flushSse('data: [DONE]')).toEqual([{ event: null, data: '[DONE]' }]);
    expect(flushSse(': only a comment')).toEqual([]);
  });
});

describe('an error written as an `error:` field (llama.cpp)', () => {
  it('is kept as an event named error instead of being dropped', () => {
    const line =
      'error: {"code":500,"message":"CUDA error: an illegal memory access was encountered","type":"server_error"}\n\n';
    const { events } = splitSse('', `data: {"content":"a","stop":false}\n\n${line}`);
    expect(events).toEqual([
      { event: null, data: '{"content":"a","stop":false}' },
      {
        event: 'error',
        data: '{"code":500,"message":"CUDA error: an illegal memory access was encountered","type":"server_error"}',
      },
    ]);
  });
});
