import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../src/checks/http.js';
import { createInFlightTracker } from '../../src/soak/in-flight.js';
import { runSoak, type SoakRequestDone } from '../../src/soak/load.js';
import {
  freePort,
  type Handler,
  type MockServer,
  sendJson,
  startMock,
  startSilentServer,
  vllmError,
  wordsIn,
} from '../checks/mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LONG_WORDS = 2000;

/** An engine that answers after `delayMs`, counting how many requests it holds at once. */
async function slowEngine(delayMs: number, answer?: Handler) {
  const load = { open: 0, peak: 0 };
  server = await startMock({
    'POST /v1/completions': (req, res) => {
      load.open += 1;
      load.peak = Math.max(load.peak, load.open);
      setTimeout(() => {
        load.open -= 1;
        if (answer) return answer(req, res);
        const tokens = wordsIn((req.body as { prompt: string }).prompt);
        sendJson(res, 200, { choices: [{ text: 'x' }], usage: { prompt_tokens: tokens } });
      }, delayMs);
    },
  });
  return { load, client: createEngineClient({ baseUrl: server.url, timeoutMs: 5000 }) };
}

describe('runSoak', () => {
  it('keeps the set number of requests in flight, never more', async () => {
    const { load, client } = await slowEngine(30);
    const tracker = createInFlightTracker();

    const summary = await runSoak({
      client,
      durationMs: 400,
      concurrency: 3,
      longPromptTokens: LONG_WORDS,
      longEvery: 3,
      tracker,
    });

    expect(load.peak).toBe(3);
    expect(summary.maxInFlight).toBe(3);
    expect(tracker.snapshot().total).toBe(0);
  });

  it('counts requests by kind, with latency, and reports each one done', async () => {
    const { client } = await slowEngine(5);
    const done: SoakRequestDone[] = [];

    const summary = await runSoak({
      client,
      durationMs: 300,
      concurrency: 2,
      longPromptTokens: LONG_WORDS,
      longEvery: 4,
      onRequestDone: (request) => done.push(request),
    });

    expect(summary.stoppedBy).toBe('duration');
    expect(summary.failed).toBe(0);
    expect(summary.completed).toBe(summary.sent);
    expect(done).toHaveLength(summary.sent);
    expect(summary.byKind.long.sent).toBe(Math.ceil(summary.sent / 4));
    expect(summary.byKind.long.completed + summary.byKind.short.completed).toBe(summary.sent);
    expect(summary.byKind.short.latency?.count).toBe(summary.byKind.short.completed);
    const long = done.find((request) => request.kind === 'long');
    expect(long).toMatchObject({ ok: true, status: 200, promptTokens: LONG_WORDS, error: null });
  });

  it('sends long prompts of the long size and short ones of the short size, all distinct', async () => {
    const { client } = await slowEngine(5);
    await runSoak({
      client,
      durationMs: 150,
      concurrency: 2,
      longPromptTokens: LONG_WORDS,
      shortPromptTokens: 20,
      longShare: 0.5,
    });

    const prompts = server!.seen.map((r) => (r.body as { prompt: string }).prompt);
    expect(new Set(prompts.map(wordsIn))).toEqual(new Set([LONG_WORDS, 20]));
    expect(new Set(prompts).size).toBe(prompts.length);
  });

  it('counts failures by kind and keeps each distinct error once', async () => {
    const { client } = await slowEngine(5, (req, res) => {
      const words = wordsIn((req.body as { prompt: string }).prompt);
      if (words >= LONG_WORDS)
        return sendJson(res, 500, vllmError(500, 'CUDA error: out of memory'));
      sendJson(res, 200, { choices: [{ text: 'x' }] });
    });

    const summary = await runSoak({
      client,
      durationMs: 200,
      concurrency: 2,
      longPromptTokens: LONG_WORDS,
      longEvery: 2,
    });

    expect(summary.byKind.long.failed).toBe(summary.byKind.long.sent);
    expect(summary.byKind.short.failed).toBe(0);
    expect(summary.failures).toEqual([
      {
        kind: 'long',
        message: '500 "CUDA error: out of memory"',
        count: summary.byKind.long.failed,
        firstAtMs: expect.any(Number),
      },
    ]);
  });

  it('ends at the duration, waiting for a hung request no longer than its deadline', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const started = performance.now();

    const summary = await runSoak({
      client,
      durationMs: 50,
      concurrency: 2,
      longPromptTokens: LONG_WORDS,
      longEvery: 2,
      longTimeoutMs: 300,
      shortTimeoutMs: 300,
    });

    expect(performance.now() - started).toBeLessThan(10_000);
    expect(summary.failed).toBe(2);
    expect(summary.failures[0]?.message).toBe('no answer within 300ms');
  });

  it('aborts the requests in flight when the signal fires, counting them apart', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const summary = await runSoak({
      client,
      durationMs: 60_000,
      concurrency: 3,
      longPromptTokens: LONG_WORDS,
      signal: controller.signal,
    });

    expect(summary).toMatchObject({ stoppedBy: 'signal', sent: 3, failed: 0, completed: 0 });
    expect(summary.byKind.short.aborted).toBe(3);
  });

  it('does not spin when nothing listens', async () => {
    const port = await freePort();
    const client = createEngineClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });

    const summary = await runSoak({
      client,
      durationMs: 300,
      concurrency: 2,
      longPromptTokens: LONG_WORDS,
    });

    expect(summary.completed).toBe(0);
    expect(summary.sent).toBeLessThanOrEqual(20);
    expect(summary.failures[0]?.message).toContain('connection refused');
  });
});
