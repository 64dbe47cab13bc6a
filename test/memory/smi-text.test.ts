import { describe, expect, it } from 'vitest';
import { readSmiText } from '../../src/memory/smi-text.js';
import { sharedFixture } from '../shared-fixtures.js';

const states = (text: string) => readSmiText(text).map((r) => (r.kind === 'ok' ? 'ok' : r.state));

describe('readSmiText', () => {
  it('reads XML, a loop of XML, and CSV by what the text is', () => {
    const xml = sharedFixture('nvidia-smi-xml/multi-gpu-dual-rtx2070-590-v13.xml');
    expect(states(xml)).toEqual(['ok']);
    expect(states(`${xml}\n${xml}\n${xml}`)).toEqual(['ok', 'ok', 'ok']);
    const [csv] = readSmiText(sharedFixture('nvidia-smi-csv/query-gpu-memory-h100-590-load.csv'));
    expect(csv?.kind === 'ok' && csv.gpus[0]?.fb.usedMiB).toBe(19818);
    const [apps] = readSmiText(
      sharedFixture('nvidia-smi-csv/query-compute-apps-h100-590-load.csv'),
    );
    expect(apps?.kind === 'ok' && apps.gpus[0]?.processes).toHaveLength(3);
  });

  it('names broken-driver text, and says so when there is nothing at all', () => {
    expect(states('Failed to initialize NVML: Driver/library version mismatch\n')).toEqual([
      'driver-mismatch',
    ]);
    expect(readSmiText('')).toEqual([
      { kind: 'broken', state: 'garbage', message: 'nvidia-smi printed nothing' },
    ]);
  });

  it('calls a query-gpu CSV with only its header garbage rather than an empty reading', () => {
    expect(states('index, memory.used [MiB]\n')).toEqual(['garbage']);
  });
});
