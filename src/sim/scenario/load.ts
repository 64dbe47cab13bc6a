import { readFileSync } from 'node:fs';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { GateError } from '../../errors.js';
import { offsetOf } from '../../yaml/key-offset.js';
import { type Scenario, scenarioSchema } from './schema.js';

/** What the command line may change in a scenario without editing the file. */
export interface ScenarioOverrides {
  maxModelLen?: number;
}

const HELP = 'see examples/sim/healthy.yaml for every key and its default';

/** Reads, parses and validates a scenario file; errors name the file, key path and line. */
export function loadScenarioFile(path: string, overrides: ScenarioOverrides = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GateError('usage', `scenario ${path}: cannot be read (${reason})`, HELP);
  }
  return parseScenarioText(text, path, overrides);
}

/** Parses scenario YAML held in memory; `source` names it in errors. */
export function parseScenarioText(
  text: string,
  source: string,
  overrides: ScenarioOverrides = {},
): Scenario {
  const lineCounter = new LineCounter();
  // Pretty errors carry the line and column; their message repeats them, which is cut.
  const doc = parseDocument(text, { lineCounter });

  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const at = error.linePos?.[0];
      const where = at ? `${source}:${at.line}:${at.col}` : source;
      return `${where}: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new GateError('usage', `scenario is not valid YAML\n${lines.join('\n')}`, HELP);
  }

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new GateError('usage', `${source}: a scenario is a mapping of keys`, HELP);
  }

  const withOverrides =
    overrides.maxModelLen === undefined ? raw : { ...raw, maxModelLen: overrides.maxModelLen };
  const result = scenarioSchema.safeParse(withOverrides);
  if (result.success) return result.data;

  const lines = result.error.issues.map((issue) => describeIssue(issue, doc, lineCounter, source));
  throw new GateError('usage', `scenario ${source} is not valid\n${lines.join('\n')}`, HELP);
}

/** Validates a scenario given as plain data (the programmatic API). */
export function parseScenarioObject(value: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [...issue.path, ...unknownKeys(issue).slice(0, 1)].join('.') || '(top level)';
    return `${source}: ${path}: ${issue.message}`;
  });
  throw new GateError('usage', `scenario is not valid\n${lines.join('\n')}`, HELP);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lineCounter: LineCounter,
  source: string,
): string {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  const extra = unknownKeys(issue);
  const keyPath = [...path, ...extra.slice(0, 1)].join('.') || '(top level)';
  const offset = offsetOf(doc, path, extra[0]);
  const at = offset === null ? null : lineCounter.linePos(offset);
  const where = at ? `${source}:${at.line}:${at.col}` : source;
  return `${where}: ${keyPath}: ${issue.message}`;
}

function unknownKeys(issue: z.core.$ZodIssue): string[] {
  return issue.code === 'unrecognized_keys' ? issue.keys : [];
}
