import { afterEach, describe, expect, it } from 'vitest';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import { createEngineClient } from '../../src/checks/http.js';
import {
  buildPrompt,
  calibratePrompt,
  tokensForWords,
  UNCALIBRATED,
  wordsForTokens,
} from '../../src/checks/prompt.js';
import { type MockServer, sendJson, startMock, startVllmMock, wordsIn } from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('buildPrompt', () => {
  it('has exactly the number of words asked for', () => {
    expect(wordsIn(buildPrompt(1))).toBe(1);
    expect(wordsIn(buildPrompt(5000, 7))).toBe(5000);
  });

  it('starts prompts with different seeds differently, so no prefix is shared', () => {
    const a = buildPrompt(100, 1000);
    const b = buildPrompt(100, 1001);
    expect(a.split(' ')[0]).not.toBe(b.split(' ')[0]);
    expect(buildPrompt(100, 1000)).toBe(a);
  });
});

describe('words and tokens', () => {
  const calibration = { probeWords: 512, probeTokens: 640, tokensPerWord: 1.25, measured: true };

  it('sends fewer words where a word costs more than a token', () => {
    expect(wordsForTokens(1000, calibration)).toBe(800);
    expect(tokensForWords(800, calibration)).toBe(1000);
  });

  it('takes one word for one token when uncalibrated', () => {
    expect(wordsForTokens(1000, UNCALIBRATED)).toBe(1000);
  });
});

describe('calibratePrompt', () => {
  it("measures tokens per word from the engine's usage.prompt_tokens", async () => {
    server = await startMock({
      'POST /v1/completions': (req, res) => {
        const words = wordsIn((req.body as { prompt: string }).prompt);
        sendJson(res, 200, { choices: [{ text: 'x' }], usage: { prompt_tokens: words * 1.5 + 1 } });
      },
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const { calibration, problem } = await calibratePrompt(client, VLLM_PROFILE, {
      model: 'm',
      probeWords: 200,
      timeoutMs: 5000,
    });

    expect(problem).toBeNull();
    expect(calibration).toEqual({
      probeWords: 200,
      probeTokens: 301,
      tokensPerWord: 1.505,
      measured: true,
    });
    expect(server.seen[0]?.body).toMatchObject({ model: 'm', max_tokens: 1 });
  });

  it('keeps the 1:1 guess and says why when usage is missing', async () => {
    server = await startMock({
      'POST /v1/completions': (_req, res) => sendJson(res, 200, { choices: [{ text: 'x' }] }),
    });
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });

    const result = await calibratePrompt(client, VLLM_PROFILE, { model: null, timeoutMs: 5000 });

    expect(result.calibration).toBe(UNCALIBRATED);
    expect(result.problem).toBe('probe answer reported no prompt_tokens');
  });

  it('measures exactly one token per word on an engine that counts words', async () => {
    server = await startVllmMock();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
    const { calibration } = await calibratePrompt(client, VLLM_PROFILE, {
      model: null,
      timeoutMs: 5000,
    });
    expect(calibration.tokensPerWord).toBe(1);
    expect(calibration.measured).toBe(true);
  });
});
