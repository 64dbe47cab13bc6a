import { existsSync, readFileSync } from 'node:fs';
import { GateError } from '../errors.js';
import { parseSmiXml } from '../memory/smi-xml.js';
import type { SmiSnapshot } from '../memory/types.js';
import { parseSizeMiB } from '../units.js';

const MIB = 1024 * 1024;

/** The memory of the GPU a deployment lands on, as preflight budgets it. */
export interface GpuTotals {
  fbTotalBytes: number;
  /** Null when unknown (not given, or nvidia-smi printed N/A). */
  bar1TotalBytes: number | null;
  /** BAR1 already in use when read: with the model loaded, the model's share. */
  bar1UsedBytes: number | null;
  /** In MIG mode the whole-GPU BAR1 is a large constant and says nothing. */
  migEnabled: boolean;
  name: string | null;
  /** Where the figures come from, for the report. */
  source: string;
}

/** From `--gpu-memory 80GiB` (and optionally `--bar1 8GiB`, `--bar1-used 2.5GiB`). */
export function gpuTotalsFromSizes(sizes: {
  gpuMemory: string;
  bar1?: string;
  bar1Used?: string;
}): GpuTotals {
  const fb = parseSizeMiB(sizes.gpuMemory, '--gpu-memory') * MIB;
  const bar1 = sizes.bar1 === undefined ? null : parseSizeMiB(sizes.bar1, '--bar1') * MIB;
  const used =
    sizes.bar1Used === undefined ? null : parseSizeMiB(sizes.bar1Used, '--bar1-used') * MIB;
  const parts = [`--gpu-memory ${sizes.gpuMemory}`];
  if (sizes.bar1 !== undefined) parts.push(`--bar1 ${sizes.bar1}`);
  if (sizes.bar1Used !== undefined) parts.push(`--bar1-used ${sizes.bar1Used}`);
  return {
    fbTotalBytes: fb,
    bar1TotalBytes: bar1,
    bar1UsedBytes: used,
    migEnabled: false,
    name: null,
    source: parts.join(' '),
  };
}

/**
 * From one nvidia-smi reading: the GPU with the least framebuffer, since a deployment
 * must fit on every GPU it spans. Null when no GPU reports its FB total.
 */
export function gpuTotalsFromSnapshot(snapshot: SmiSnapshot, source: string): GpuTotals | null {
  const readable = snapshot.gpus.filter((g) => g.fb.totalMiB !== null);
  const smallest = readable.sort((a, b) => (a.fb.totalMiB ?? 0) - (b.fb.totalMiB ?? 0))[0];
  if (!smallest) return null;
  return {
    fbTotalBytes: (smallest.fb.totalMiB ?? 0) * MIB,
    bar1TotalBytes: smallest.bar1.totalMiB === null ? null : smallest.bar1.totalMiB * MIB,
    bar1UsedBytes: smallest.bar1.usedMiB === null ? null : smallest.bar1.usedMiB * MIB,
    migEnabled: smallest.migEnabled,
    name: smallest.name,
    source: `${source} (GPU ${smallest.index}${smallest.name ? `, ${smallest.name}` : ''})`,
  };
}

/** From `--smi FILE`: a saved `nvidia-smi -q -x` document. */
export function gpuTotalsFromSmiFile(path: string): GpuTotals {
  if (!existsSync(path)) {
    throw new GateError(
      'usage',
      `--smi ${path}: no such file`,
      'save one with nvidia-smi -q -x > FILE',
    );
  }
  const reading = parseSmiXml(readFileSync(path, 'utf8'));
  if (reading.kind === 'broken') {
    throw new GateError(
      'usage',
      `--smi ${path}: not nvidia-smi -q -x output (${reading.state}: ${reading.message})`,
      'save one with nvidia-smi -q -x > FILE',
    );
  }
  const totals = gpuTotalsFromSnapshot(reading, `nvidia-smi -q -x in ${path}`);
  if (!totals) {
    throw new GateError(
      'usage',
      `--smi ${path}: no GPU in it reports its FB total`,
      'give --gpu-memory instead',
    );
  }
  return totals;
}
