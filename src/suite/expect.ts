/**
 * Expectations of suite checks, judged as pure functions: each returns the first problem
 * as one line a person reads, or null when the expectation holds.
 */
import { shortenText } from '../checks/error-body.js';
import { formatJsonPath, type PathStep, readJsonPath } from './json-path.js';

/**
 * Text longer than this is cut before a user's pattern sees it: a pattern runs on the
 * event loop, where no deadline can interrupt it.
 */
export const MAX_MATCHED_CHARS = 64 * 1024;

export interface JsonExpectation {
  /** The path as the user wrote it, for messages. */
  path: string;
  steps: PathStep[];
  equals?: unknown;
  exists?: boolean;
  matches?: RegExp;
  min?: number;
  max?: number;
}

export interface Range {
  min?: number;
  max?: number;
}

export interface TextExpectation {
  matches?: RegExp;
  notMatches?: RegExp;
}

export function checkStatus(status: number, expected: readonly number[] | null): string | null {
  if (expected === null) return status >= 200 && status < 300 ? null : `status ${status}, not 2xx`;
  if (expected.includes(status)) return null;
  return `status ${status}, expected ${expected.join(' or ')}`;
}

export function checkText(text: string, expect: TextExpectation, what: string): string | null {
  const seen = text.slice(0, MAX_MATCHED_CHARS);
  if (expect.matches && !expect.matches.test(seen)) {
    return `${what} "${shortenText(text, 80)}" does not match /${expect.matches.source}/`;
  }
  if (expect.notMatches?.test(seen)) {
    return `${what} "${shortenText(text, 80)}" matches /${expect.notMatches.source}/`;
  }
  return null;
}

export function checkRange(value: number | null, range: Range | undefined, what: string) {
  if (!range) return null;
  if (value === null) return `${what} not reported`;
  if (range.min !== undefined && value < range.min) return `${what} ${value} < ${range.min}`;
  if (range.max !== undefined && value > range.max) return `${what} ${value} > ${range.max}`;
  return null;
}

/** Every expectation on a JSON body; the first that fails is reported. */
export function checkJson(body: unknown, expectations: readonly JsonExpectation[]): string | null {
  for (const expectation of expectations) {
    const problem = checkOne(body, expectation);
    if (problem) return problem;
  }
  return null;
}

function checkOne(body: unknown, e: JsonExpectation): string | null {
  const lookup = readJsonPath(body, e.steps);
  const path = formatJsonPath(e.steps);
  if (e.exists === false) return lookup.found ? `${path} is present, expected absent` : null;
  if (!lookup.found) return `${path} is missing (no ${lookup.missing})`;

  const value = lookup.value;
  if (e.equals !== undefined && !deepEqual(value, e.equals)) {
    return `${path} is ${show(value)}, expected ${show(e.equals)}`;
  }
  if (e.matches) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!e.matches.test(text.slice(0, MAX_MATCHED_CHARS))) {
      return `${path} is ${show(value)}, does not match /${e.matches.source}/`;
    }
  }
  if (e.min !== undefined || e.max !== undefined) {
    const size = typeof value === 'number' ? value : Array.isArray(value) ? value.length : null;
    const what = Array.isArray(value) ? `${path} length` : path;
    if (size === null) return `${path} is ${show(value)}, not a number or a list`;
    return checkRange(size, { min: e.min, max: e.max }, what);
  }
  return null;
}

function show(value: unknown): string {
  return shortenText(JSON.stringify(value) ?? 'undefined', 60);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (key) =>
        Object.hasOwn(b, key) &&
        deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}
