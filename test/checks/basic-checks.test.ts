import { afterEach, describe, expect, it } from 'vitest';
import {
  checkChat,
  checkGenerate,
  checkHealth,
  checkModels,
} from '../../src/checks/basic-checks.js';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import { createEngineClient } from '../../src/checks/http.js';
import { type MockServer, sendJson, startMock, startVllmMock, vllmError } from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function depsFor(mock: MockServer) {
  return {
    client: createEngineClient({ baseUrl: mock.url, timeoutMs: 5000 }),
    profile: VLLM_PROFILE,
  };
}

const context = () => ({ signal: AbortSignal.timeout(5000), timeoutMs: 5000 });

describe('checkHealth', () => {
  it('passes on 200', async () => {
    server = await startVllmMock();
    const outcome = await checkHealth(depsFor(server), context());
    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toMatch(/^GET \/health → 200 in \d+ ms$/);
  });

  it('fails on 503 and says so', async () => {
    server = await startMock({
      'GET /health': (_req, res) => {
        res.writeHead(503);
        res.end();
      },
    });
    const outcome = await checkHealth(depsFor(server), context());
    expect(outcome).toMatchObject({
      status: 'fail',
      detail: 'GET /health → 503 "(empty body)" (the engine reports itself dead)',
    });
  });
});

describe('checkModels', () => {
  it('finds the model and the max context it advertises', async () => {
    server = await startVllmMock({ model: 'qwen', maxModelLen: 131072 });
    const found = await checkModels(depsFor(server), { configuredMaxContext: 131072 }, context());
    expect(found).toMatchObject({ model: 'qwen', advertisedMaxContext: 131072 });
    expect(found.outcome).toMatchObject({
      status: 'pass',
      detail: 'GET /v1/models → 200: "qwen", max context 131,072 tokens',
    });
  });

  it('fails with both numbers when the advertised max context differs from the config', async () => {
    server = await startVllmMock({ model: 'qwen', maxModelLen: 32768 });
    const found = await checkModels(depsFor(server), { configuredMaxContext: 131072 }, context());
    expect(found.outcome).toMatchObject({
      status: 'fail',
      configKey: 'max-model-len',
      detail:
        'GET /v1/models → 200: "qwen" advertises a max context of 32,768 tokens; the config sets 131,072',
      figures: { advertisedMaxContext: 32768, configuredMaxContext: 131072 },
    });
  });

  it('fails when the model asked for is not listed', async () => {
    server = await startVllmMock({ model: 'qwen' });
    const found = await checkModels(depsFor(server), { model: 'llama' }, context());
    expect(found.model).toBeNull();
    expect(found.outcome).toMatchObject({
      status: 'fail',
      detail: 'GET /v1/models → 200, lists "qwen" but not "llama"',
    });
  });

  it('warns when a max context is configured but the server advertises none', async () => {
    server = await startMock({
      'GET /v1/models': (_req, res) => sendJson(res, 200, { data: [{ id: 'm' }] }),
    });
    const found = await checkModels(depsFor(server), { configuredMaxContext: 8192 }, context());
    expect(found.outcome.status).toBe('warn');
    expect(found.advertisedMaxContext).toBeNull();
  });
});

describe('checkGenerate', () => {
  it('passes when a short completion returns text', async () => {
    server = await startVllmMock({ model: 'qwen' });
    const outcome = await checkGenerate(depsFor(server), 'qwen', context());
    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toMatch(
      /^POST \/v1\/completions \(8 max tokens\) → 200 "OK" in \d+ ms$/,
    );
    expect(server.seen.at(-1)?.body).toMatchObject({ model: 'qwen', max_tokens: 8 });
  });

  it('fails on a 500 with the engine error, even while /health says 200', async () => {
    server = await startVllmMock({
      routes: {
        'POST /v1/completions': (_req, res) =>
          sendJson(
            res,
            500,
            vllmError(
              500,
              'CUDA error: an illegal memory access was encountered',
              'InternalServerError',
            ),
          ),
      },
    });
    const deps = depsFor(server);
    expect((await checkHealth(deps, context())).status).toBe('pass');

    const outcome = await checkGenerate(deps, null, context());

    expect(outcome).toMatchObject({
      status: 'fail',
      detail:
        'POST /v1/completions (8 max tokens) → 500 "CUDA error: an illegal memory access was ' +
        'encountered" while GET /health → 200: /health only shows the process is alive, not ' +
        'that the engine can serve',
      figures: { status: 500 },
    });
  });

  it('fails on a 200 that carries no generated text', async () => {
    server = await startVllmMock({
      routes: { 'POST /v1/completions': (_req, res) => sendJson(res, 200, { choices: [] }) },
    });
    const outcome = await checkGenerate(depsFor(server), null, context());
    expect(outcome.detail).toMatch(
      /^POST \/v1\/completions \(8 max tokens\) → 200 without generated text while GET \/health → 200/,
    );
    expect(outcome.status).toBe('fail');
  });
});

describe('checkChat', () => {
  it('passes on a chat answer and fails on a refusal', async () => {
    server = await startVllmMock();
    expect((await checkChat(depsFor(server), null, context())).status).toBe('pass');
    await server.close();

    server = await startVllmMock({
      routes: {
        'POST /v1/chat/completions': (_req, res) =>
          sendJson(res, 400, vllmError(400, 'chat template missing')),
      },
    });
    const outcome = await checkChat(depsFor(server), null, context());
    expect(outcome).toMatchObject({
      status: 'fail',
      detail: 'POST /v1/chat/completions (8 max tokens) → 400 "chat template missing"',
    });
  });
});
