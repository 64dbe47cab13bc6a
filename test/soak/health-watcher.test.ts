import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../src/checks/http.js';
import { startHealthWatcher } from '../../src/soak/health-watcher.js';
import { createInFlightTracker } from '../../src/soak/in-flight.js';
import type { InFlightSnapshot } from '../../src/soak/types.js';
import { type MockServer, startMock, startSilentServer } from '../checks/mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const idle: InFlightSnapshot = { total: 0, long: 0, longIds: [] };

async function healthAnswering(statusOf: (call: number) => number) {
  let calls = 0;
  server = await startMock({
    'GET /health': (_req, res) => {
      calls += 1;
      res.writeHead(statusOf(calls));
      res.end();
    },
  });
  return createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
}

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

describe('startHealthWatcher', () => {
  it('records each probe with what was in flight', async () => {
    const client = await healthAnswering(() => 200);
    const busy = { total: 2, long: 1, longIds: [7] };
    const watcher = startHealthWatcher({
      client,
      intervalMs: 10,
      timeoutMs: 1000,
      inFlight: () => busy,
      finalProbe: false,
    });
    await until(() => (server?.seen.length ?? 0) >= 3);

    const summary = await watcher.stop();

    expect(summary.path).toBe('/health');
    expect(summary.failed).toBe(0);
    expect(summary.probes.length).toBeGreaterThanOrEqual(3);
    expect(summary.probes[0]).toMatchObject({
      ok: true,
      status: 200,
      failure: null,
      inFlight: busy,
    });
  });

  it('reads the live in-flight counts of a soak tracker', async () => {
    const client = await healthAnswering(() => 200);
    const tracker = createInFlightTracker();
    const id = tracker.begin('long', 120_000);
    const watcher = startHealthWatcher({
      client,
      intervalMs: 10,
      timeoutMs: 1000,
      inFlight: tracker.snapshot,
    });
    await until(() => (server?.seen.length ?? 0) >= 1);
    tracker.end(id, { ok: true, status: 200 });

    const summary = await watcher.stop();

    expect(summary.probes[0]?.inFlight).toEqual({ total: 1, long: 1, longIds: [id] });
    expect(summary.probes.at(-1)?.inFlight).toEqual(idle);
  });

  it('records 503s with the status and the line a person reads', async () => {
    const client = await healthAnswering((call) => (call === 1 ? 503 : 200));
    const watcher = startHealthWatcher({
      client,
      intervalMs: 10,
      timeoutMs: 1000,
      inFlight: () => idle,
    });
    await until(() => (server?.seen.length ?? 0) >= 2);

    const summary = await watcher.stop();

    expect(summary.failed).toBe(1);
    expect(summary.probes[0]).toMatchObject({
      ok: false,
      status: 503,
      failure: 'status',
      problem: 'GET /health → 503 "(empty body)"',
    });
  });

  it('records an unanswered probe as a timeout and stops within a probe deadline', async () => {
    server = await startSilentServer();
    const client = createEngineClient({ baseUrl: server.url, timeoutMs: 60_000 });
    const watcher = startHealthWatcher({
      client,
      intervalMs: 50,
      timeoutMs: 100,
      inFlight: () => idle,
    });
    const started = performance.now();

    const summary = await watcher.stop();

    expect(performance.now() - started).toBeLessThan(10_000);
    expect(summary.probes.length).toBeGreaterThanOrEqual(2);
    expect(summary.probes.every((p) => p.failure === 'timeout')).toBe(true);
  });

  it('probes once more after the load when stopped, and only once however often stopped', async () => {
    const client = await healthAnswering(() => 200);
    const watcher = startHealthWatcher({
      client,
      intervalMs: 60_000,
      timeoutMs: 1000,
      inFlight: () => idle,
    });
    await until(() => (server?.seen.length ?? 0) >= 1);

    const [first, second] = await Promise.all([watcher.stop(), watcher.stop()]);

    expect(first.probes).toHaveLength(2);
    expect(second).toBe(first);
  });
});
