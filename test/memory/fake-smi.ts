import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake nvidia-smi script, run with this Node: argv ready for the sources. */
export const FAKE_SMI = resolve(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures/fake-nvidia-smi.mjs',
);

export function fakeSmiArgv(...flags: string[]): string[] {
  return [process.execPath, FAKE_SMI, ...flags];
}

/** Polls until `check` is true; fails with `what` after `timeoutMs`. Not a timing assertion. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function pidsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}
