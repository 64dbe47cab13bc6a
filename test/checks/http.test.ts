import { afterEach, describe, expect, it } from 'vitest';
import { classifyFetchError, createEngineClient } from '../../src/checks/http.js';
import { GateError } from '../../src/errors.js';
import {
  freePort,
  type MockServer,
  sendJson,
  startMock,
  startSilentServer,
  vllmError,
} from './mock-server.js';

const KEY = 'sk-test-5f1c2a9e';
let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createEngineClient', () => {
  it('sends the API key as a bearer token and parses a JSON answer', async () => {
    server = await startMock({ 'GET /v1/models': (_req, res) => sendJson(res, 200, { data: [] }) });
    const client = createEngineClient({ baseUrl: server.url, apiKey: KEY, timeoutMs: 5000 });

    const outcome = await client.request('GET', '/v1/models');

    expect(outcome).toMatchObject({ kind: 'response', status: 200, isJson: true });
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends no authorization header without a key', async () => {
    server = await startMock({
      'GET /health': (_req, res) => {
        res.end();
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    await client.request('GET', '/health');
    expect(server.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('says nothing listens when the connection is refused', async () => {
    const port = await freePort();
    const client = createEngineClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });

    const outcome = await client.request('GET', '/health');

    expect(outcome.kind).toBe('refused');
    if (outcome.kind === 'response') return;
    expect(outcome.message).toBe(`nothing listens on 127.0.0.1:${port} (connection refused)`);
  });

  it('cuts off a server that accepts and never answers at the deadline', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 200 });
    const started = performance.now();

    const outcome = await client.request('POST', '/v1/completions', { body: { prompt: 'x' } });

    expect(outcome.kind).toBe('timeout');
    if (outcome.kind === 'response') return;
    expect(outcome.message).toBe('no answer within 200ms');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('cuts off an answer whose body never finishes', async () => {
    server = await startMock({
      'GET /v1/models': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":[');
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 300 });

    const outcome = await client.request('GET', '/v1/models');

    expect(outcome).toMatchObject({ kind: 'timeout', message: 'answer not complete within 300ms' });
  });

  it('keeps a body that is not JSON as text', async () => {
    server = await startMock({
      'GET /health': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>gateway</html>');
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const outcome = await client.request('GET', '/health');

    expect(outcome).toMatchObject({
      kind: 'response',
      isJson: false,
      text: '<html>gateway</html>',
    });
  });

  it('never lets the key through, even when the server echoes it', async () => {
    server = await startMock({
      'POST /v1/completions': (req, res) =>
        sendJson(res, 401, vllmError(401, `bad key: ${req.headers.authorization}`)),
    });
    const client = createEngineClient({ baseUrl: server.url, apiKey: KEY, timeoutMs: 5000 });

    const outcome = await client.request('POST', '/v1/completions', { body: {} });

    expect(JSON.stringify(outcome)).not.toContain(KEY);
    expect(outcome.kind === 'response' && outcome.text).toContain('[redacted]');
  });

  it('reports a caller who gave up as aborted, not as a timeout', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const outcome = await client.request('GET', '/health', { signal: controller.signal });

    expect(outcome.kind).toBe('aborted');
  });

  it('shows the base URL without credentials', () => {
    const client = createEngineClient({ baseUrl: 'http://u:p@127.0.0.1:8000/', timeoutMs: 1 });
    expect(client.displayUrl).toBe('http://127.0.0.1:8000');
  });

  it('refuses a base URL that is not http(s) with a usage error', () => {
    expect(() => createEngineClient({ baseUrl: 'localhost:8000', timeoutMs: 1 })).toThrow(
      GateError,
    );
  });
});

describe('classifyFetchError', () => {
  const context = {
    host: 'h:1',
    signal: new AbortController().signal,
    timeoutMs: 1000,
    gotHeaders: false,
  };

  it('finds ECONNREFUSED inside an AggregateError cause', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: new AggregateError([refused]) });
    expect(classifyFetchError(error, context).kind).toBe('refused');
  });

  it('says a reset connection closed before answering', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(classifyFetchError(error, context)).toEqual({
      kind: 'network',
      message: 'h:1 closed the connection before answering',
    });
  });
});
