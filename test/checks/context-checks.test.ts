import { afterEach, describe, expect, it } from 'vitest';
import {
  checkLongContext,
  checkOverLimit,
  longContextTarget,
  overLimitTarget,
} from '../../src/checks/context-checks.js';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import { createEngineClient } from '../../src/checks/http.js';
import { UNCALIBRATED } from '../../src/checks/prompt.js';
import {
  type Handler,
  type MockServer,
  sendJson,
  startVllmMock,
  vllmError,
  wordsIn,
} from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const context = () => ({ signal: AbortSignal.timeout(10_000), timeoutMs: 10_000 });

async function depsWith(options: { maxModelLen?: number; completions?: Handler }) {
  server = await startVllmMock({
    ...(options.maxModelLen ? { maxModelLen: options.maxModelLen } : {}),
    ...(options.completions ? { routes: { 'POST /v1/completions': options.completions } } : {}),
  });
  return {
    client: createEngineClient({ baseUrl: server.url, timeoutMs: 10_000 }),
    profile: VLLM_PROFILE,
  };
}

function sentWords(mock: MockServer): number {
  const body = mock.seen.at(-1)?.body as { prompt?: string } | undefined;
  return wordsIn(body?.prompt);
}

describe('targets', () => {
  it('aims the long prompt just below the max context, leaving room to generate', () => {
    expect(longContextTarget({ maxContext: 131072 })).toBe(131072 - 16 - 2622);
    expect(longContextTarget({ maxContext: 1000 })).toBe(1000 - 16 - 32);
  });

  it('uses long-context-tokens when given, and knows no target without a max', () => {
    expect(longContextTarget({ maxContext: 131072, longContextTokens: 64000 })).toBe(64000);
    expect(longContextTarget({ maxContext: null })).toBeNull();
  });

  it('aims the over-limit prompt 5% above the max context', () => {
    expect(overLimitTarget(32768)).toBe(32768 + 1639);
    expect(overLimitTarget(512)).toBe(512 + 64);
  });
});

describe('checkLongContext', () => {
  const input = { model: null, calibration: UNCALIBRATED };

  it('passes when the engine processes the whole prompt near its max context', async () => {
    const deps = await depsWith({ maxModelLen: 32768 });
    const outcome = await checkLongContext(deps, { ...input, maxContext: 32768 }, context());

    const sent = 32768 - 16 - 656;
    expect(outcome.status).toBe('pass');
    expect(outcome.figures).toMatchObject({ tokensSent: sent, tokensProcessed: sent });
    expect(outcome.detail).toMatch(
      /^POST \/v1\/completions with 32,096 prompt tokens → 200 in \d+\.\d s, 32,096 prompt tokens processed$/,
    );
  });

  it('fails with the parsed error when a server below the configured max refuses it', async () => {
    const deps = await depsWith({ maxModelLen: 32768 });
    const outcome = await checkLongContext(deps, { ...input, maxContext: 131072 }, context());

    expect(outcome.status).toBe('fail');
    expect(outcome.configKey).toBe('max-model-len');
    expect(outcome.detail).toMatch(
      /^POST \/v1\/completions with 128,434 prompt tokens → 400 "This model's maximum context length is 32768 tokens/,
    );
  });

  it('fails when the engine answers 200 but processed far fewer tokens (silent truncation)', async () => {
    const deps = await depsWith({
      completions: (_req, res) =>
        sendJson(res, 200, { choices: [{ text: 'x' }], usage: { prompt_tokens: 2048 } }),
    });
    const outcome = await checkLongContext(deps, { ...input, maxContext: 32768 }, context());

    expect(outcome).toMatchObject({
      status: 'fail',
      configKey: 'max-model-len',
      detail:
        'POST /v1/completions with 32,096 prompt tokens → 200, but the engine processed only 2,048 prompt tokens (silently truncated)',
      figures: { tokensSent: 32096, tokensProcessed: 2048 },
    });
  });

  it('fails on a 500 with the engine error', async () => {
    const deps = await depsWith({
      completions: (_req, res) =>
        sendJson(res, 500, vllmError(500, 'CUDA error: an illegal memory access was encountered')),
    });
    const outcome = await checkLongContext(
      deps,
      { ...input, maxContext: null, longContextTokens: 117900 },
      context(),
    );
    expect(outcome.detail).toBe(
      'POST /v1/completions with 117,900 prompt tokens → 500 "CUDA error: an illegal memory access was encountered"',
    );
  });

  it('sizes the prompt by the calibration and reports sent against processed', async () => {
    const deps = await depsWith({
      completions: (req, res) => {
        const words = wordsIn((req.body as { prompt: string }).prompt);
        sendJson(res, 200, { choices: [{ text: 'x' }], usage: { prompt_tokens: words * 2 } });
      },
    });
    const calibration = { probeWords: 100, probeTokens: 200, tokensPerWord: 2, measured: true };
    const outcome = await checkLongContext(
      deps,
      { model: null, calibration, maxContext: null, longContextTokens: 10_000 },
      context(),
    );

    expect(sentWords(server!)).toBe(5000);
    expect(outcome.status).toBe('pass');
    expect(outcome.figures).toMatchObject({
      tokensSent: 10_000,
      tokensProcessed: 10_000,
      wordsSent: 5000,
      calibrated: true,
    });
  });

  it('warns when the engine does not say how many tokens it processed', async () => {
    const deps = await depsWith({
      completions: (_req, res) => sendJson(res, 200, { choices: [{ text: 'x' }] }),
    });
    const outcome = await checkLongContext(deps, { ...input, maxContext: 4096 }, context());
    expect(outcome.status).toBe('warn');
    expect(outcome.detail).toContain('cannot tell whether the prompt was truncated');
  });

  it('skips, saying what to set, when no max context is known', async () => {
    const deps = await depsWith({});
    const outcome = await checkLongContext(deps, { ...input, maxContext: null }, context());
    expect(outcome.status).toBe('skip');
    expect(outcome.detail).toContain('set long-context-tokens');
    expect(server?.seen).toHaveLength(0);
  });
});

