import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/memory/types.js';
import { startEngineWatch } from '../../src/soak/engine-watch.js';

function metricsText(usage: number, running: number): string {
  return [
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running{engine="0",model_name="m"} ${running}.0`,
    `vllm:num_requests_waiting{engine="0",model_name="m"} 0.0`,
    `vllm:kv_cache_usage_perc{engine="0",model_name="m"} ${usage}`,
    '',
  ].join('\n');
}

describe('startEngineWatch', () => {
  it('keeps each scrape with the phase it was taken in', async () => {
    let phase: Phase = 'checks';
    let usage = 0;
    const fetchFn = (async () => new Response(metricsText(usage, 0))) as typeof fetch;
    const watch = startEngineWatch({
      url: 'http://127.0.0.1:1/metrics',
      intervalMs: 60_000,
      now: () => 42,
      phase: () => phase,
      fetchFn,
    });
    await watch.sample();
    phase = 'settle';
    usage = 0.75;
    await watch.sample();
    const record = await watch.stop();

    expect(record.samples.map((s) => [s.phase, s.kvCacheUsage, s.running])).toEqual([
      ['checks', 0, 0],
      ['checks', 0, 0],
      ['settle', 0.75, 0],
      ['settle', 0.75, 0],
    ]);
    expect(record.failedScrapes).toBe(0);
  });

  it('counts failed scrapes and keeps the first few distinct errors, never throwing', async () => {
    const fetchFn = (async () =>
      new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    const watch = startEngineWatch({
      url: 'http://127.0.0.1:1/metrics',
      intervalMs: 60_000,
      now: () => 0,
      phase: () => 'soak',
      fetchFn,
    });
    await watch.sample();
    const record = await watch.stop();
    expect(record.samples).toEqual([]);
    expect(record.failedScrapes).toBe(3);
    expect(record.errors).toEqual(['GET http://127.0.0.1:1/metrics: HTTP 404 Not Found']);
  });
});
