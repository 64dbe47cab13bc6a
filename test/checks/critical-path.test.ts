import { afterEach, describe, expect, it } from 'vitest';
import { runCriticalPath, runGenerateCheck } from '../../src/checks/critical-path.js';
import { createEngineClient } from '../../src/checks/http.js';
import { type CheckResult, CRITICAL_PATH_CHECKS } from '../../src/checks/types.js';
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

function statuses(checks: CheckResult[]): Record<string, string> {
  return Object.fromEntries(checks.map((c) => [c.name, c.status]));
}

describe('runCriticalPath', () => {
  it('passes every check on a healthy engine and reports what it advertises', async () => {
    server = await startVllmMock({ model: 'qwen', maxModelLen: 8192 });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    const seen: string[] = [];

    const result = await runCriticalPath({
      client,
      configuredMaxContext: 8192,
      onCheckDone: (check) => seen.push(check.name),
    });

    expect(result.checks.map((c) => c.name)).toEqual([...CRITICAL_PATH_CHECKS]);
    expect(seen).toEqual([...CRITICAL_PATH_CHECKS]);
    expect(result.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(result).toMatchObject({ model: 'qwen', advertisedMaxContext: 8192 });
    expect(result.calibration).toMatchObject({ measured: true, tokensPerWord: 1 });
  });

  it('marks generate, stream and long-context critical, the others not', async () => {
    server = await startVllmMock();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    const { checks } = await runCriticalPath({ client });
    const critical = checks.filter((c) => c.critical).map((c) => c.name);
    expect(critical).toEqual(['generate', 'stream', 'long-context']);
  });

  it('makes the model list critical once the config names a context to hold it to', async () => {
    server = await startVllmMock({ maxModelLen: 8192 });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    const { checks } = await runCriticalPath({ client, configuredMaxContext: 8192 });
    expect(checks.find((c) => c.name === 'models')).toMatchObject({
      critical: true,
      status: 'pass',
    });
  });

  it('addresses every request to the model the server lists', async () => {
    server = await startVllmMock({ model: 'qwen' });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    await runCriticalPath({ client });
    const posts = server.seen.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => (r.body as { model?: string }).model === 'qwen')).toBe(true);
  });

  it('fails the critical generate while /health answers 200', async () => {
    server = await startVllmMock({
      routes: {
        'POST /v1/completions': (_req, res) =>
          sendJson(
            res,
            500,
            vllmError(500, 'CUDA error: an illegal memory access was encountered'),
          ),
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const { checks } = await runCriticalPath({ client });

    expect(statuses(checks)).toMatchObject({ health: 'pass', generate: 'fail', chat: 'pass' });
    const generate = checks.find((c) => c.name === 'generate');
    expect(generate).toMatchObject({ critical: true });
    expect(generate?.detail).toContain(
      '500 "CUDA error: an illegal memory access was encountered"',
    );
  });

  it('fails models and long-context on a server that serves less context than configured', async () => {
    server = await startVllmMock({ maxModelLen: 4096 });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const { checks } = await runCriticalPath({ client, configuredMaxContext: 16384 });

    expect(statuses(checks)).toMatchObject({ models: 'fail', 'long-context': 'fail' });
    const long = checks.find((c) => c.name === 'long-context');
    expect(long?.configKey).toBe('max-model-len');
    expect(long?.detail).toContain('→ 400 "This model\'s maximum context length is 4096 tokens');
  });

  it('sends the over-limit prompt above the larger of the configured and advertised max', async () => {
    server = await startVllmMock({ maxModelLen: 8192 });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const { checks } = await runCriticalPath({ client, configuredMaxContext: 4096 });

    expect(statuses(checks)).toMatchObject({ models: 'fail', 'over-limit': 'pass' });
    expect(checks.find((c) => c.name === 'over-limit')?.figures).toMatchObject({
      maxContext: 8192,
    });
  });

  it('fails every check, quickly, when nothing listens', async () => {
    const port = await freePort();
    const client = createEngineClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });

    const { checks, model } = await runCriticalPath({ client, configuredMaxContext: 4096 });

    expect(model).toBeNull();
    expect(checks.every((c) => c.status === 'fail')).toBe(true);
    expect(checks[0]?.detail).toBe(
      `GET /health → nothing listens on 127.0.0.1:${port} (connection refused)`,
    );
  });

  it('ends each check at its deadline on a server that never answers', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const started = performance.now();

    const { checks } = await runCriticalPath({
      client,
      configuredMaxContext: 4096,
      checkTimeoutMs: 200,
      longContextTimeoutMs: 300,
      firstTokenTimeoutMs: 100,
    });

    expect(checks.every((c) => c.status === 'fail')).toBe(true);
    expect(checks.find((c) => c.name === 'generate')?.detail).toBe(
      'POST /v1/completions (8 max tokens) → no answer within 200ms',
    );
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('runGenerateCheck', () => {
  it('runs one generate under the name given, such as generate-after-soak', async () => {
    server = await startVllmMock();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const result = await runGenerateCheck({ client, name: 'generate-after-soak', model: 'm' });

    expect(result).toMatchObject({ name: 'generate-after-soak', critical: true, status: 'pass' });
  });

  it('fails at its deadline when the engine hangs', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });

    const result = await runGenerateCheck({ client, timeoutMs: 200 });

    expect(result.status).toBe('fail');
    expect(result.detail).toContain('no answer within 200ms');
  });
});
