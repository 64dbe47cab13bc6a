/**
 * Is the runner left as the gate found it? GPU memory read before deploy is the baseline;
 * after teardown it is read again (with a short wait for the driver to release it). Memory
 * that stays behind (an orphaned process or mapping) would be blamed on the next job's
 * change: this says so now, as a warning and the `runner-dirty` output.
 */
import type { SmiReading, SmiSnapshot } from '../memory/types.js';
import type { RunnerView } from '../report/results.js';
import type { Reason } from '../verdict/types.js';

/** How long memory gets to return after teardown, and how often it is read meanwhile. */
export const RELEASE_WAIT_MS = 5000;
export const RELEASE_POLL_MS = 1000;

/**
 * FB use at idle moves with driver reservations and other processes; BAR1 at idle is the
 * driver's own few MiB, so a smaller rise already means something kept a mapping.
 */
const FB_TOLERANCE_MIB = 256;
const FB_TOLERANCE_SHARE = 0.01;
const BAR1_TOLERANCE_MIB = 64;

function over(after: number | null, before: number | null, tolerance: number): number | null {
  if (after === null || before === null) return null;
  return after - before > tolerance ? after - before : null;
}

/** Pure: the reading after teardown judged against the baseline. */
export function compareToBaseline(baseline: SmiSnapshot, after: SmiReading): RunnerView {
  if (after.kind === 'broken') {
    return {
      dirty: true,
      message:
        `Runner dirty: the GPU could not be read after teardown (${after.state}: ` +
        `${after.message}). Check the runner before the next job.`,
      gpus: [],
    };
  }
  const gpus: RunnerView['gpus'] = [];
  const problems: string[] = [];
  for (const before of baseline.gpus) {
    const now =
      after.gpus.find((g) => before.uuid !== null && g.uuid === before.uuid) ??
      after.gpus.find((g) => g.index === before.index);
    gpus.push({
      index: before.index,
      uuid: before.uuid,
      fbBaselineMiB: before.fb.usedMiB,
      fbAfterMiB: now?.fb.usedMiB ?? null,
      bar1BaselineMiB: before.bar1.usedMiB,
      bar1AfterMiB: now?.bar1.usedMiB ?? null,
    });
    if (!now) {
      problems.push(`GPU ${before.index} is no longer listed`);
      continue;
    }
    const fbTolerance = Math.max(FB_TOLERANCE_MIB, (before.fb.totalMiB ?? 0) * FB_TOLERANCE_SHARE);
    const fb = over(now.fb.usedMiB, before.fb.usedMiB, fbTolerance);
    const bar1 = over(now.bar1.usedMiB, before.bar1.usedMiB, BAR1_TOLERANCE_MIB);
    const held = [
      fb === null ? null : `FB ${before.fb.usedMiB} → ${now.fb.usedMiB} MiB`,
      bar1 === null ? null : `BAR1 ${before.bar1.usedMiB} → ${now.bar1.usedMiB} MiB`,
    ].filter((part): part is string => part !== null);
    if (held.length > 0) problems.push(`GPU ${before.index}: ${held.join(', ')}`);
  }
  if (problems.length === 0) {
    return { dirty: false, message: 'GPU memory returned to its pre-deploy baseline', gpus };
  }
  return {
    dirty: true,
    message:
      `Runner dirty: GPU memory did not return to its pre-deploy baseline after teardown ` +
      `(${problems.join('; ')}). The next job on this runner may fail through no fault of ` +
      'its own: free the GPU (an orphaned process or container) or recycle the runner.',
    gpus,
  };
}

/** Reads until memory is back or the wait is over; the last reading decides. */
export async function checkRunner(
  readOnce: () => Promise<SmiReading>,
  baseline: SmiSnapshot,
  wait: { waitMs: number; pollMs: number } = { waitMs: RELEASE_WAIT_MS, pollMs: RELEASE_POLL_MS },
): Promise<RunnerView> {
  const end = Date.now() + wait.waitMs;
  for (;;) {
    const view = compareToBaseline(baseline, await readOnce());
    if (!view.dirty || Date.now() + wait.pollMs > end) return view;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

export function runnerReasons(view: RunnerView | null): Reason[] {
  if (!view?.dirty) return [];
  return [{ rule: 'runner-dirty', severity: 'warn', message: view.message }];
}
