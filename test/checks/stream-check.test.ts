import { afterEach, describe, expect, it } from 'vitest';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import { createEngineClient } from '../../src/checks/http.js';
import type { StreamReport } from '../../src/checks/stream.js';
import { checkStream, judgeStream } from '../../src/checks/stream-check.js';
import { chatChunk, type MockServer, sendSse, startVllmMock, vllmError } from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const deadlines = { firstTokenTimeoutMs: 1000, totalTimeoutMs: 5000 };

function report(fields: Partial<StreamReport>): StreamReport {
  return {
    kind: 'stream',
    status: 200,
    tokenEvents: 3,
    text: 'abc',
    sawDone: true,
    finishReason: 'stop',
    inStreamError: null,
    invalidEvents: 0,
    firstTokenMs: 40,
    ms: 90,
    cutOff: null,
    broken: null,
    promptTokens: 9,
    ...fields,
  };
}

describe('judgeStream', () => {
  it('passes a stream with tokens that ends with [DONE]', () => {
    expect(judgeStream(report({}), deadlines)).toEqual({
      status: 'pass',
      result: '200, 3 token events, first token in 40 ms, ended with [DONE]',
    });
  });

  it('passes a stream that ends with a finish reason but no [DONE]', () => {
    expect(judgeStream(report({ sawDone: false }), deadlines).status).toBe('pass');
  });

  it('fails a stream that just stops, with neither [DONE] nor a finish reason', () => {
    const judged = judgeStream(report({ sawDone: false, finishReason: null }), deadlines);
    expect(judged).toEqual({
      status: 'fail',
      result: '200, 3 token events, stream ended without [DONE] or a finish reason',
    });
  });

  it('fails an in-stream error even when [DONE] follows', () => {
    const judged = judgeStream(report({ inStreamError: 'CUDA error' }), deadlines);
    expect(judged.status).toBe('fail');
    expect(judged.result).toContain('an error inside the stream: "CUDA error"');
  });

  it('fails a stream that ended without a token', () => {
    const judged = judgeStream(report({ tokenEvents: 0, text: '' }), deadlines);
    expect(judged.status).toBe('fail');
  });
});

describe('checkStream', () => {
  const context = () => ({ signal: AbortSignal.timeout(5000), timeoutMs: 5000 });

  function depsFor(mock: MockServer) {
    return {
      client: createEngineClient({ baseUrl: mock.url, timeoutMs: 5000 }),
      profile: VLLM_PROFILE,
    };
  }

  it('passes a healthy stream and asks for it with stream: true', async () => {
    server = await startVllmMock();
    const outcome = await checkStream(
      depsFor(server),
      'm',
      { firstTokenTimeoutMs: 1000 },
      context(),
    );
    expect(outcome.status).toBe('pass');
    expect(server.seen.at(-1)?.body).toMatchObject({ model: 'm', stream: true });
  });

  it('fails with the message of an error sent inside the 200 stream', async () => {
    server = await startVllmMock({
      routes: {
        'POST /v1/chat/completions': (_req, res) =>
          sendSse(res, [
            chatChunk('O'),
            JSON.stringify(
              vllmError(500, 'CUDA error: an illegal memory access', 'InternalServerError'),
            ),
            '[DONE]',
          ]),
      },
    });
    const outcome = await checkStream(
      depsFor(server),
      null,
      { firstTokenTimeoutMs: 1000 },
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      detail:
        'POST /v1/chat/completions (stream) → 200, 1 token event, then an error inside the stream: "CUDA error: an illegal memory access"',
    });
  });

  it('fails headers followed by silence at the first-token deadline', async () => {
    server = await startVllmMock({
      routes: { 'POST /v1/chat/completions': (_req, res) => sendSse(res, [], true) },
    });
    const started = performance.now();
    const outcome = await checkStream(
      depsFor(server),
      null,
      { firstTokenTimeoutMs: 300 },
      context(),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      detail: 'POST /v1/chat/completions (stream) → 200 headers, then no token within 300ms',
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
