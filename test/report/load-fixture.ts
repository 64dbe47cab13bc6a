import { join } from 'node:path';
import { type GateResults, readResults } from '../../src/report/results.js';

export const FIXTURES = ['pass', 'fail', 'infra'] as const;
export type FixtureName = (typeof FIXTURES)[number];

/** A hand-written results file, read the way `serving-gate report` reads one. */
export function fixture(name: FixtureName): GateResults {
  return readResults(join(import.meta.dirname, 'fixtures', `${name}.json`));
}
