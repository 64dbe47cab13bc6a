import * as core from '@actions/core';
import { isAlive, signalGroup } from '../deploy/process.js';
import { runSavedTeardown } from '../deploy/saved-teardown.js';
import { loadTeardownState } from './state.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The `post` step (`post-if: always()`): tears the deployment down when `main` crashed or
 * was cancelled before it could. A teardown that fails is a warning here: the verdict was
 * decided by `main`.
 */
export async function runPost(): Promise<void> {
  const state = loadTeardownState();
  if (!state || state.tornDown) {
    core.info('serving-gate: nothing left to tear down');
    return;
  }
  core.info('serving-gate: main did not finish its teardown; tearing down now');
  if (state.pid !== null) {
    // The deploy command ran in its own process group, which may outlive its leader.
    signalGroup(state.pid, 'SIGTERM');
    for (let i = 0; i < 50 && isAlive(state.pid); i++) await sleep(100);
    signalGroup(state.pid, 'SIGKILL');
  }
  // A compose deploy's `down` (argv, no shell), then the user's teardown command.
  const result = await runSavedTeardown(state, { env: process.env, timeoutMs: 5 * 60_000 });
  if (result.ok) core.info(`serving-gate: ${result.message}`);
  else core.warning(`serving-gate: ${result.message}`);
}
