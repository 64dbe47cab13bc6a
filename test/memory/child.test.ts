import { describe, expect, it } from 'vitest';
import { hasExited, spawnPiped, terminate } from '../../src/memory/child.js';
import { FAKE_SMI, isAlive } from './fake-smi.js';

describe('terminate', () => {
  it('ends a child with SIGTERM', async () => {
    const child = spawnPiped(process.execPath, [FAKE_SMI, '--hang']);
    await new Promise((r) => child.once('spawn', r));
    await terminate(child, 5000);
    expect(hasExited(child)).toBe(true);
    expect(child.signalCode).toBe('SIGTERM');
    expect(isAlive(child.pid!)).toBe(false);
  });

  it('ends a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const args = [FAKE_SMI, '--hang', '--ignore-sigterm', '--stderr', 'ready'];
    const child = spawnPiped(process.execPath, args);
    // It writes to stderr only after its SIGTERM handler is in place.
    await new Promise((r) => child.stderr?.once('data', r));
    await terminate(child, 100);
    expect(child.signalCode).toBe('SIGKILL');
    expect(isAlive(child.pid!)).toBe(false);
  });

  it('returns at once for a child that has already exited', async () => {
    const child = spawnPiped(process.execPath, ['-e', '']);
    await new Promise((r) => child.once('exit', r));
    await terminate(child, 60_000);
    expect(child.exitCode).toBe(0);
  });

  it('never hands argv to a shell', async () => {
    const child = spawnPiped(process.execPath, [
      '-e',
      'process.stdout.write(process.argv[1])',
      '$(echo hi); `x`',
    ]);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    await new Promise((r) => child.once('close', r));
    expect(out).toBe('$(echo hi); `x`');
  });
});
