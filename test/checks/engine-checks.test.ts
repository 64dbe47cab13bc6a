/**
 * The checks where engines differ: the context a model list (or a second route) advertises
 * against the config and its rope scaling, what health says while loading or dead, and the
 * prompts an engine cuts instead of refusing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkModels } from '../../src/checks/basic-checks.js';
import { checkLongContext, checkOverLimit } from '../../src/checks/context-checks.js';
import { LLAMACPP_PROFILE } from '../../src/checks/engines/llamacpp.js';
import { OLLAMA_PROFILE } from '../../src/checks/engines/ollama.js';
import { VLLM_PROFILE } from '../../src/checks/engines/vllm.js';
import { createEngineClient } from '../../src/checks/http.js';
import { UNCALIBRATED } from '../../src/checks/prompt.js';
import { waitForReady } from '../../src/checks/readiness.js';
import { ropeLimit } from '../../src/checks/rope-limit.js';
import { type MockServer, sendJson, startMock, startVllmMock, wordsIn } from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const context = () => ({ signal: AbortSignal.timeout(5000), timeoutMs: 5000 });
const clientOf = (mock: MockServer) => createEngineClient({ baseUrl: mock.url, timeoutMs: 5000 });

const YARN_X2 = { type: 'yarn', factor: 2, originalMaxPositionEmbeddings: 32768 };

describe('checkModels across engines', () => {
  it('reads the per-slot context from llama.cpp /props and says why it is half the config', async () => {
    server = await startMock({
      'GET /v1/models': (_q, res) =>
        sendJson(res, 200, { data: [{ id: 'qwen', owned_by: 'llamacpp' }] }),
      'GET /props': (_q, res) =>
        sendJson(res, 200, { default_generation_settings: { n_ctx: 6144 }, total_slots: 2 }),
    });
    const found = await checkModels(
      { client: clientOf(server), profile: LLAMACPP_PROFILE },
      { configuredMaxContext: 12288, parallel: 2 },
      context(),
    );
    expect(found.advertisedMaxContext).toBe(6144);
    expect(found.outcome).toMatchObject({
      status: 'fail',
      configKey: 'max-model-len',
      detail:
        'GET /v1/models → 200: "qwen" advertises a max context of 6,144 tokens (GET /props); ' +
        'the config sets 12,288 (llama.cpp shares --ctx-size among its slots: 12,288 / ' +
        '--parallel 2 = 6,144 tokens per request)',
    });
  });

  it('fails a context beyond what the rope scaling reaches, even when it is the configured one', async () => {
    server = await startVllmMock({ model: 'qwen', maxModelLen: 131072 });
    const found = await checkModels(
      { client: clientOf(server), profile: VLLM_PROFILE },
      { configuredMaxContext: 131072, rope: ropeLimit(YARN_X2) },
      context(),
    );
    expect(found.outcome.status).toBe('fail');
    expect(found.outcome.detail).toBe(
      'GET /v1/models → 200: "qwen" advertises a max context of 131,072 tokens; the rope ' +
        'scaling reaches only 65,536 (yarn factor 2 × 32,768): positions beyond it are out of ' +
        'what the model was stretched to',
    );
  });

  it('passes a context within the rope scaling', async () => {
    server = await startVllmMock({ model: 'qwen', maxModelLen: 65536 });
    const found = await checkModels(
      { client: clientOf(server), profile: VLLM_PROFILE },
      { configuredMaxContext: 65536, rope: ropeLimit(YARN_X2) },
      context(),
    );
    expect(found.outcome.status).toBe('pass');
  });
});

describe('ropeLimit', () => {
  it('reaches factor × original for YaRN and leaves self-contained types to the model', () => {
    expect(ropeLimit({ type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 })).toEqual({
      reach: 131072,
      how: 'yarn factor 4 × 32,768',
    });
    expect(
      ropeLimit({ type: 'llama3', factor: 8, originalMaxPositionEmbeddings: 8192 }),
    ).toBeNull();
    expect(ropeLimit({ type: 'yarn', factor: 4, originalMaxPositionEmbeddings: null })).toBeNull();
  });
});

describe('readiness and what health says', () => {
  const fast = { initialDelayMs: 10, maxDelayMs: 40, deadPollMs: 20 };

  it('shows llama.cpp "Loading model" as loading while it waits', async () => {
    let calls = 0;
    server = await startMock({
      'GET /health': (_q, res) => {
        calls += 1;
        if (calls <= 1) {
          return sendJson(res, 503, {
            error: { code: 503, message: 'Loading model', type: 'unavailable_error' },
          });
        }
        sendJson(res, 200, { status: 'ok' });
      },
      'GET /v1/models': (_q, res) =>
        sendJson(res, 200, { data: [{ id: 'qwen', owned_by: 'llamacpp' }] }),
      'POST /completion': (_q, res) =>
        sendJson(res, 200, { content: ' OK', stop: true, tokens_evaluated: 2 }),
    });
    const problems: string[] = [];
    const ready = await waitForReady({
      client: clientOf(server),
      profile: LLAMACPP_PROFILE,
      timeoutMs: 5000,
      ...fast,
      onAttempt: (_n, problem) => problems.push(problem),
    });
    expect(ready.outcome).toBe('ready');
    expect(problems).toEqual(['GET /health → 503 "Loading model" (still loading)']);
  });

  it('gives up early on a vLLM that keeps saying its engine died', async () => {
    server = await startVllmMock({
      routes: {
        'GET /health': (_q, res) => {
          res.writeHead(503);
          res.end();
        },
      },
    });
    const ready = await waitForReady({ client: clientOf(server), timeoutMs: 60_000, ...fast });
    expect(ready.outcome).toBe('dead');
    expect(ready.detail).toMatch(
      /^vLLM reported its engine dead after .* \(3 attempts\); last: GET \/health → 503 "\(empty body\)" \(the engine reports itself dead\)$/,
    );
  });
});

describe('prompts an engine cuts instead of refusing', () => {
  it('fails a long prompt that llama.cpp says it truncated', async () => {
    server = await startMock({
      'POST /completion': (req, res) => {
        const sent = wordsIn((req.body as { prompt?: string }).prompt);
        sendJson(res, 200, { content: ' OK', stop: true, tokens_evaluated: sent, truncated: true });
      },
    });
    const outcome = await checkLongContext(
      { client: clientOf(server), profile: LLAMACPP_PROFILE },
      { model: null, calibration: UNCALIBRATED, maxContext: 4096 },
      context(),
    );
    expect(outcome).toMatchObject({ status: 'fail', configKey: 'max-model-len' });
    expect(outcome.detail).toMatch(
      /→ 200, but the engine says it truncated the prompt to 3,998 tokens$/,
    );
  });

  it("warns, not fails, on Ollama's designed truncation of an over-limit prompt", async () => {
    server = await startMock({
      'POST /api/generate': (_q, res) =>
        sendJson(res, 200, {
          model: 'qwen3:8b',
          response: 'ok',
          done: true,
          prompt_eval_count: 4096,
        }),
    });
    const outcome = await checkOverLimit(
      { client: clientOf(server), profile: OLLAMA_PROFILE },
      { model: 'qwen3:8b', calibration: UNCALIBRATED, maxContext: 4096 },
      context(),
    );
    expect(outcome.status).toBe('warn');
    expect(outcome.detail).toBe(
      'POST /api/generate with 4,301 prompt tokens (max 4,096) → 200, 4,096 prompt tokens ' +
        'processed: Ollama drops the start of an over-long prompt instead of refusing it; ' +
        'clients must keep prompts under the context themselves',
    );
  });

  it('fails the same silent truncation on an engine that should refuse', async () => {
    server = await startVllmMock({
      routes: {
        'POST /v1/completions': (_q, res) =>
          sendJson(res, 200, {
            choices: [{ text: 'ok', finish_reason: 'length' }],
            usage: { prompt_tokens: 4096, completion_tokens: 1, total_tokens: 4097 },
          }),
      },
    });
    const outcome = await checkOverLimit(
      { client: clientOf(server), profile: VLLM_PROFILE },
      { model: null, calibration: UNCALIBRATED, maxContext: 4096 },
      context(),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(/the prompt was silently truncated instead of refused$/);
  });
});
