import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/checks/sleep.js';

describe('sleep', () => {
  it('ends early, without an error, when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();

    await expect(sleep(60_000, controller.signal)).resolves.toBeUndefined();

    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('returns at once for an already aborted signal or a negative wait', async () => {
    const aborted = AbortSignal.abort();
    await expect(sleep(60_000, aborted)).resolves.toBeUndefined();
    await expect(sleep(-5, new AbortController().signal)).resolves.toBeUndefined();
  });
});
