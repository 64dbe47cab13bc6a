import { describe, expect, it } from 'vitest';
import { formatSmiTable, toSmiJson } from '../../src/memory/smi-render.js';
import { parseSmiXml } from '../../src/memory/smi-xml.js';
import { sharedFixture } from '../shared-fixtures.js';

describe('toSmiJson', () => {
  it('prints the documented keys in order, MIG instances in document order', () => {
    const reading = parseSmiXml(sharedFixture('nvidia-smi-xml/mig-a100-sxm4-80gb-535-v12.xml'));
    const mig = (gi: number) =>
      `{"gpuInstanceId":${gi},"fb":{"totalMiB":19968,"usedMiB":12},"bar1":{"totalMiB":32767,"usedMiB":0}}`;
    expect(JSON.stringify(toSmiJson(reading))).toBe(
      '{"driverVersion":"535.54.03","gpus":[{"index":0,"uuid":"GPU-00000000-0000-0000-0000-000000000001",' +
        '"name":"NVIDIA A100-SXM4-80GB","fb":{"totalMiB":81920,"usedMiB":50},' +
        `"bar1":{"totalMiB":131072,"usedMiB":1},"mig":[${[3, 4, 5, 6].map(mig).join(',')}],"processes":[]}]}`,
    );
  });

  it('prints null for unavailable figures and processes without their instance id', () => {
    const reading = parseSmiXml(
      sharedFixture('nvidia-smi-xml/wsl2-gtx1650ti-510.06-v11-ABRIDGED-PARTLY-INFERRED.xml'),
    );
    expect(toSmiJson(reading)).toMatchObject({
      gpus: [{ bar1: { totalMiB: 256, usedMiB: null } }],
    });
    const h100 = parseSmiXml(
      sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml'),
    );
    expect(JSON.stringify(toSmiJson(h100))).toContain(
      '"processes":[{"pid":11327,"name":"/root/tools/memhog","usedMiB":2566},',
    );
  });

  it('prints a broken reading as state and message only', () => {
    expect(
      toSmiJson({ kind: 'broken', state: 'no-devices', message: 'No devices were found' }),
    ).toEqual({
      state: 'no-devices',
      message: 'No devices were found',
    });
  });
});

describe('formatSmiTable', () => {
  it('shows a row per GPU with FB and BAR1 used/total, then the processes', () => {
    const text = formatSmiTable(
      parseSmiXml(sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml')),
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('driver 590.48.01 · CUDA 13.1 · Tue Jul 14 08:12:53 2026');
    expect(lines[1]).toMatch(/^GPU\s+NAME\s+FB USED\/TOTAL\s+BAR1 USED\/TOTAL\s+MIG\s+PROCS$/);
    expect(lines[2]).toMatch(
      /^0\s+NVIDIA H100 80GB HBM3\s+19\.4 GiB \/ 79\.6 GiB\s+19\.4 GiB \/ 128\.0 GiB\s+off\s+3$/,
    );
    expect(lines[5]).toBe('  GPU 0 pid 11345 ./gpu_burn: 15.3 GiB');
  });

  it('shows MIG instances and n/a for unreadable BAR1', () => {
    const mig = formatSmiTable(
      parseSmiXml(sharedFixture('nvidia-smi-xml/mig-a100-sxm4-80gb-535-v12.xml')),
    );
    expect(mig).toContain('4 inst');
    expect(mig).toContain('  GPU 0 MIG gi 3: FB 12 MiB / 19.5 GiB, BAR1 0 MiB / 32.0 GiB');
    const wsl = formatSmiTable(
      parseSmiXml(
        sharedFixture('nvidia-smi-xml/wsl2-gtx1650ti-510.06-v11-ABRIDGED-PARTLY-INFERRED.xml'),
      ),
    );
    expect(wsl).toContain('n/a / 256 MiB');
  });

  it('shows a broken reading as one line', () => {
    expect(formatSmiTable({ kind: 'broken', state: 'gpu-lost', message: 'GPU is lost' })).toBe(
      'broken: gpu-lost: GPU is lost\n',
    );
  });
});
