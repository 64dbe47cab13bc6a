import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SmiStreamSplitter, splitSmiText } from '../../src/memory/smi-stream.js';
import type { SmiReading } from '../../src/memory/types.js';
import { SHARED_FIXTURES, sharedFixture } from '../shared-fixtures.js';

const SMALL_STREAM = readFileSync(
  resolve(import.meta.dirname, 'fixtures/loop-three-documents-one-error.xml'),
);

function feed(chunks: Uint8Array[]): SmiReading[] {
  const splitter = new SmiStreamSplitter();
  const out: SmiReading[] = [];
  for (const chunk of chunks) out.push(...splitter.push(chunk));
  out.push(...splitter.end());
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing split can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(bytes: Uint8Array, seed: number, maxChunk: number): Uint8Array[] {
  const next = seeded(seed);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const size = 1 + Math.floor(next() * maxChunk);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

describe('SmiStreamSplitter on a loop stream', () => {
  const expected = [
    { kind: 'ok', timestamp: 'Tue Jul 14 08:12:53 2026', used: 1000, bar1: 1001 },
    { kind: 'broken', state: 'gpu-lost' },
    { kind: 'ok', timestamp: 'Tue Jul 14 08:12:54 2026', used: 1300, bar1: 1301 },
    { kind: 'ok', timestamp: 'Tue Jul 14 08:12:55 2026', used: 1600, bar1: 1601 },
  ];
  const summary = (readings: SmiReading[]) =>
    readings.map((r) =>
      r.kind === 'ok'
        ? {
            kind: r.kind,
            timestamp: r.timestamp,
            used: r.gpus[0]?.fb.usedMiB,
            bar1: r.gpus[0]?.bar1.usedMiB,
          }
        : { kind: r.kind, state: r.state },
    );

  it('reads three documents and the error line between them, in order', () => {
    const readings = feed([SMALL_STREAM]);
    expect(summary(readings)).toEqual(expected);
    expect(readings[1]).toMatchObject({
      message: 'Unable to determine the device handle for GPU 0000:00:09.0: Unknown Error',
    });
    const process = readings[3]?.kind === 'ok' ? readings[3].gpus[0]?.processes[0] : null;
    expect(process).toEqual({
      pid: 4242,
      name: '/opt/modèles/vllm-サーバ',
      usedMiB: 1599,
      gpuInstanceId: null,
    });
  });

  it('gives the same readings for every split point of the stream, UTF-8 characters included', () => {
    const whole = feed([SMALL_STREAM]);
    for (let at = 1; at < SMALL_STREAM.length; at++) {
      const readings = feed([SMALL_STREAM.subarray(0, at), SMALL_STREAM.subarray(at)]);
      expect(readings, `split at byte ${at}`).toEqual(whole);
    }
  });

  it('gives the same readings when fed one byte at a time', () => {
    const bytes = [...SMALL_STREAM].map((b) => Uint8Array.of(b));
    expect(feed(bytes)).toEqual(feed([SMALL_STREAM]));
  });

  it('emits each document as soon as its closing tag arrives, before the stream ends', () => {
    const splitter = new SmiStreamSplitter();
    const text = SMALL_STREAM.toString('utf8');
    const firstEnd = text.indexOf('</nvidia_smi_log>') + '</nvidia_smi_log>'.length;
    expect(splitter.push(text.slice(0, firstEnd - 1))).toEqual([]);
    expect(splitter.push(text.slice(firstEnd - 1, firstEnd))).toHaveLength(1);
  });

  it('reads a stream of every real fixture split at random chunk boundaries (seeded)', () => {
    const dir = resolve(SHARED_FIXTURES, 'nvidia-smi-xml');
    const files = readdirSync(dir).sort();
    const stream = Buffer.from(
      files.map((f) => `${readFileSync(resolve(dir, f), 'utf8')}\n`).join(''),
    );
    const whole = feed([stream]);
    expect(whole.map((r) => r.kind)).toEqual(files.map(() => 'ok'));
    expect(whole.map((r) => (r.kind === 'ok' ? r.driverVersion : null))).toEqual([
      '570.124.04',
      '590.48.01',
      '515.105.01',
      '535.54.03',
      '590.44.01',
      '418.43',
      '510.06',
    ]);
    for (let seed = 1; seed <= 40; seed++) {
      expect(feed(randomChunks(stream, seed, 4096)), `seed ${seed}`).toEqual(whole);
    }
  });
});

describe('SmiStreamSplitter on broken streams', () => {
  const h100 = sharedFixture('nvidia-smi-xml/datacenter-h100-590-v13-load-ABRIDGED.xml');

  it('names an unfinished document at the end of the stream truncated', () => {
    const readings = splitSmiText(`${h100}\n${h100.slice(0, 2000)}`);
    expect(readings.map((r) => (r.kind === 'ok' ? 'ok' : r.state))).toEqual(['ok', 'truncated']);
    expect(readings[1]?.kind === 'broken' && readings[1].message).toMatch(/no <\/nvidia_smi_log>/);
  });

  it('names a document cut short by the next one truncated, then reads the next', () => {
    const readings = splitSmiText(`${h100.slice(0, 3000)}${h100}`);
    expect(readings.map((r) => (r.kind === 'ok' ? 'ok' : r.state))).toEqual(['truncated', 'ok']);
  });

  it('names each broken-driver line of a text with no document', () => {
    const readings = splitSmiText(
      'Failed to initialize NVML: Unknown Error\n\nNo devices were found\n',
    );
    expect(readings).toEqual([
      {
        kind: 'broken',
        state: 'nvml-init-failed',
        message: 'Failed to initialize NVML: Unknown Error',
      },
      { kind: 'broken', state: 'no-devices', message: 'No devices were found' },
    ]);
  });

  it('takes the lines after a known line as its continuation, not as garbage', () => {
    const readings = splitSmiText(
      'Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.183\n',
    );
    expect(readings.map((r) => (r.kind === 'broken' ? r.state : 'ok'))).toEqual([
      'driver-mismatch',
    ]);
  });

  it('reports one garbage reading for a run of unknown lines, quoting the first', () => {
    expect(splitSmiText('Segmentation fault\nline two\nline three\n')).toEqual([
      { kind: 'broken', state: 'garbage', message: 'Segmentation fault' },
    ]);
  });

  it('reads a final error line that has no newline when the stream ends', () => {
    const splitter = new SmiStreamSplitter();
    expect(splitter.push('No devices were found')).toEqual([]);
    expect(splitter.end()).toMatchObject([{ state: 'no-devices' }]);
  });

  it('gives nothing for an empty stream or one of blank lines', () => {
    expect(splitSmiText('')).toEqual([]);
    expect(splitSmiText('\n\n  \n')).toEqual([]);
  });
});

describe('SmiStreamSplitter limits', () => {
  it('drops a document that never closes once it passes 32 Mi characters, calling it garbage', () => {
    const splitter = new SmiStreamSplitter();
    expect(splitter.push('<?xml version="1.0" ?>\n<nvidia_smi_log>\n')).toEqual([]);
    const readings = splitter.push('x'.repeat(33 * 1024 * 1024));
    expect(readings).toMatchObject([{ state: 'garbage' }]);
    expect(splitter.end()).toEqual([]);
  });
});