describe('checkOverLimit', () => {
  const input = { model: null, calibration: UNCALIBRATED, maxContext: 4096 };

  it('passes when the engine refuses with 400 and an error body', async () => {
    const deps = await depsWith({ maxModelLen: 4096 });
    const outcome = await checkOverLimit(deps, input, context());

    expect(sentWords(server!)).toBe(4096 + 205);
    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toMatch(
      /^POST \/v1\/completions with 4,301 prompt tokens \(max 4,096\) → 400 "This model's maximum context length is 4096 tokens/,
    );
  });

  it('fails when the engine answers 200 (the prompt was silently truncated)', async () => {
    const deps = await depsWith({
      completions: (_req, res) =>
        sendJson(res, 200, { choices: [{ text: 'x' }], usage: { prompt_tokens: 2048 } }),
    });
    const outcome = await checkOverLimit(deps, input, context());
    expect(outcome).toMatchObject({
      status: 'fail',
      configKey: 'max-model-len',
      figures: { tokensProcessed: 2048 },
    });
    expect(outcome.detail).toContain(
      '→ 200, 2,048 prompt tokens processed: the prompt was silently truncated instead of refused',
    );
  });

  it('fails, without calling it truncation, when the engine serves the whole prompt', async () => {
    const deps = await depsWith({ maxModelLen: 8192 });
    const outcome = await checkOverLimit(deps, input, context());
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      '→ 200, 4,301 prompt tokens processed: served beyond the max context instead of refusing',
    );
  });

  it('fails when the server errors instead of refusing', async () => {
    const deps = await depsWith({
      completions: (_req, res) => sendJson(res, 500, vllmError(500, 'out of memory')),
    });
    const outcome = await checkOverLimit(deps, input, context());
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      '→ 500 "out of memory": the server failed instead of refusing',
    );
  });

  it('warns on a refusal that is not 400 with an error body', async () => {
    const deps = await depsWith({
      completions: (_req, res) => {
        res.writeHead(413);
        res.end('Payload Too Large');
      },
    });
    const outcome = await checkOverLimit(deps, input, context());
    expect(outcome.status).toBe('warn');
  });

  it('skips when no max context is known', async () => {
    const deps = await depsWith({});
    const outcome = await checkOverLimit(deps, { ...input, maxContext: null }, context());
    expect(outcome.status).toBe('skip');
  });
});
