import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NvidiaSmiSource } from '../../src/memory/smi-sampler.js';
import type { SmiReading } from '../../src/memory/types.js';
import { fakeSmiArgv, isAlive, pidsIn, waitFor } from './fake-smi.js';

const states = (readings: SmiReading[]) => readings.map((r) => (r.kind === 'ok' ? 'ok' : r.state));

describe('NvidiaSmiSource with real child processes', () => {
  let dir: string;
  let source: NvidiaSmiSource | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smi-sampler-'));
  });
  afterEach(async () => {
    await source?.stop();
    source = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads one loop-mode child document after document', async () => {
    const pidFile = join(dir, 'pids');
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv('--grow-mib', '256', '--pid-file', pidFile),
      intervalMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('4 documents', () => readings.length >= 4);

    expect(states(readings.slice(0, 4))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const used = readings.slice(0, 4).map((r) => (r.kind === 'ok' ? r.gpus[0]?.fb.usedMiB : null));
    expect(used).toEqual([19818, 20074, 20330, 20586]);
    expect(pidsIn(pidFile)).toHaveLength(1);
    expect(source.starts).toBe(1);
  });

  it('reports a child that dies and starts a new one after a backoff', async () => {
    const pidFile = join(dir, 'pids');
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv(
        '--die-after',
        '2',
        '--pid-file',
        pidFile,
        '--stderr',
        'killed by OOM',
      ),
      intervalMs: 20,
      restartInitialMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('two children', () => pidsIn(pidFile).length >= 2 && readings.length >= 5);

    expect(states(readings.slice(0, 5))).toEqual(['ok', 'ok', 'truncated', 'ok', 'ok']);
    expect(readings[2]).toMatchObject({
      message: 'nvidia-smi loop exited with code 1 after 2 documents; stderr: killed by OOM',
    });
    const [first, second] = pidsIn(pidFile);
    expect(first).not.toBe(second);
  });

  it('names a document cut off by a crash truncated before restarting', async () => {
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv('--die-after', '1', '--die-mid-doc'),
      intervalMs: 20,
      restartInitialMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('a restart', () => readings.length >= 3);
    expect(states(readings.slice(0, 3))).toEqual(['ok', 'truncated', 'ok']);
    expect(readings[1]?.kind === 'broken' && readings[1].message).toMatch(/no <\/nvidia_smi_log>/);
  });

  it('names the broken-driver line a dying child prints, once', async () => {
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv(
        '--print',
        'Unable to determine the device handle for GPU 0000:01:00.0: Unknown Error',
      ),
      intervalMs: 20,
      restartInitialMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('two attempts', () => readings.length >= 2);
    expect(states(readings.slice(0, 2))).toEqual(['gpu-lost', 'gpu-lost']);
  });

  it('stop() ends the child and nothing is reported after it', async () => {
    const pidFile = join(dir, 'pids');
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv('--pid-file', pidFile),
      intervalMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('a document', () => readings.length >= 1);
    const [pid] = pidsIn(pidFile);
    expect(isAlive(pid!)).toBe(true);

    await source.stop();
    expect(isAlive(pid!)).toBe(false);
    const count = readings.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(readings.length).toBe(count);
    expect(pidsIn(pidFile)).toHaveLength(1);
  });

  it('stop() kills a child that ignores SIGTERM', async () => {
    const pidFile = join(dir, 'pids');
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv('--ignore-sigterm', '--pid-file', pidFile),
      intervalMs: 20,
      stopGraceMs: 200,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('a document', () => readings.length >= 1);
    const [pid] = pidsIn(pidFile);
    await source.stop();
    expect(isAlive(pid!)).toBe(false);
  });

  it('replaces a child that stops printing, reporting a timeout', async () => {
    const pidFile = join(dir, 'pids');
    source = new NvidiaSmiSource({
      commandArgv: fakeSmiArgv('--hang-after', '1', '--pid-file', pidFile),
      intervalMs: 20,
      stallTimeoutMs: 300,
      stopGraceMs: 200,
      restartInitialMs: 20,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('a replacement', () => readings.length >= 3);
    expect(states(readings.slice(0, 3))).toEqual(['ok', 'timeout', 'ok']);
    const [first] = pidsIn(pidFile);
    await waitFor('the hung child to end', () => !isAlive(first!));
  });

  it('reports a missing command as missing and keeps trying', async () => {
    source = new NvidiaSmiSource({
      commandArgv: ['/nonexistent/nvidia-smi-xyz'],
      intervalMs: 20,
      restartInitialMs: 10,
    });
    const readings: SmiReading[] = [];
    source.start((r) => readings.push(r));
    await waitFor('two attempts', () => readings.length >= 2);
    expect(readings[0]).toEqual({
      kind: 'broken',
      state: 'missing',
      message: 'nvidia-smi command "/nonexistent/nvidia-smi-xyz" not found',
    });
    expect(source.starts).toBeGreaterThanOrEqual(2);
  });

  it('readOnce runs a single -q -x', async () => {
    source = new NvidiaSmiSource({ commandArgv: fakeSmiArgv(), intervalMs: 1000 });
    expect(await source.readOnce()).toMatchObject({ kind: 'ok', driverVersion: '590.48.01' });
  });

  it('refuses to start twice', () => {
    source = new NvidiaSmiSource({ commandArgv: fakeSmiArgv(), intervalMs: 1000 });
    source.start(() => {});
    expect(() => source?.start(() => {})).toThrow(/already running/);
  });
});
