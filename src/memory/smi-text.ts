import { broken, brokenFromText } from './smi-broken.js';
import {
  looksLikeSmiCsv,
  parseComputeAppsCsv,
  parseQueryGpuCsv,
  parseSmiCsv,
  snapshotFromComputeApps,
} from './smi-csv.js';
import { splitSmiText } from './smi-stream.js';
import type { SmiReading } from './types.js';

/**
 * Whatever nvidia-smi printed, read whole: `-q -x` (one document or a loop stream),
 * `--query-gpu` or `--query-compute-apps` CSV, or the lines of a broken driver. Never
 * empty: a text with nothing in it is `garbage` saying so.
 */
export function readSmiText(text: string): SmiReading[] {
  if (looksLikeSmiCsv(text)) {
    if (parseSmiCsv(text).keys.includes('pid')) {
      return [snapshotFromComputeApps(parseComputeAppsCsv(text))];
    }
    const snapshots = parseQueryGpuCsv(text);
    if (snapshots.length > 0) return snapshots;
    return [broken('garbage', 'nvidia-smi --query-gpu printed its header and no GPU rows')];
  }
  const readings = splitSmiText(text);
  return readings.length > 0 ? readings : [brokenFromText(text)];
}
