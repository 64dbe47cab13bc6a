import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult } from '../checks/types.js';
import { GateError } from '../errors.js';
import type { MemorySample, SamplerEvent } from '../memory/types.js';
import type { Reason, Verdict } from '../verdict/types.js';

export const SCHEMA_VERSION = 1;
export const RESULTS_FILE = 'serving-gate-results.json';

/** The figures of one GPU memory series as the report shows them. */
export interface SeriesView {
  gpu: { index: number; uuid: string | null; name: string | null; gpuInstanceId?: number };
  metric: string;
  verdict: 'pass' | 'fail' | 'unmeasured';
  baselineMiB: number | null;
  peakMiB: number | null;
  settledMiB: number | null;
  totalMiB: number | null;
  growthMiB: number | null;
  slopeMiBPerHour: number | null;
  slopeMiBPerRequest: number | null;
  projectedExhaustionHours: number | null;
}

/**
 * The versioned results file: everything the report shows, so `serving-gate report`
 * re-renders it and other tools can read it. Additions keep `schemaVersion`; a change of
 * meaning or a removal bumps it. Documented field by field in the README.
 */
export interface GateResults {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'serving-gate'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Path of the candidate config as the user gave it; null when none was given. */
  config: string | null;
  endpoint: string | null;
  model: string | null;
  engine: string | null;
  verdict: Verdict;
  reasons: Reason[];
  checks: CheckResult[];
  deploy: {
    kind: 'command' | 'simulator' | 'none';
    readyMs: number | null;
    /** The engine's last log lines, kept when the verdict is not `pass`. */
    logTail: string[];
  };
  soak: {
    durationMs: number;
    requests: number;
    failed: number;
    longRequests: number;
    longFailed: number;
    errors: string[];
    startMs: number | null;
    endMs: number | null;
  } | null;
  settle: { startMs: number | null; durationMs: number };
  memory: {
    source: string;
    verdict: 'pass' | 'fail' | 'unmeasured' | 'skipped';
    samples: MemorySample[];
    events: SamplerEvent[];
    series: SeriesView[];
  };
  teardown: { ran: boolean; ok: boolean; message: string };
  /** Preflight figures and findings, when a config was read. */
  preflight: unknown;
}

export function writeResults(path: string, results: GateResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads a results file back, refusing one this version cannot render. */
export function readResults(path: string): GateResults {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new GateError(
      'usage',
      `${path}: not a readable results file (${(error as Error).message})`,
      `pass the ${RESULTS_FILE} written by serving-gate run`,
    );
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw new GateError(
      'usage',
      `${path}: schemaVersion ${String(version)} is not ${SCHEMA_VERSION}`,
      `pass the ${RESULTS_FILE} written by serving-gate run`,
    );
  }
  return data as GateResults;
}
