import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../src/checks/http.js';
import { waitForReady } from '../../src/checks/readiness.js';
import {
  freePort,
  type MockServer,
  sendJson,
  startSilentServer,
  startVllmMock,
  vllmError,
} from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { initialDelayMs: 10, maxDelayMs: 40, deadPollMs: 20 };

describe('waitForReady', () => {
  it('waits through 503s until a real generate succeeds', async () => {
    let healthCalls = 0;
    server = await startVllmMock({
      model: 'qwen',
      maxModelLen: 131072,
      routes: {
        'GET /health': (_req, res) => {
          healthCalls += 1;
          res.writeHead(healthCalls <= 2 ? 503 : 200);
          res.end();
        },
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    const problems: string[] = [];

    const result = await waitForReady({
      client,
      timeoutMs: 10_000,
      ...fast,
      onAttempt: (_n, problem) => problems.push(problem),
    });

    expect(result).toMatchObject({
      outcome: 'ready',
      attempts: 3,
      model: 'qwen',
      maxModelLen: 131072,
    });
    expect(problems).toEqual([
      'GET /health → 503 "(empty body)" (the engine reports itself dead)',
      'GET /health → 503 "(empty body)" (the engine reports itself dead)',
    ]);
    expect(result.detail).toMatch(
      /^ready after \d+ms \(3 attempts\): POST \/v1\/completions → 200$/,
    );
  });

  it('is not ready while /health says 200 but generate fails', async () => {
    let generateCalls = 0;
    server = await startVllmMock({
      routes: {
        'POST /v1/completions': (_req, res) => {
          generateCalls += 1;
          if (generateCalls <= 2) return sendJson(res, 500, vllmError(500, 'CUDA error'));
          sendJson(res, 200, { choices: [{ text: 'OK' }] });
        },
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const result = await waitForReady({ client, timeoutMs: 10_000, ...fast });

    expect(result.outcome).toBe('ready');
    expect(result.attempts).toBe(3);
  });

  it('times out with the last problem when generate never succeeds', async () => {
    server = await startVllmMock({
      routes: {
        'POST /v1/completions': (_req, res) => sendJson(res, 500, vllmError(500, 'CUDA error')),
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const result = await waitForReady({ client, timeoutMs: 300, ...fast });

    expect(result.outcome).toBe('timeout');
    expect(result.lastProblem).toBe('POST /v1/completions → 500 "CUDA error"');
    expect(result.detail).toMatch(/^not ready within 300ms \(\d+ attempts\); last: POST/);
  });

  it('keeps polling while nothing listens yet, then times out saying so', async () => {
    const port = await freePort();
    const client = createEngineClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });

    const result = await waitForReady({ client, timeoutMs: 300, ...fast });

    expect(result.outcome).toBe('timeout');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.lastProblem).toBe(
      `GET /health → nothing listens on 127.0.0.1:${port} (connection refused)`,
    );
  });

  it('stops at once with the reason when the deployment dies', async () => {
    server = await startVllmMock({
      routes: {
        'GET /health': (_req, res) => {
          res.writeHead(503);
          res.end();
        },
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    let asked = 0;
    const isDead = () => (++asked >= 3 ? 'container exited with code 1' : null);

    const result = await waitForReady({ client, timeoutMs: 60_000, isDead, ...fast });

    expect(result.outcome).toBe('dead');
    expect(result.detail).toContain('deployment died after');
    expect(result.detail).toContain(': container exited with code 1; last: GET /health → 503');
  });

  it('stops a request in flight when the deployment dies', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const diesAt = performance.now() + 100;
    const isDead = () => (performance.now() >= diesAt ? 'restart loop: 3 restarts' : null);

    const result = await waitForReady({
      client,
      timeoutMs: 60_000,
      probeTimeoutMs: 30_000,
      isDead,
      ...fast,
    });

    expect(result.outcome).toBe('dead');
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.lastProblem).toBeNull();
  });

  it('ends as aborted when the caller cancels', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const result = await waitForReady({ client, timeoutMs: 60_000, signal: controller.signal });

    expect(result.outcome).toBe('aborted');
  });
});
