import { afterEach, describe, expect, it } from 'vitest';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import { createEngineClient } from '../../src/checks/http.js';
import { streamRequest } from '../../src/checks/stream.js';
import {
  chatChunk,
  type MockServer,
  sendJson,
  sendSse,
  startMock,
  startSilentServer,
  vllmError,
} from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PATH = '/v1/chat/completions';
const deadlines = { firstTokenTimeoutMs: 300, totalTimeoutMs: 2000 };

async function streamFrom(handler: Parameters<typeof startMock>[0][string], totalTimeoutMs = 2000) {
  server = await startMock({ [`POST ${PATH}`]: handler });
  const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
  const body = { stream: true };
  return streamRequest(client, VLLM_PROFILE, PATH, { body, ...deadlines, totalTimeoutMs });
}

describe('streamRequest', () => {
  it('reads tokens until [DONE]', async () => {
    const outcome = await streamFrom((_req, res) =>
      sendSse(res, [chatChunk('O'), chatChunk('K', 'stop'), '[DONE]']),
    );

    expect(outcome).toMatchObject({
      kind: 'stream',
      status: 200,
      tokenEvents: 2,
      text: 'OK',
      sawDone: true,
      finishReason: 'stop',
      inStreamError: null,
      cutOff: null,
    });
  });

  it('reports an error event inside a 200 stream', async () => {
    const error = JSON.stringify(vllmError(500, 'CUDA error: an illegal memory access'));
    const outcome = await streamFrom((_req, res) =>
      sendSse(res, [chatChunk('O'), error, '[DONE]']),
    );

    expect(outcome).toMatchObject({
      kind: 'stream',
      inStreamError: 'CUDA error: an illegal memory access',
      sawDone: true,
    });
  });

  it('cuts off headers followed by silence at the first-token deadline', async () => {
    const started = performance.now();
    const outcome = await streamFrom((_req, res) => sendSse(res, [], true));

    expect(outcome).toMatchObject({ kind: 'stream', tokenEvents: 0, cutOff: 'first-token' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('does not count a role-only first chunk as a token', async () => {
    const outcome = await streamFrom((_req, res) => sendSse(res, [chatChunk('')], true));
    expect(outcome).toMatchObject({ kind: 'stream', tokenEvents: 0, cutOff: 'first-token' });
  });

  it('cuts off a stream that sends tokens but never ends at the total deadline', async () => {
    const outcome = await streamFrom((_req, res) => {
      sendSse(res, [chatChunk('O')], true);
      const timer = setInterval(() => res.write(`data: ${chatChunk('.')}\n\n`), 50);
      res.on('close', () => clearInterval(timer));
    }, 500);

    expect(outcome).toMatchObject({ kind: 'stream', cutOff: 'total', sawDone: false });
    if (outcome.kind === 'stream') expect(outcome.tokenEvents).toBeGreaterThan(1);
  });

  it("treats the caller's own deadline as a timeout, not as a cancel", async () => {
    server = await startMock({
      [`POST ${PATH}`]: (_req, res) => sendSse(res, [chatChunk('O')], true),
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const outcome = await streamRequest(client, VLLM_PROFILE, PATH, {
      body: {},
      firstTokenTimeoutMs: 5000,
      totalTimeoutMs: 5000,
      signal: AbortSignal.timeout(200),
    });

    expect(outcome).toMatchObject({ kind: 'stream', cutOff: 'total', tokenEvents: 1 });
  });

  it('returns a refusal before the stream as an HTTP answer with its body', async () => {
    const outcome = await streamFrom((_req, res) => sendJson(res, 400, vllmError(400, 'too long')));
    expect(outcome).toMatchObject({ kind: 'response', status: 400, isJson: true });
  });

  it('says no answer came when even the headers do not arrive', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const outcome = await streamRequest(client, VLLM_PROFILE, PATH, { body: {}, ...deadlines });

    expect(outcome).toMatchObject({ kind: 'timeout', message: 'no answer within 300ms' });
  });
});
