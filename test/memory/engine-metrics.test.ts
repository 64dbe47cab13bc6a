import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { fetchEngineMetrics, readEngineMetrics } from '../../src/memory/engine-metrics.js';

const fixture = (name: string) =>
  readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');

describe('readEngineMetrics', () => {
  it('sums running and waiting over engines and takes the fullest KV cache', () => {
    expect(readEngineMetrics(fixture('vllm-metrics-two-engines.prom'))).toEqual({
      kvCacheUsage: 0.9731,
      running: 5,
      waiting: 4,
    });
  });

  it('reads the older gpu_cache_usage_perc name', () => {
    expect(readEngineMetrics(fixture('vllm-metrics-0.5-old-names.prom'))).toEqual({
      kvCacheUsage: 0.25,
      running: 1,
      waiting: 0,
    });
  });

  it('prefers the new name when both are exported', () => {
    const text = 'vllm:gpu_cache_usage_perc 0.1\nvllm:kv_cache_usage_perc 0.7\n';
    expect(readEngineMetrics(text).kvCacheUsage).toBe(0.7);
  });

  it('reads SGLang gauges where vLLM ones are absent', () => {
    const text =
      'sglang:token_usage{model_name="m"} 0.28\nsglang:num_running_reqs{model_name="m"} 3\nsglang:num_queue_reqs{model_name="m"} 1\n';
    expect(readEngineMetrics(text)).toEqual({ kvCacheUsage: 0.28, running: 3, waiting: 1 });
  });

  it('gives null for figures a page does not export, not 0', () => {
    expect(readEngineMetrics('# nothing here\nprocess_cpu_seconds_total 3\n')).toEqual({
      kvCacheUsage: null,
      running: null,
      waiting: null,
    });
  });
});

describe('fetchEngineMetrics', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = null;
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  it('reads a /metrics page served on loopback', async () => {
    const url = await serve((_req, res) => res.end(fixture('vllm-metrics-two-engines.prom')));
    expect(await fetchEngineMetrics(url, { timeoutMs: 5000 })).toEqual({
      kvCacheUsage: 0.9731,
      running: 5,
      waiting: 4,
    });
  });

  it('gives up at its deadline on a server that never answers', async () => {
    const url = await serve(() => {});
    const error = await fetchEngineMetrics(url, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toContain(url);
  });

  it('names the status of a page that is not 2xx', async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 404;
      res.end('not here');
    });
    await expect(fetchEngineMetrics(url, { timeoutMs: 5000 })).rejects.toThrow(/HTTP 404/);
  });
});
