import { formatMiB } from '../units.js';
import type { GpuReading, MemoryPair, SmiReading } from './types.js';

/** The one-line JSON shape `serving-gate smi --json` prints per document (issue 3). */
export type SmiJson =
  | {
      driverVersion: string | null;
      gpus: Array<{
        index: number;
        uuid: string | null;
        name: string | null;
        fb: MemoryPair;
        bar1: MemoryPair;
        mig: Array<{ gpuInstanceId: number | null; fb: MemoryPair; bar1: MemoryPair }>;
        processes: Array<{ pid: number | null; name: string | null; usedMiB: number | null }>;
      }>;
    }
  | { state: string; message: string };

/** Keys in the documented order, GPUs and MIG instances in document order. */
export function toSmiJson(reading: SmiReading): SmiJson {
  if (reading.kind === 'broken') return { state: reading.state, message: reading.message };
  return {
    driverVersion: reading.driverVersion,
    gpus: reading.gpus.map((gpu) => ({
      index: gpu.index,
      uuid: gpu.uuid,
      name: gpu.name,
      fb: pair(gpu.fb),
      bar1: pair(gpu.bar1),
      mig: gpu.mig.map((m) => ({
        gpuInstanceId: m.gpuInstanceId,
        fb: pair(m.fb),
        bar1: pair(m.bar1),
      })),
      processes: gpu.processes.map((p) => ({ pid: p.pid, name: p.name, usedMiB: p.usedMiB })),
    })),
  };
}

/** A short table for a person: a row per GPU, then its MIG instances and processes. */
export function formatSmiTable(reading: SmiReading): string {
  if (reading.kind === 'broken') return `broken: ${reading.state}: ${reading.message}\n`;

  const head = [
    `driver ${reading.driverVersion ?? 'n/a'}`,
    reading.cudaVersion ? `CUDA ${reading.cudaVersion}` : null,
    reading.timestamp,
  ].filter((part) => part !== null);
  const rows: string[][] = [['GPU', 'NAME', 'FB USED/TOTAL', 'BAR1 USED/TOTAL', 'MIG', 'PROCS']];
  const details: string[] = [];
  for (const gpu of reading.gpus) {
    rows.push([
      String(gpu.index),
      gpu.name ?? 'n/a',
      usage(gpu.fb),
      usage(gpu.bar1),
      gpu.migEnabled ? `${gpu.mig.length} inst` : 'off',
      String(gpu.processes.length),
    ]);
    details.push(...gpuDetails(gpu));
  }
  const lines = [head.join(' · '), ...align(rows), ...details];
  if (reading.gpus.length === 0) lines.push('(no GPUs in this reading)');
  return `${lines.join('\n')}\n`;
}

function gpuDetails(gpu: GpuReading): string[] {
  const lines = gpu.mig.map(
    (m) =>
      `  GPU ${gpu.index} MIG gi ${m.gpuInstanceId ?? 'n/a'}: FB ${usage(m.fb)}, BAR1 ${usage(m.bar1)}`,
  );
  for (const p of gpu.processes) {
    const gi = p.gpuInstanceId === null ? '' : ` (gi ${p.gpuInstanceId})`;
    lines.push(
      `  GPU ${gpu.index} pid ${p.pid ?? 'n/a'} ${p.name ?? 'n/a'}${gi}: ${formatMiB(p.usedMiB)}`,
    );
  }
  return lines;
}

function pair(memory: MemoryPair): MemoryPair {
  return { totalMiB: memory.totalMiB, usedMiB: memory.usedMiB };
}

function usage(memory: MemoryPair): string {
  return `${formatMiB(memory.usedMiB)} / ${formatMiB(memory.totalMiB)}`;
}

function align(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) =>
    row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '),
  );
}
