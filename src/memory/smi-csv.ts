import type { GpuProcess, GpuReading, SmiSnapshot } from './types.js';
import { parseInteger, parseMiB } from './values.js';

/**
 * nvidia-smi `--format=csv` output as a table: header keys without their unit
 * (`memory.used [MiB]` → `memory.used`), rows as cells keyed by those names.
 */
export interface CsvTable {
  keys: string[];
  rows: Array<Map<string, string>>;
}

/** The columns that hold free text and so take any extra `, ` a value brought with it. */
const FREE_TEXT_KEYS = ['process_name', 'name', 'gpu_name'];

/** A header nvidia-smi writes: names such as `memory.used [MiB]` joined by `, `. */
export function looksLikeSmiCsv(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (first === undefined) return false;
  const cells = first.split(',').map((cell) => cell.trim());
  const named = cells.every((cell) => /^[a-z][a-z0-9_.]*( \[[^\]]+\])?$/i.test(cell));
  const known = cells.some((cell) => /^(memory\.|pid$|used_gpu_memory|used_memory)/.test(cell));
  return cells.length >= 2 && named && known;
}

export function parseSmiCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const keys = splitCells(header).map((cell) => cell.replace(/\s*\[[^\]]*\]$/, ''));
  const freeText = FREE_TEXT_KEYS.map((key) => keys.indexOf(key)).find((i) => i >= 0) ?? -1;

  const rows: Array<Map<string, string>> = [];
  for (const line of lines.slice(1)) {
    // Loop mode (`-l`) may print the header again; it is not a row.
    if (line.trim() === header.trim()) continue;
    const cells = mergeOverflow(splitCells(line), keys.length, freeText);
    rows.push(new Map(keys.map((key, i) => [key, cells[i] ?? ''])));
  }
  return { keys, rows };
}

/**
 * `--query-gpu` rows as snapshots. In loop mode the same GPUs repeat, so a row whose GPU
 * was already seen begins the next snapshot. There is no BAR1 in the CSV interface
 * (`--help-query-gpu` lists no such field): BAR1 is null here, never 0.
 */
export function parseQueryGpuCsv(text: string): SmiSnapshot[] {
  const snapshots: SmiSnapshot[] = [];
  let current: SmiSnapshot | null = null;
  let seen = new Set<string>();

  for (const row of parseSmiCsv(text).rows) {
    const key = cell(row, 'uuid') ?? cell(row, 'index') ?? cell(row, 'pci.bus_id') ?? '';
    if (!current || seen.has(key)) {
      current = {
        kind: 'ok',
        timestamp: cell(row, 'timestamp'),
        driverVersion: cell(row, 'driver_version'),
        cudaVersion: null,
        gpus: [],
      };
      snapshots.push(current);
      seen = new Set();
    }
    seen.add(key);
    current.gpus.push(gpuFromRow(row, current.gpus.length));
  }
  return snapshots;
}

function gpuFromRow(row: Map<string, string>, position: number): GpuReading {
  return {
    index: parseInteger(cell(row, 'index')) ?? position,
    uuid: cell(row, 'uuid'),
    name: cell(row, 'name'),
    busId: cell(row, 'pci.bus_id'),
    fb: {
      totalMiB: parseMiB(cell(row, 'memory.total')),
      usedMiB: parseMiB(cell(row, 'memory.used')),
      reservedMiB: parseMiB(cell(row, 'memory.reserved')),
    },
    bar1: { totalMiB: null, usedMiB: null },
    migEnabled: cell(row, 'mig.mode.current') === 'Enabled',
    mig: [],
    processes: [],
  };
}

/** One row of `--query-compute-apps`: a process and the GPU it runs on. */
export interface ComputeApp extends GpuProcess {
  gpuUuid: string | null;
  gpuBusId: string | null;
  gpuName: string | null;
}

/**
 * `--query-compute-apps` rows. The CSV has no MIG instance column, so `gpuInstanceId` is
 * null; on Windows WDDM `used_gpu_memory` is `[N/A]` for every row and stays null.
 */
export function parseComputeAppsCsv(text: string): ComputeApp[] {
  return parseSmiCsv(text).rows.map((row) => ({
    pid: parseInteger(cell(row, 'pid')),
    name: cell(row, 'process_name') ?? cell(row, 'name'),
    usedMiB: parseMiB(cell(row, 'used_gpu_memory') ?? cell(row, 'used_memory')),
    gpuInstanceId: null,
    gpuUuid: cell(row, 'gpu_uuid'),
    gpuBusId: cell(row, 'gpu_bus_id'),
    gpuName: cell(row, 'gpu_name'),
  }));
}

/** Gives each GPU of a snapshot the processes that name its UUID (or bus id). */
export function attachComputeApps(snapshot: SmiSnapshot, apps: ComputeApp[]): SmiSnapshot {
  const gpus = snapshot.gpus.map((gpu) => {
    const own = apps.filter((app) =>
      gpu.uuid !== null && app.gpuUuid !== null
        ? app.gpuUuid === gpu.uuid
        : app.gpuBusId !== null && app.gpuBusId === gpu.busId,
    );
    return { ...gpu, processes: own.map(toProcess) };
  });
  return { ...snapshot, gpus };
}

/**
 * A snapshot from the compute-apps CSV alone: one GPU per UUID it names, in the order of
 * first mention, with processes but no device memory (that CSV has none).
 */
export function snapshotFromComputeApps(apps: ComputeApp[]): SmiSnapshot {
  const gpus: GpuReading[] = [];
  const byKey = new Map<string, GpuReading>();
  for (const app of apps) {
    const key = app.gpuUuid ?? app.gpuBusId ?? '';
    let gpu = byKey.get(key);
    if (!gpu) {
      gpu = {
        index: gpus.length,
        uuid: app.gpuUuid,
        name: app.gpuName,
        busId: app.gpuBusId,
        fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
        bar1: { totalMiB: null, usedMiB: null },
        migEnabled: false,
        mig: [],
        processes: [],
      };
      byKey.set(key, gpu);
      gpus.push(gpu);
    }
    gpu.processes.push(toProcess(app));
  }
  return { kind: 'ok', timestamp: null, driverVersion: null, cudaVersion: null, gpus };
}

function toProcess(app: ComputeApp): GpuProcess {
  return { pid: app.pid, name: app.name, usedMiB: app.usedMiB, gpuInstanceId: app.gpuInstanceId };
}

function cell(row: Map<string, string>, key: string): string | null {
  const value = row.get(key);
  return value === undefined || value === '' ? null : value;
}

/** nvidia-smi separates cells with `, ` and never quotes; a bare `,` stays in the value. */
function splitCells(line: string): string[] {
  const separator = line.includes(', ') ? ', ' : ',';
  return line.split(separator).map((cell) => cell.trim());
}

/**
 * A process name that itself holds `, ` splits into too many cells; they are joined back
 * into the free-text column. Without such a column the extra cells are dropped.
 */
function mergeOverflow(cells: string[], width: number, freeText: number): string[] {
  const extra = cells.length - width;
  if (extra <= 0 || freeText < 0) return cells;
  const joined = cells.slice(freeText, freeText + extra + 1).join(', ');
  return [...cells.slice(0, freeText), joined, ...cells.slice(freeText + extra + 1)];
}
