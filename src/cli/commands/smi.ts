import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, GateError } from '../../errors.js';
import { brokenFromText } from '../../memory/smi-broken.js';
import { looksLikeSmiCsv } from '../../memory/smi-csv.js';
import { formatSmiTable, toSmiJson } from '../../memory/smi-render.js';
import { SmiStreamSplitter } from '../../memory/smi-stream.js';
import { readSmiText } from '../../memory/smi-text.js';
import type { SmiReading } from '../../memory/types.js';
import type { Command } from '../io.js';

export const SMI_USAGE = `Usage: serving-gate smi [FILE|-] [--json]

Shows what the gate reads of nvidia-smi output: \`nvidia-smi -q -x\` (one document, or a
loop stream from -lms), \`--query-gpu\` or \`--query-compute-apps\` CSV, or the lines a
broken driver prints. Reads FILE, or stdin when FILE is - or absent, and prints each
document as it completes, so a live loop can be piped in:

  nvidia-smi -q -x -lms 1000 | serving-gate smi --json

  --json   one JSON object per document per line
  -h, --help

Exit codes: 0 every document was read, 3 the output shows a broken driver or nvidia-smi.
`;

type Mode = 'undecided' | 'stream' | 'csv';

export const smiCommand: Command = async (argv, io) => {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    io.stdout.write(SMI_USAGE);
    return EXIT.pass;
  }
  if (positionals.length > 1) {
    throw new GateError(
      'usage',
      `smi: one input at most, got ${positionals.length}`,
      'serving-gate smi [FILE|-] [--json]',
    );
  }

  const file = positionals[0] ?? '-';
  let sawBroken = false;
  let printed = 0;
  const print = (readings: SmiReading[]) => {
    for (const reading of readings) {
      sawBroken ||= reading.kind === 'broken';
      if (values.json) io.stdout.write(`${JSON.stringify(toSmiJson(reading))}\n`);
      else io.stdout.write(`${printed > 0 ? '\n' : ''}${formatSmiTable(reading)}`);
      printed++;
    }
  };

  if (file === '-') {
    await readStream(io.stdin, print);
  } else {
    const path = resolve(io.cwd, file);
    try {
      await readStream(createReadStream(path), print);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new GateError(
        'usage',
        `smi: cannot read ${file} (${reason})`,
        'give a readable file, or - for stdin',
      );
    }
  }
  return sawBroken ? EXIT.infra : EXIT.pass;
};

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new GateError(
      'usage',
      `smi: ${(error as Error).message}`,
      'serving-gate smi [FILE|-] [--json]',
    );
  }
}

/**
 * Reads the input and prints readings as they complete. XML and broken-driver lines go
 * through the stream splitter as they arrive; CSV is read whole (its rows are grouped into
 * snapshots at the end). The kind is decided on the first line.
 */
async function readStream(
  stream: NodeJS.ReadableStream,
  print: (readings: SmiReading[]) => void,
): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new SmiStreamSplitter();
  let mode: Mode = 'undecided';
  let pending = '';
  let streamed = 0;
  const feed = (text: string) => {
    const readings = splitter.push(text);
    streamed += readings.length;
    print(readings);
  };

  for await (const chunk of stream) {
    const text =
      typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (mode === 'stream') {
      feed(text);
      continue;
    }
    pending += text;
    if (mode === 'undecided') {
      mode = decide(pending);
      if (mode === 'stream') {
        feed(pending);
        pending = '';
      }
    }
  }
  pending += decoder.decode();

  if (mode === 'stream') {
    const tail = splitter.end();
    print(tail);
    if (streamed + tail.length === 0) print([brokenFromText('')]);
    return;
  }
  print(readSmiText(pending));
}

/** XML starts with `<`; CSV with its header line; anything else is read as broken lines. */
function decide(text: string): Mode {
  const start = text.trimStart();
  if (start.startsWith('<')) return 'stream';
  const newline = start.indexOf('\n');
  if (newline < 0) return 'undecided';
  return looksLikeSmiCsv(start.slice(0, newline)) ? 'csv' : 'stream';
}
