import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ComposeDeployment } from '../../src/deploy/compose.js';
import { GateError } from '../../src/errors.js';

// The docker stand-in, run from source: `docker` here is `serving-gate simulate docker`.
const REPO = resolve(import.meta.dirname, '../..');
const ENTRY = join(REPO, 'test/sim/fixtures/cli-entry.ts');
// An absolute loader: the stand-in runs in the project's folder, where tsx cannot be found.
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function project(service: string, downVolumes = false) {
  const dir = mkdtempSync(join(tmpdir(), 'sg-compose-'));
  const port = await freePort();
  const file = join(dir, 'compose.yml');
  writeFileSync(file, service.replace('PORT', String(port)));
  const state = join(dir, 'docker-state');
  const compose = new ComposeDeployment({
    docker: [process.execPath, '--import', TSX, ENTRY, 'simulate', 'docker', '--state', state],
    file,
    service: 'engine',
    downVolumes,
    cwd: dir,
    env: process.env,
  });
  cleanups.push(() => compose.down(20_000));
  return { compose, state, calls: () => readFileSync(join(state, 'calls.log'), 'utf8') };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 30_000;
  let value = await read();
  while (!done(value) && Date.now() < end) value = await read();
  return value;
}

describe('ComposeDeployment with the docker stand-in', () => {
  it('sees a crash loop: restarts counted, every exit code kept, the log line read', async () => {
    const { compose, calls } = await project(`services:
  engine:
    restart: always
    ports: ["PORT:8000"]
    x-serving-gate-sim:
      crash:
        after: 200ms
        exitCode: 3
        log: ["RuntimeError: CUDA error: an illegal memory access was encountered"]
`);
    await compose.up(30_000);
    expect(await compose.findContainer(10_000)).toMatch(/^[0-9a-f]{64}$/);

    const state = await until(
      () => compose.inspect(),
      (s) => (s?.restartCount ?? 0) >= 2,
    );
    expect(state?.restartCount).toBeGreaterThanOrEqual(2);
    const exits = await compose.exits();
    expect(exits.length).toBeGreaterThanOrEqual(2);
    expect(exits.every((exit) => exit.exitCode === 3 && !exit.oomKilled)).toBe(true);
    expect(await compose.logs(20)).toContain(
      'RuntimeError: CUDA error: an illegal memory access was encountered',
    );

    expect(await compose.down(20_000)).toMatchObject({ ok: true });
    expect(await compose.findContainer(0)).toBeNull();
    // Every command reached docker as argv: the file is one word after -f.
    expect(calls()).toContain('"compose","-f"');
  }, 90_000);

  it('sees an OOM kill of a container that is not restarted', async () => {
    const { compose } = await project(`services:
  engine:
    ports: ["127.0.0.1:PORT:8000/tcp"]
    x-serving-gate-sim:
      crash: {after: 200ms, oomKilled: true}
`);
    await compose.up(30_000);
    await compose.findContainer(10_000);
    const state = await until(
      () => compose.inspect(),
      (s) => s?.status === 'exited',
    );
    expect(state).toMatchObject({
      status: 'exited',
      running: false,
      restartCount: 0,
      exitCode: 137,
      oomKilled: true,
    });
    expect(await compose.exits()).toEqual([
      expect.objectContaining({ exitCode: 137, oomKilled: true }),
    ]);
  }, 60_000);

  it('removes named volumes at down only when asked', async () => {
    const text = `services:
  engine:
    ports: ["PORT:8000"]
    volumes: [model-cache:/root/.cache]
volumes:
  model-cache: {}
`;
    for (const volumes of [false, true]) {
      const { compose, state, calls } = await project(text, volumes);
      await compose.up(30_000);
      const folder = join(state, 'volumes');
      expect(existsSync(folder)).toBe(true);
      const result = await compose.down(20_000);
      expect(result.message).toBe(
        `docker compose down finished${volumes ? ' (volumes removed)' : ''}`,
      );
      expect(calls().includes('"down","--volumes"')).toBe(volumes);
      expect(readdirSync(folder)).toHaveLength(volumes ? 0 : 1);
    }
  }, 90_000);

  it('throws a deploy error naming what docker said when up fails', async () => {
    const { compose } = await project('services: {}\n');
    const failure = await compose.up(30_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GateError);
    expect((failure as GateError).message).toMatch(/^docker compose up exited 1: .*no services/);
  }, 30_000);
});
