/**
 * What reading nvidia-smi costs the gate: parse time and CPU per document, and the CPU a
 * 1 s loop-mode sampler takes per minute, over a real child process (the fake nvidia-smi
 * of the tests, printing a real fixture). Run: npx tsx bench/smi.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NvidiaSmiSource } from '../src/memory/smi-sampler.js';
import { SmiStreamSplitter } from '../src/memory/smi-stream.js';
import { parseSmiXml } from '../src/memory/smi-xml.js';
import type { SmiReading } from '../src/memory/types.js';
import { SHARED_FIXTURES, sharedFixture } from '../test/shared-fixtures.js';

const QUICK = process.argv.includes('--quick');
const FAKE_SMI = resolve(import.meta.dirname, '../test/memory/fixtures/fake-nvidia-smi.mjs');
const LARGEST = 'nvidia-smi-xml/multi-gpu-dual-rtx2070-590-v13.xml';

/** An 8-GPU document: the first <gpu> of the largest fixture, eight times, ids changed. */
function eightGpuDocument(): string {
  const xml = sharedFixture(LARGEST);
  const start = xml.indexOf('<gpu id=');
  const end = xml.indexOf('</gpu>', start) + '</gpu>'.length;
  const block = xml.slice(start, end);
  const gpus = Array.from({ length: 8 }, (_, i) =>
    block
      .replace(
        '00000000:01:00.0',
        `00000000:${(i + 1).toString(16).padStart(2, '0').toUpperCase()}:00.0`,
      )
      .replace(
        'GPU-00000000-0000-0000-0000-000000000001',
        `GPU-00000000-0000-0000-0000-00000000000${i}`,
      ),
  );
  return `${xml.slice(0, start).replace('<attached_gpus>2<', '<attached_gpus>8<')}${gpus.join('\n\t')}\n\n</nvidia_smi_log>\n`;
}

interface ParseFigures {
  label: string;
  kiB: number;
  gpus: number;
  meanMs: number;
  p95Ms: number;
  cpuMsPerDoc: number;
}

function benchParse(label: string, xml: string, iterations: number): ParseFigures {
  const check = parseSmiXml(xml);
  if (check.kind !== 'ok') throw new Error(`${label}: ${check.state} ${check.message}`);
  for (let i = 0; i < 50; i++) parseSmiXml(xml);

  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    parseSmiXml(xml);
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    label,
    kiB: Buffer.byteLength(xml) / 1024,
    gpus: check.gpus.length,
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p95Ms: times[Math.floor(times.length * 0.95)]!,
    cpuMsPerDoc: (used.user + used.system) / 1000 / iterations,
  };
}

/** The splitter's own share: a 100-document loop stream in 64 KiB chunks. */
function benchStream(xml: string, documents: number): number {
  const stream = Buffer.from(`${xml}\n`.repeat(documents));
  const cpu = process.cpuUsage();
  const splitter = new SmiStreamSplitter();
  let count = 0;
  for (let i = 0; i < stream.length; i += 65536)
    count += splitter.push(stream.subarray(i, i + 65536)).length;
  count += splitter.end().length;
  const used = process.cpuUsage(cpu);
  if (count !== documents) throw new Error(`stream gave ${count} readings, expected ${documents}`);
  return (used.user + used.system) / 1000 / documents;
}

async function cpuOver(ms: number): Promise<number> {
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

/** CPU ms per minute our process spends on a 1 s loop sampler, idle baseline taken off. */
async function benchSampler(fixturePath: string, seconds: number) {
  const idleMs = await cpuOver(3000);
  const readings: SmiReading[] = [];
  const source = new NvidiaSmiSource({
    commandArgv: [process.execPath, FAKE_SMI, '--fixture', fixturePath],
    intervalMs: 1000,
  });
  source.start((r) => readings.push(r));
  await new Promise((r) => setTimeout(r, 1500)); // child start-up is not sampling
  const before = readings.length;
  const busyMs = await cpuOver(seconds * 1000);
  const documents = readings.length - before;
  await source.stop();
  if (readings.some((r) => r.kind !== 'ok')) throw new Error('sampler saw a broken reading');
  const perMinute = (busyMs / seconds) * 60 - (idleMs / 3) * 60;
  return {
    documents,
    seconds,
    cpuMsPerMinute: perMinute,
    cpuMsPerDocument: busyMs / Math.max(documents, 1),
  };
}

async function main() {
  const eight = eightGpuDocument();
  const iterations = QUICK ? 100 : 500;
  const parses = [
    benchParse('largest fixture (dual RTX 2070, v13)', sharedFixture(LARGEST), iterations),
    benchParse('synthesized 8-GPU document', eight, Math.round(iterations / 4)),
  ];
  console.log('Parse, per document (parseSmiXml):');
  for (const p of parses) {
    console.log(
      `  ${p.label}: ${p.kiB.toFixed(0)} KiB, ${p.gpus} GPUs: mean ${p.meanMs.toFixed(2)} ms, ` +
        `p95 ${p.p95Ms.toFixed(2)} ms, CPU ${p.cpuMsPerDoc.toFixed(2)} ms`,
    );
  }
  console.log('Stream splitter + parse, CPU per document (100 documents, 64 KiB chunks):');
  console.log(`  largest fixture: ${benchStream(sharedFixture(LARGEST), 100).toFixed(2)} ms`);
  console.log(`  8-GPU document: ${benchStream(eight, 100).toFixed(2)} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-smi-'));
  try {
    const eightPath = join(dir, 'eight-gpus.xml');
    writeFileSync(eightPath, eight);
    const seconds = QUICK ? 5 : 20;
    console.log(
      `Sampler at a 1 s interval over a real child, ${seconds} s each (our process only):`,
    );
    for (const [label, path] of [
      ['largest fixture', resolve(SHARED_FIXTURES, LARGEST)],
      ['8-GPU document', eightPath],
    ] as const) {
      const s = await benchSampler(path, seconds);
      console.log(
        `  ${label}: ${s.documents} documents, ${s.cpuMsPerMinute.toFixed(0)} ms CPU per minute ` +
          `(${((s.cpuMsPerMinute / 60_000) * 100).toFixed(3)} % of a core), ${s.cpuMsPerDocument.toFixed(2)} ms per document`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
