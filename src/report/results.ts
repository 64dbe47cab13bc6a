import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult } from '../checks/types.js';
import { GateError } from '../errors.js';
import type { MemorySample, SamplerEvent } from '../memory/types.js';
import type { PreflightResult } from '../preflight/evaluate.js';
import type { EngineMetricsRecord } from '../soak/engine-watch.js';
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
  /** The reasons this series gave (growth, trend, ceiling), as the analysis found them. */
  reasons?: Reason[];
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
    kind: 'command' | 'simulator' | 'compose' | 'none';
    readyMs: number | null;
    /** The engine's last log lines, kept when the verdict is not `pass`. */
    logTail: string[];
    /** `deploy: compose`: the service's container as watched through the run. */
    container?: ContainerView;
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
  /**
   * The engine's own `/metrics` sampled through the run (KV cache usage, requests running
   * and waiting); absent in files written before it was kept, null when not scraped.
   */
  engineMetrics?: EngineMetricsRecord | null;
  /** Preflight figures and findings; null when no config was read or preflight was off. */
  preflight: PreflightResult | null;
  /** The user's suite: its file and check names (their results are in `checks`). */
  suite?: { file: string; checks: string[] };
  /** GPU memory after teardown beside the pre-deploy baseline; absent when nothing ran. */
  runner?: RunnerView;
}

/** A compose service's container: read at every sampling interval, on the gate's clock. */
export interface ContainerView {
  service: string;
  id: string | null;
  /** The most restarts seen; any restart fails the gate. */
  restartCount: number;
  /** Of the last exit (docker events, else inspect); null when it never exited. */
  exitCode: number | null;
  oomKilled: boolean;
  samples: {
    tMs: number;
    status: string | null;
    restartCount: number | null;
    exitCode: number | null;
    oomKilled: boolean;
  }[];
  /** Every exit docker reported, oldest first; `time` in epoch seconds. */
  exits: { time: number | null; exitCode: number | null; oomKilled: boolean }[];
}

/** Whether the runner is left as it was found: the next job reads `dirty`. */
export interface RunnerView {
  dirty: boolean;
  /** One line for a person; names the GPU and figure that did not return. */
  message: string;
  gpus: {
    index: number;
    uuid: string | null;
    fbBaselineMiB: number | null;
    fbAfterMiB: number | null;
    bar1BaselineMiB: number | null;
    bar1AfterMiB: number | null;
  }[];
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
