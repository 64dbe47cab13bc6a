import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/fixtures` beside the checkout: real outputs, read in place, never copied. */
export const SHARED_FIXTURES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/fixtures',
);

export function sharedFixture(relativePath: string): string {
  return readFileSync(resolve(SHARED_FIXTURES, relativePath), 'utf8');
}
