import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { fetchText } from '../../src/memory/http-text.js';

describe('fetchText', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = null;
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  it('returns the body of a 200 answer', async () => {
    const url = await listen((_req, res) => res.end('up 1\n'));
    expect(await fetchText(url, { timeoutMs: 5000 })).toBe('up 1\n');
  });

  it('names the URL and the socket error when nothing listens', async () => {
    const url = await listen(() => {});
    await new Promise((r) => server!.close(r));
    server = null;
    const error = await fetchText(url, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateError);
    expect(error).toMatchObject({ code: 'endpoint' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).toContain(url);
  });

  it('times out on a body that never finishes', async () => {
    const url = await listen((_req, res) => res.write('up 1\n'));
    await expect(fetchText(url, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('stops when the caller aborts, without waiting for the deadline', async () => {
    const url = await listen(() => {});
    const abort = new AbortController();
    const pending = fetchText(url, { timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'endpoint' });
  });
});
