import { z } from 'zod';
import { GateError } from '../errors.js';
import type { GpuReading, MemorySample, Phase } from '../memory/types.js';
import { parseMiB } from '../memory/values.js';

/**
 * Memory traces people hand to `serving-gate analyze`, read into the gate's own samples:
 * a results file written by `run`, a CSV trace with request counts, or a plain
 * `nvidia-smi --query-gpu=... --format=csv -l N` log. Pure: text in, samples out.
 */
export type TraceFormat = 'results' | 'csv-trace' | 'nvidia-smi-log';

export interface Trace {
  format: TraceFormat;
  samples: MemorySample[];
}

const PHASES = ['baseline', 'ready', 'checks', 'soak', 'settle', 'final'] as const;

const pair = z.object({
  totalMiB: z.number().nullable().default(null),
  usedMiB: z.number().nullable().default(null),
});

const gpuSchema = z.object({
  index: z.number().int(),
  uuid: z.string().nullable().default(null),
  name: z.string().nullable().default(null),
  busId: z.string().nullable().default(null),
  fb: pair.extend({ reservedMiB: z.number().nullable().default(null) }),
  bar1: pair.default({ totalMiB: null, usedMiB: null }),
  migEnabled: z.boolean().default(false),
  mig: z
    .array(
      z.object({
        gpuInstanceId: z.number().nullable().default(null),
        computeInstanceId: z.number().nullable().default(null),
        fb: pair,
        bar1: pair.default({ totalMiB: null, usedMiB: null }),
      }),
    )
    .default([]),
  processes: z
    .array(
      z.object({
        pid: z.number().nullable().default(null),
        name: z.string().nullable().default(null),
        usedMiB: z.number().nullable().default(null),
        gpuInstanceId: z.number().nullable().default(null),
      }),
    )
    .default([]),
});

const sampleSchema = z.object({
  tMs: z.number(),
  requests: z.number().default(0),
  phase: z.enum(PHASES).default('soak'),
  gpus: z.array(gpuSchema),
});

const resultsSchema = z.object({ memory: z.object({ samples: z.array(sampleSchema) }) });

function readResults(text: string, name: string): MemorySample[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GateError(
      'usage',
      `${name}: not valid JSON (${(error as Error).message})`,
      'pass the results file written by serving-gate run, or a CSV trace',
    );
  }
  const parsed = resultsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape';
    throw new GateError(
      'usage',
      `${name}: not a results file with memory.samples (${where})`,
      'pass the results file written by serving-gate run, or a CSV trace',
    );
  }
  return parsed.data.memory.samples;
}

/** Splits one CSV line on commas; nvidia-smi and our traces never quote fields. */
function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

/** `memory.used [MiB]` → `memory.used`. */
function columnName(header: string): string {
  return header
    .replace(/\s*\[[^\]]*\]\s*$/, '')
    .trim()
    .toLowerCase();
}

function emptyGpu(index: number, uuid: string | null, name: string | null): GpuReading {
  return {
    index,
    uuid,
    name,
    busId: null,
    fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
    bar1: { totalMiB: null, usedMiB: null },
    migEnabled: false,
    mig: [],
    processes: [],
  };
}

function csvError(name: string, line: number, message: string, help: string): GateError {
  return new GateError('usage', `${name} line ${line}: ${message}`, help);
}

const TRACE_HELP =
  'a CSV trace has a header row with t_s, gpu, requests and any of fb_used_mib, fb_total_mib, bar1_used_mib, bar1_total_mib';

/** An empty cell is unavailable, never 0; anything else must be a number of MiB. */
function optionalMiB(text: string | undefined, name: string, line: number, column: string) {
  if (text === undefined || text === '') return null;
  const value = parseMiB(text);
  if (value === null) {
    throw csvError(name, line, `${column} "${text}" is not a number of MiB`, TRACE_HELP);
  }
  return value;
}

