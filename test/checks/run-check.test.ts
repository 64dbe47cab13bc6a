import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/run-check.js';

const base = { name: 'generate', critical: true, timeoutMs: 200 };

describe('runCheck', () => {
  it("adds the check's name, critical flag and duration to its outcome", async () => {
    const result = await runCheck(base, async () => ({ status: 'pass', detail: 'fine' }));
    expect(result).toMatchObject({
      name: 'generate',
      critical: true,
      status: 'pass',
      detail: 'fine',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hands the check a signal that aborts at the deadline', async () => {
    const result = await runCheck(base, (context) => {
      return new Promise((resolve) => {
        context.signal.addEventListener('abort', () =>
          resolve({ status: 'fail', detail: 'cut off by its deadline' }),
        );
      });
    });
    expect(result.detail).toBe('cut off by its deadline');
  });

  it('settles a check that ignores its signal and never returns', async () => {
    const started = performance.now();
    const result = await runCheck(base, () => new Promise(() => {}));
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'no result within 200ms (check deadline)',
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('turns a thrown error into a failure, with secrets redacted', async () => {
    const result = await runCheck(
      { ...base, redact: (text) => text.replace('sk-1', '[redacted]') },
      async () => {
        throw new Error('bad header Bearer sk-1');
      },
    );
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'check crashed: bad header Bearer [redacted]',
    });
  });

  it('skips the check when the gate was already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const result = await runCheck({ ...base, signal: controller.signal }, async () => {
      ran = true;
      return { status: 'pass', detail: '' };
    });
    expect(ran).toBe(false);
    expect(result.status).toBe('skip');
  });
});
