import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

const GOLDEN_DIR = join(import.meta.dirname, 'golden');

/**
 * Compares rendered text with its golden file. The files end in `.golden` so that no
 * formatter rewrites them: a Markdown formatter would pad the tables and hide the output. `UPDATE_GOLDEN=1 npx vitest run test/report`
 * rewrites the files instead: a deliberate act, reviewed in the diff like any other change.
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to write it`);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
