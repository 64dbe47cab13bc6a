import { describe, expect, it } from 'vitest';
import { type SimState, smiView, stateFromReadings } from '../../src/sim/gpu-state.js';
import { renderSmiXml, smiTimestamp } from '../../src/sim/smi-xml.js';
import { sharedFixture } from '../shared-fixtures.js';
import { elementPaths, parseXml, scenario } from './helpers.js';

const H100 = sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml');
const DUAL = sharedFixture('nvidia-smi-xml/multi-gpu-dual-rtx2070-590-v13.xml');

function loadedState(yaml: string, pid = 4242): { xml: string; state: SimState } {
  const s = scenario(yaml);
  const state = stateFromReadings({
    scenario: s,
    readings: Array.from({ length: s.gpus.count }, () => ({
      fbUsedMiB: 19818,
      bar1UsedMiB: 19819,
      engineFbMiB: 19818,
    })),
    pid,
    processName: () => 'VLLM::EngineCore',
    busy: true,
    startedAtMs: 0,
    nowMs: 0,
  });
  return { xml: renderSmiXml(smiView(s, state, new Date(2026, 6, 14, 8, 12, 53))), state };
}

describe('nvidia-smi XML stand-in', () => {
  it('has exactly the element paths of the real H100 capture', () => {
    expect(elementPaths(loadedState('').xml)).toEqual(elementPaths(H100));
  });

  it('gives process_info the children of the real capture, in order', () => {
    const paths = elementPaths(loadedState('').xml).filter((p) => p.includes('process_info/'));
    expect(paths).toEqual(elementPaths(H100).filter((p) => p.includes('process_info/')));
    expect(paths.map((p) => p.split('/').pop())).toEqual([
      'gpu_instance_id',
      'compute_instance_id',
      'pid',
      'type',
      'process_name',
      'used_memory',
    ]);
  });

  it('prints the memory blocks in the real order and value format', () => {
    const doc = parseXml(loadedState('').xml) as {
      nvidia_smi_log: { gpu: Record<string, Record<string, string>> };
    };
    const gpu = doc.nvidia_smi_log.gpu;
    expect(gpu.fb_memory_usage).toEqual({
      total: '81559 MiB',
      reserved: '479 MiB',
      used: '19818 MiB',
      free: '61262 MiB',
    });
    expect(gpu.bar1_memory_usage).toEqual({
      total: '131072 MiB',
      used: '19819 MiB',
      free: '111253 MiB',
    });
    expect(Object.keys(gpu)).toEqual(
      expect.arrayContaining(['fb_memory_usage', 'bar1_memory_usage', 'cc_protected_memory_usage']),
    );
    const keys = Object.keys(gpu);
    expect(keys.indexOf('cc_protected_memory_usage')).toBe(keys.indexOf('bar1_memory_usage') + 1);
  });

  it('keeps the real prolog, DOCTYPE, tab indentation and line layout', () => {
    const s = scenario('');
    const view = smiView(s, null, new Date(2026, 6, 14, 8, 12, 53));
    const gpu = view.gpus[0]!;
    gpu.fbUsedMiB = 19818;
    gpu.bar1UsedMiB = 19819;
    gpu.processes = [
      { pid: 11327, name: '/root/tools/memhog', usedMiB: 2566 },
      { pid: 11328, name: '/root/tools/memhog', usedMiB: 1542 },
      { pid: 11345, name: './gpu_burn', usedMiB: 15690 },
    ];
    const ours = renderSmiXml(view).split('\n');
    const real = H100.split('\n');
    // The same tags at the same depths on every line; values and attributes aside.
    const skeleton = (lines: string[]) =>
      lines.map((line) => line.replace(/>[^<]*</g, '><').replace(/"[^"]*"/g, '""'));
    expect(skeleton(ours)).toEqual(skeleton(real));
    expect(ours.slice(0, 3)).toEqual(real.slice(0, 3));
    expect(ours[3]).toBe('\t<timestamp>Tue Jul 14 08:12:53 2026</timestamp>');
    const memoryLines = (lines: string[]) =>
      lines.filter((line) => /<(total|reserved|used|used_memory)>/.test(line));
    expect(memoryLines(ours)).toEqual(memoryLines(real));
  });

  it('lists one gpu element per simulated GPU, in bus order, like the dual-GPU capture', () => {
    const xml = loadedState('gpus: { count: 2 }').xml;
    const doc = parseXml(xml) as {
      nvidia_smi_log: { attached_gpus: string; gpu: { '@_id': string; minor_number: string }[] };
    };
    expect(doc.nvidia_smi_log.attached_gpus).toBe('2');
    expect(doc.nvidia_smi_log.gpu.map((g) => [g['@_id'], g.minor_number])).toEqual([
      ['00000000:01:00.0', '0'],
      ['00000000:02:00.0', '1'],
    ]);
    const real = parseXml(DUAL) as { nvidia_smi_log: { gpu: { '@_id': string }[] } };
    expect(real.nvidia_smi_log.gpu.map((g) => g['@_id'])).toEqual([
      '00000000:01:00.0',
      '00000000:02:00.0',
    ]);
  });

  it('writes an empty process list as the real driver does', () => {
    const s = scenario('');
    const xml = renderSmiXml(smiView(s, null, new Date(0)));
    expect(xml).toContain('\t\t<processes>\n\t\t</processes>\n');
    expect(xml).toContain('<used>0 MiB</used>');
  });

  it('escapes text that is not XML-safe', () => {
    const s = scenario('gpus: { name: "A & B <x>" }');
    const xml = renderSmiXml(smiView(s, null, new Date(0)));
    expect(xml).toContain('<product_name>A &amp; B &lt;x&gt;</product_name>');
    expect(() => parseXml(xml)).not.toThrow();
  });

  it('pads a one-digit day with a space, as ctime does', () => {
    expect(smiTimestamp(new Date(2022, 1, 3, 13, 18, 48))).toBe('Thu Feb  3 13:18:48 2022');
  });
});
