import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DcgmSource } from '../../src/memory/dcgm-source.js';
import type { SmiReading } from '../../src/memory/types.js';
import { sharedFixture } from '../shared-fixtures.js';
import { waitFor } from './fake-smi.js';

const FIXTURE = sharedFixture('dcgm-exporter/metrics-h100-590-load-with-bar1-counters.prom');

describe('DcgmSource against an exporter on loopback', () => {
  let server: Server | null = null;
  let source: DcgmSource | null = null;
  afterEach(async () => {
    await source?.stop();
    source = null;
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = null;
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  it('reads FB and BAR1 once', async () => {
    const url = await serve((_req, res) => res.end(FIXTURE));
    source = new DcgmSource({ url, intervalMs: 1000 });
    expect(await source.readOnce()).toMatchObject({
      kind: 'ok',
      gpus: [
        {
          uuid: 'GPU-00000000-0000-0000-0000-000000000001',
          fb: { usedMiB: 19818 },
          bar1: { usedMiB: 19819 },
        },
      ],
    });
  });

  it('scrapes at the interval until stopped, and not after', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.end(FIXTURE);
    });
    source = new DcgmSource({ url, intervalMs: 20 });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('3 scrapes', () => readings.length >= 3);
    await source.stop();
    const seen = requests;
    await new Promise((r) => setTimeout(r, 100));
    expect(requests).toBe(seen);
    expect(readings.every((r) => r.kind === 'ok')).toBe(true);
  });

  it('reports an exporter that does not answer as timeout, and keeps scraping', async () => {
    const url = await serve(() => {});
    source = new DcgmSource({ url, intervalMs: 20, timeoutMs: 100 });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('2 scrapes', () => readings.length >= 2);
    expect(readings[0]).toMatchObject({ kind: 'broken', state: 'timeout' });
    expect(readings[0]?.kind === 'broken' && readings[0].message).toContain(url);
  });

  it('reports an unreachable exporter as missing', async () => {
    const url = await serve(() => {});
    await new Promise((r) => server!.close(r));
    server = null;
    source = new DcgmSource({ url, intervalMs: 1000 });
    const reading = await source.readOnce();
    expect(reading).toMatchObject({ kind: 'broken', state: 'missing' });
    expect(reading.kind === 'broken' && reading.message).toMatch(/ECONNREFUSED/);
  });

  it('stop() ends a scrape in flight at once', async () => {
    const url = await serve(() => {});
    source = new DcgmSource({ url, intervalMs: 20, timeoutMs: 60_000 });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await new Promise((r) => setTimeout(r, 50));
    await source.stop();
    expect(readings).toEqual([]);
  });
});
