import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { smiCommand } from '../../src/cli/commands/smi.js';
import type { CliIO } from '../../src/cli/io.js';
import { SHARED_FIXTURES, sharedFixture } from '../shared-fixtures.js';

function io(stdinChunks: Array<string | Buffer> = []): CliIO & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
    stdin: Readable.from(stdinChunks),
    env: {},
    cwd: SHARED_FIXTURES,
    out: () => out,
  };
}

const jsonLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('serving-gate smi', () => {
  it('prints one JSON line per document of a file, exactly as documented', async () => {
    const cli = io();
    const code = await smiCommand(
      ['nvidia-smi-xml/multi-gpu-dual-rtx2070-590-v13.xml', '--json'],
      cli,
    );
    expect(code).toBe(0);
    const gpu = (n: number) =>
      `{"index":${n - 1},"uuid":"GPU-00000000-0000-0000-0000-00000000000${n}","name":"NVIDIA GeForce RTX 2070",` +
      '"fb":{"totalMiB":8192,"usedMiB":1},"bar1":{"totalMiB":256,"usedMiB":3},"mig":[],"processes":[]}';
    expect(cli.out()).toBe(`{"driverVersion":"590.44.01","gpus":[${gpu(1)},${gpu(2)}]}\n`);
  });

  it('reads a loop stream from stdin in odd-sized chunks, a line per document', async () => {
    const stream = readFileSync(
      resolve(import.meta.dirname, 'fixtures/loop-three-documents-one-error.xml'),
    );
    const chunks = [];
    for (let i = 0; i < stream.length; i += 777) chunks.push(stream.subarray(i, i + 777));
    const cli = io(chunks);
    const code = await smiCommand(['--json'], cli);
    const lines = jsonLines(cli.out());
    expect(lines.map((l) => l.state ?? l.gpus[0].fb.usedMiB)).toEqual([
      1000,
      'gpu-lost',
      1300,
      1600,
    ]);
    expect(code).toBe(3);
  });

  it('reads --query-gpu CSV from stdin given as -', async () => {
    const cli = io([sharedFixture('nvidia-smi-csv/query-gpu-memory-h100-590-load.csv')]);
    expect(await smiCommand(['-', '--json'], cli)).toBe(0);
    expect(jsonLines(cli.out())).toEqual([
      {
        driverVersion: '590.48.01',
        gpus: [
          {
            index: 0,
            uuid: 'GPU-00000000-0000-0000-0000-000000000000',
            name: 'NVIDIA H100 80GB HBM3',
            fb: { totalMiB: 81559, usedMiB: 19818 },
            bar1: { totalMiB: null, usedMiB: null },
            mig: [],
            processes: [],
          },
        ],
      },
    ]);
  });

  it.each([
    ['No devices were found', 'no-devices'],
    ['Failed to initialize NVML: Unknown Error', 'nvml-init-failed'],
    ['Failed to initialize NVML: Driver/library version mismatch', 'driver-mismatch'],
    ['Unable to determine the device handle for GPU 0000:01:00.0: Unknown Error', 'gpu-lost'],
    ['Segmentation fault (core dumped)', 'garbage'],
  ])('prints {"state","message"} for "%s" and exits 3', async (line, state) => {
    const cli = io([`${line}\n`]);
    expect(await smiCommand(['--json'], cli)).toBe(3);
    expect(cli.out()).toBe(`${JSON.stringify({ state, message: line })}\n`);
  });

  it('names a truncated document and exits 3', async () => {
    const xml = sharedFixture('nvidia-smi-xml/datacenter-tesla-t4-515-v11-processes.xml');
    const cli = io([xml.slice(0, 4000)]);
    expect(await smiCommand(['--json'], cli)).toBe(3);
    expect(jsonLines(cli.out())[0]).toMatchObject({ state: 'truncated' });
  });

  it('says an empty input printed nothing, and exits 3', async () => {
    const cli = io([]);
    expect(await smiCommand(['--json'], cli)).toBe(3);
    expect(jsonLines(cli.out())).toEqual([
      { state: 'garbage', message: 'nvidia-smi printed nothing' },
    ]);
  });

  it('prints a table without --json', async () => {
    const cli = io();
    expect(await smiCommand(['nvidia-smi-xml/consumer-rtx3060-570-v12-bar1-256mib.xml'], cli)).toBe(
      0,
    );
    expect(cli.out()).toMatch(/^driver 570\.124\.04 · CUDA 12\.8/);
    expect(cli.out()).toMatch(
      /0\s+NVIDIA GeForce RTX 3060\s+116 MiB \/ 12\.0 GiB\s+5 MiB \/ 256 MiB\s+off\s+0/,
    );
  });

  it('refuses an unreadable file as a usage error naming the path', async () => {
    await expect(smiCommand(['no/such/file.xml'], io())).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('no/such/file.xml'),
    });
  });

  it('refuses an unknown flag and a second input as usage errors', async () => {
    await expect(smiCommand(['--yaml'], io())).rejects.toMatchObject({ code: 'usage' });
    await expect(smiCommand(['a.xml', 'b.xml'], io())).rejects.toMatchObject({ code: 'usage' });
  });

  it('prints its usage for --help', async () => {
    const cli = io();
    expect(await smiCommand(['--help'], cli)).toBe(0);
    expect(cli.out()).toContain('serving-gate smi [FILE|-] [--json]');
  });
});
