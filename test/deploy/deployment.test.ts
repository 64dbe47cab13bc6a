import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Deployment, runTeardown } from '../../src/deploy/deployment.js';
import { isAlive } from '../../src/deploy/process.js';

const options = () => ({ cwd: mkdtempSync(join(tmpdir(), 'sg-deploy-')), env: process.env });
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

describe('Deployment', () => {
  it('names a deploy command that exits non-zero, with its last line', async () => {
    const d = Deployment.start('echo pulling; echo "image not found" >&2; exit 4', options());
    await until(() => !d.running);
    expect(d.deadReason()).toBe('deploy command exited 4: image not found');
  });

  it('treats a deploy command that exits 0 as a detached deploy, not a death', async () => {
    const d = Deployment.start('echo started in background', options());
    await until(() => !d.running);
    expect(d.deadReason()).toBeNull();
    expect(d.logTail()).toContain('started in background');
  });

  it('stops a foreground server and the children it started', async () => {
    const o = options();
    const pidFile = join(o.cwd, 'child.pid');
    const d = Deployment.start(`sleep 60 & echo $! > ${pidFile}; wait`, o);
    await until(() => {
      try {
        return readFileSync(pidFile, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    });
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(childPid)).toBe(true);

    await d.stop(2000);
    await until(() => !isAlive(childPid));
    expect(isAlive(childPid)).toBe(false);
    expect(d.deadReason()).toBeNull();
  });

  it('reports a server that dies after it started', async () => {
    const d = Deployment.start(
      'sleep 0.2; echo "CUDA error: out of memory" >&2; exit 1',
      options(),
    );
    expect(d.deadReason()).toBeNull();
    await until(() => !d.running);
    expect(d.deadReason()).toContain('CUDA error: out of memory');
  });
});

describe('runTeardown', () => {
  it('reports a failing teardown without throwing', async () => {
    const result = await runTeardown('echo "no such service" >&2; exit 3', {
      ...options(),
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ran: true, ok: false });
    expect(result.message).toBe('teardown exited 3: no such service');
  });

  it('kills a teardown that hangs at its deadline', async () => {
    const started = Date.now();
    const result = await runTeardown('sleep 30', { ...options(), timeoutMs: 300 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/did not finish within/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does nothing when there is no teardown command', async () => {
    expect(await runTeardown(null, { ...options(), timeoutMs: 1000 })).toMatchObject({
      ran: false,
      ok: true,
    });
  });
});
