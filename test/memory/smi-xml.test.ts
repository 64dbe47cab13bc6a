import { describe, expect, it } from 'vitest';
import { parseSmiXml } from '../../src/memory/smi-xml.js';
import type { SmiReading, SmiSnapshot } from '../../src/memory/types.js';
import { sharedFixture } from '../shared-fixtures.js';

function snapshotOf(file: string): SmiSnapshot {
  const reading: SmiReading = parseSmiXml(sharedFixture(`nvidia-smi-xml/${file}`));
  if (reading.kind !== 'ok') throw new Error(`${file}: ${reading.state}: ${reading.message}`);
  return reading;
}

describe('parseSmiXml on the real fixtures', () => {
  it('reads the H100 under load (v13): FB, BAR1 beside it, and three compute processes', () => {
    const s = snapshotOf('datacenter-h100-590-v13-load-ABRIDGED.xml');
    expect(s.timestamp).toBe('Tue Jul 14 08:12:53 2026');
    expect(s.driverVersion).toBe('590.48.01');
    expect(s.cudaVersion).toBe('13.1');
    expect(s.gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-00000000-0000-0000-0000-000000000001',
        name: 'NVIDIA H100 80GB HBM3',
        busId: '00000000:00:09.0',
        fb: { totalMiB: 81559, usedMiB: 19818, reservedMiB: 479 },
        bar1: { totalMiB: 131072, usedMiB: 19819 },
        migEnabled: false,
        mig: [],
        processes: [
          { pid: 11327, name: '/root/tools/memhog', usedMiB: 2566, gpuInstanceId: null },
          { pid: 11328, name: '/root/tools/memhog', usedMiB: 1542, gpuInstanceId: null },
          { pid: 11345, name: './gpu_burn', usedMiB: 15690, gpuInstanceId: null },
        ],
      },
    ]);
  });

  it('reads BAR1 from bar1_memory_usage, not from the cc_protected block of zeros after it', () => {
    const s = snapshotOf('consumer-rtx3060-570-v12-bar1-256mib.xml');
    expect(s.gpus[0]?.bar1).toEqual({ totalMiB: 256, usedMiB: 5 });
    expect(s.gpus[0]?.fb).toEqual({ totalMiB: 12288, usedMiB: 116, reservedMiB: 368 });
    expect(s.gpus[0]?.name).toBe('NVIDIA GeForce RTX 3060');
    expect(s.gpus[0]?.busId).toBe('00000000:2D:00.0');
    expect(s.driverVersion).toBe('570.124.04');
    expect(s.cudaVersion).toBe('12.8');
  });

  it('treats <mig_devices>None</mig_devices> and an empty <processes> as no entries', () => {
    const s = snapshotOf('consumer-rtx3060-570-v12-bar1-256mib.xml');
    expect(s.gpus[0]?.migEnabled).toBe(false);
    expect(s.gpus[0]?.mig).toEqual([]);
    expect(s.gpus[0]?.processes).toEqual([]);
  });

  it('reads the Tesla T4 (v11, 4-space indent) with a graphics and a compute process', () => {
    const s = snapshotOf('datacenter-tesla-t4-515-v11-processes.xml');
    expect(s.timestamp).toBe('Mon Apr 24 16:22:39 2023');
    expect(s.driverVersion).toBe('515.105.01');
    expect(s.cudaVersion).toBe('11.7');
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]).toMatchObject({
      index: 0,
      name: 'Tesla T4',
      busId: '00000000:00:1E.0',
      fb: { totalMiB: 15360, usedMiB: 1032, reservedMiB: 388 },
      bar1: { totalMiB: 256, usedMiB: 5 },
    });
    expect(s.gpus[0]?.processes).toEqual([
      { pid: 675, name: '/usr/lib/xorg/Xorg', usedMiB: 22, gpuInstanceId: null },
      { pid: 5762, name: 'python', usedMiB: 1005, gpuInstanceId: null },
    ]);
  });

  it('reads each MIG instance with its own FB and BAR1, in document order', () => {
    const s = snapshotOf('mig-a100-sxm4-80gb-535-v12.xml');
    const gpu = s.gpus[0]!;
    expect(s.timestamp).toBe('Fri Aug  4 11:44:30 2023');
    expect(s.driverVersion).toBe('535.54.03');
    expect(s.cudaVersion).toBe('12.2');
    expect(gpu.name).toBe('NVIDIA A100-SXM4-80GB');
    expect(gpu.busId).toBe('00000000:01:00.0');
    expect(gpu.migEnabled).toBe(true);
    expect(gpu.fb).toEqual({ totalMiB: 81920, usedMiB: 50, reservedMiB: 869 });
    expect(gpu.bar1).toEqual({ totalMiB: 131072, usedMiB: 1 });
    expect(gpu.mig.map((m) => m.gpuInstanceId)).toEqual([3, 4, 5, 6]);
    for (const instance of gpu.mig) {
      expect(instance).toMatchObject({
        computeInstanceId: 0,
        fb: { totalMiB: 19968, usedMiB: 12 },
        bar1: { totalMiB: 32767, usedMiB: 0 },
      });
    }
  });

  it('reads a self-closing <processes /> as no processes', () => {
    expect(snapshotOf('mig-a100-sxm4-80gb-535-v12.xml').gpus[0]?.processes).toEqual([]);
  });

  it('keeps the attached_gpus claim out of it: a trimmed document with one <gpu> gives one GPU', () => {
    // The MIG fixture says <attached_gpus>4</attached_gpus> but holds one <gpu>.
    expect(snapshotOf('mig-a100-sxm4-80gb-535-v12.xml').gpus).toHaveLength(1);
  });

  it('reads both GPUs of a dual-GPU document in bus order, with their own UUIDs', () => {
    const s = snapshotOf('multi-gpu-dual-rtx2070-590-v13.xml');
    expect(s.timestamp).toBe('Tue Dec 30 09:49:47 2025');
    expect(s.driverVersion).toBe('590.44.01');
    expect(s.cudaVersion).toBe('13.1');
    expect(s.gpus.map((g) => [g.index, g.busId, g.uuid])).toEqual([
      [0, '00000000:01:00.0', 'GPU-00000000-0000-0000-0000-000000000001'],
      [1, '00000000:02:00.0', 'GPU-00000000-0000-0000-0000-000000000002'],
    ]);
    for (const gpu of s.gpus) {
      expect(gpu.name).toBe('NVIDIA GeForce RTX 2070');
      expect(gpu.fb).toEqual({ totalMiB: 8192, usedMiB: 1, reservedMiB: 406 });
      expect(gpu.bar1).toEqual({ totalMiB: 256, usedMiB: 3 });
      expect(gpu.processes).toEqual([]);
    }
  });

  it('reads the 418.43 document that has no DOCTYPE, no <reserved> and no mig_mode', () => {
    const s = snapshotOf('old-418.43-no-doctype-gtx1660ti.xml');
    expect(s.timestamp).toBe('Fri Mar 29 19:19:44 2019');
    expect(s.driverVersion).toBe('418.43');
    expect(s.cudaVersion).toBe('10.1');
    expect(s.gpus[0]).toMatchObject({
      name: 'Graphics Device',
      busId: '00000000:43:00.0',
      fb: { totalMiB: 5912, usedMiB: 0, reservedMiB: null },
      bar1: { totalMiB: 256, usedMiB: 2 },
      migEnabled: false,
    });
  });

  it('reads 0 MiB as 0 and N/A as null: the WSL2 document has BAR1 used N/A', () => {
    const s = snapshotOf('wsl2-gtx1650ti-510.06-v11-ABRIDGED-PARTLY-INFERRED.xml');
    expect(s.driverVersion).toBe('510.06');
    expect(s.cudaVersion).toBe('11.6');
    expect(s.gpus[0]).toMatchObject({
      name: 'NVIDIA GeForce GTX 1650 Ti with Max-Q Design',
      busId: '00000000:01:00.0',
      fb: { totalMiB: 4096, usedMiB: 161, reservedMiB: null },
      bar1: { totalMiB: 256, usedMiB: null },
      processes: [],
    });
  });
});