function readCsvTrace(lines: readonly string[], name: string): MemorySample[] {
  const header = cells(lines[0]!).map(columnName);
  const at = (column: string) => header.indexOf(column);
  for (const required of ['t_s', 'gpu', 'requests']) {
    if (at(required) < 0) {
      throw csvError(name, 1, `the header has no ${required} column`, TRACE_HELP);
    }
  }

  const samples = new Map<number, MemorySample>();
  const gpuIndex = new Map<string, number>();
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const row = cells(line);
    const lineNo = i + 1;
    const tS = Number(row[at('t_s')]);
    const requests = Number(row[at('requests')] || 0);
    if (!Number.isFinite(tS) || !Number.isFinite(requests)) {
      throw csvError(name, lineNo, 't_s and requests must be numbers', TRACE_HELP);
    }
    const gpuCell = row[at('gpu')] ?? '';
    if (!gpuIndex.has(gpuCell)) {
      gpuIndex.set(gpuCell, /^\d+$/.test(gpuCell) ? Number(gpuCell) : gpuIndex.size);
    }
    const index = gpuIndex.get(gpuCell)!;
    const phaseCell = at('phase') >= 0 ? row[at('phase')] : undefined;
    const phase: Phase = PHASES.find((p) => p === phaseCell) ?? 'soak';

    const gpu = emptyGpu(index, /^\d+$/.test(gpuCell) ? null : gpuCell, null);
    const read = (column: string) => optionalMiB(row[at(column)], name, lineNo, column);
    gpu.fb.usedMiB = at('fb_used_mib') >= 0 ? read('fb_used_mib') : null;
    gpu.fb.totalMiB = at('fb_total_mib') >= 0 ? read('fb_total_mib') : null;
    gpu.bar1.usedMiB = at('bar1_used_mib') >= 0 ? read('bar1_used_mib') : null;
    gpu.bar1.totalMiB = at('bar1_total_mib') >= 0 ? read('bar1_total_mib') : null;

    const tMs = Math.round(tS * 1000);
    const sample = samples.get(tMs) ?? { tMs, requests, phase, gpus: [] };
    sample.requests = Math.max(sample.requests, requests);
    sample.gpus.push(gpu);
    samples.set(tMs, sample);
  });
  return [...samples.values()].sort((a, b) => a.tMs - b.tMs);
}

/** `2026/07/14 08:12:53.123` as ms; only differences matter, so the zone does not. */
function timestampMs(text: string): number | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

const SMI_HELP =
  'log nvidia-smi --query-gpu=timestamp,index,memory.used,memory.total --format=csv -l 1';

function readSmiLog(lines: readonly string[], name: string): MemorySample[] {
  let header: string[] | null = null;
  const samples = new Map<number, MemorySample>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = cells(line);
    // nvidia-smi repeats the header when it is restarted, and people concatenate logs.
    if (row.includes('timestamp') || row.some((c) => c.startsWith('memory.'))) {
      header = row.map(columnName);
      return;
    }
    if (!header) throw csvError(name, i + 1, 'data before the header line', SMI_HELP);
    const h: string[] = header;
    const at = (column: string) => h.indexOf(column);
    const tMs = timestampMs(row[at('timestamp')] ?? '');
    if (tMs === null) {
      throw csvError(name, i + 1, `"${row[at('timestamp')] ?? ''}" is not a timestamp`, SMI_HELP);
    }
    const index = Number(row[at('index')] ?? 0);
    const gpu = emptyGpu(
      Number.isInteger(index) ? index : 0,
      at('uuid') >= 0 ? (row[at('uuid')] ?? null) : null,
      at('name') >= 0 ? (row[at('name')] ?? null) : null,
    );
    // `[N/A]` and the like are unavailable, never 0.
    gpu.fb.usedMiB = parseMiB(row[at('memory.used')]);
    gpu.fb.totalMiB = parseMiB(row[at('memory.total')]);
    const sample = samples.get(tMs) ?? { tMs, requests: 0, phase: 'soak' as Phase, gpus: [] };
    sample.gpus.push(gpu);
    samples.set(tMs, sample);
  });
  const sorted = [...samples.values()].sort((a, b) => a.tMs - b.tMs);
  const t0 = sorted[0]?.tMs ?? 0;
  return sorted.map((s) => ({ ...s, tMs: s.tMs - t0 }));
}

/** Reads a trace, telling the three formats apart by their first characters and header. */
export function readTrace(text: string, name: string): Trace {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('{')) {
    return { format: 'results', samples: readResults(body, name) };
  }
  const lines = body.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) {
    throw new GateError('usage', `${name}: the file is empty`, TRACE_HELP);
  }
  const header = cells(lines[first]!).map(columnName);
  if (header.includes('t_s')) {
    return { format: 'csv-trace', samples: readCsvTrace(lines.slice(first), name) };
  }
  if (header.includes('timestamp') && header.includes('memory.used')) {
    return { format: 'nvidia-smi-log', samples: readSmiLog(lines, name) };
  }
  throw new GateError(
    'usage',
    `${name}: not a results file, CSV trace or nvidia-smi log`,
    `${TRACE_HELP}; or ${SMI_HELP}`,
  );
}
