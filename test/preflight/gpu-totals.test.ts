import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuTotalsFromSizes, gpuTotalsFromSmiFile } from '../../src/preflight/gpu-totals.js';
import { SHARED_FIXTURES } from '../shared-fixtures.js';
import { GIB, MIB } from './paths.js';

const smi = (name: string) => gpuTotalsFromSmiFile(join(SHARED_FIXTURES, 'nvidia-smi-xml', name));

describe('GPU totals', () => {
  it('reads sizes given by hand', () => {
    expect(gpuTotalsFromSizes({ gpuMemory: '48GiB', bar1: '8GiB', bar1Used: '2.5GiB' })).toEqual({
      fbTotalBytes: 48 * GIB,
      bar1TotalBytes: 8 * GIB,
      bar1UsedBytes: 2.5 * GIB,
      migEnabled: false,
      name: null,
      source: '--gpu-memory 48GiB --bar1 8GiB --bar1-used 2.5GiB',
    });
    expect(() => gpuTotalsFromSizes({ gpuMemory: 'lots' })).toThrow(
      '--gpu-memory: "lots" is not a size',
    );
  });

  it('reads FB and BAR1 from a real H100 nvidia-smi -q -x', () => {
    expect(smi('datacenter-h100-590-v13-load-ABRIDGED.xml')).toMatchObject({
      fbTotalBytes: 81_559 * MIB,
      bar1TotalBytes: 131_072 * MIB,
      bar1UsedBytes: 19_819 * MIB,
      migEnabled: false,
      name: 'NVIDIA H100 80GB HBM3',
    });
  });

  it('reads the 256 MiB BAR1 of a consumer card without resizable BAR', () => {
    expect(smi('consumer-rtx3060-570-v12-bar1-256mib.xml')).toMatchObject({
      fbTotalBytes: 12_288 * MIB,
      bar1TotalBytes: 256 * MIB,
      bar1UsedBytes: 5 * MIB,
    });
  });

  it('keeps BAR1 use unknown where nvidia-smi prints N/A, and marks MIG mode', () => {
    expect(smi('wsl2-gtx1650ti-510.06-v11-ABRIDGED-PARTLY-INFERRED.xml').bar1UsedBytes).toBeNull();
    expect(smi('mig-a100-sxm4-80gb-535-v12.xml').migEnabled).toBe(true);
  });

  it('takes the smallest GPU of several', () => {
    expect(smi('multi-gpu-dual-rtx2070-590-v13.xml').source).toMatch(
      /\(GPU \d, NVIDIA GeForce RTX 2070\)$/,
    );
  });

  it('refuses a file that is not nvidia-smi XML, and a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-smi-'));
    writeFileSync(
      join(dir, 'smi.xml'),
      'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n',
    );
    expect(() => gpuTotalsFromSmiFile(join(dir, 'smi.xml'))).toThrow(/not nvidia-smi -q -x output/);
    expect(() => gpuTotalsFromSmiFile(join(dir, 'none.xml'))).toThrow('no such file');
  });
});