describe('parseSmiXml on hand-written documents', () => {
  const doc = (gpuBody: string) =>
    `<?xml version="1.0" ?>\n<nvidia_smi_log>\n<driver_version>590.48.01</driver_version>\n<gpu id="00000000:01:00.0">\n${gpuBody}\n</gpu>\n</nvidia_smi_log>\n`;

  it('reads every non-number spelling as null, never 0', () => {
    const r = parseSmiXml(
      doc(`<fb_memory_usage><total>[N/A]</total><reserved>Not Supported</reserved>
        <used>Requested functionality has been deprecated</used></fb_memory_usage>
        <bar1_memory_usage><total>Unknown Error</total><used></used></bar1_memory_usage>`),
    );
    expect(r).toMatchObject({
      kind: 'ok',
      gpus: [
        {
          fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
          bar1: { totalMiB: null, usedMiB: null },
        },
      ],
    });
  });

  it('gives a GPU without memory blocks null figures and no entries', () => {
    const r = parseSmiXml(doc('<product_name>X</product_name>'));
    expect(r).toMatchObject({
      kind: 'ok',
      gpus: [
        {
          name: 'X',
          uuid: null,
          fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
          bar1: { totalMiB: null, usedMiB: null },
          mig: [],
          processes: [],
        },
      ],
    });
  });

  it('reads a single MIG instance and a single process as lists of one, with the instance id', () => {
    const r = parseSmiXml(
      doc(`<mig_mode><current_mig>Enabled</current_mig></mig_mode>
        <mig_devices><mig_device><gpu_instance_id>2</gpu_instance_id>
          <compute_instance_id>0</compute_instance_id>
          <fb_memory_usage><total>9984 MiB</total><used>11125 MiB</used></fb_memory_usage>
          <bar1_memory_usage><total>16383 MiB</total><used>0 MiB</used></bar1_memory_usage>
        </mig_device></mig_devices>
        <processes><process_info><gpu_instance_id>2</gpu_instance_id><pid>42</pid>
          <process_name>python3 -m vllm.entrypoints.openai.api_server</process_name>
          <used_memory>N/A</used_memory></process_info></processes>`),
    );
    expect(r).toMatchObject({
      kind: 'ok',
      gpus: [
        {
          migEnabled: true,
          mig: [
            {
              gpuInstanceId: 2,
              computeInstanceId: 0,
              fb: { totalMiB: 9984, usedMiB: 11125 },
              bar1: { totalMiB: 16383, usedMiB: 0 },
            },
          ],
          processes: [
            {
              pid: 42,
              name: 'python3 -m vllm.entrypoints.openai.api_server',
              usedMiB: null,
              gpuInstanceId: 2,
            },
          ],
        },
      ],
    });
  });

  it('decodes XML entities in process names', () => {
    const r = parseSmiXml(
      doc(
        '<processes><process_info><pid>7</pid><process_name>a &amp; b</process_name></process_info></processes>',
      ),
    );
    expect(r.kind === 'ok' && r.gpus[0]?.processes[0]?.name).toBe('a & b');
  });

  it('names a document cut before </nvidia_smi_log> truncated, quoting its last line', () => {
    const xml = sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml');
    const cut = xml.slice(0, xml.indexOf('<total>131072') + '<total>131072'.length);
    const r = parseSmiXml(cut);
    expect(r.kind).toBe('broken');
    expect(r).toMatchObject({ state: 'truncated' });
    expect(r.kind === 'broken' && r.message).toContain('<total>131072');
  });

  it('names a text without a document by its broken-driver line', () => {
    expect(parseSmiXml('No devices were found\n')).toEqual({
      kind: 'broken',
      state: 'no-devices',
      message: 'No devices were found',
    });
  });

  it('calls a document with another root element garbage', () => {
    expect(
      parseSmiXml('<?xml version="1.0"?><html><body>nvidia_smi_log</body></html>'),
    ).toMatchObject({
      kind: 'broken',
      state: 'garbage',
    });
  });
});
