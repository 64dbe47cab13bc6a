import * as core from '@actions/core';
import type { TeardownState } from '../deploy/deployment.js';

const KEY = 'serving-gate-teardown';

export function saveTeardownState(state: TeardownState): void {
  core.saveState(KEY, JSON.stringify(state));
}

export function loadTeardownState(): TeardownState | null {
  const text = core.getState(KEY);
  if (!text) return null;
  try {
    return JSON.parse(text) as TeardownState;
  } catch {
    return null;
  }
}
