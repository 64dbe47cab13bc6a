import { parseArgs } from 'node:util';
import { EXIT, GateError } from '../../errors.js';
import { readResults } from '../../report/results.js';
import { renderSummary } from '../../report/summary.js';
import { renderText } from '../../report/text.js';
import type { Command } from '../io.js';

const FORMATS = ['markdown', 'text'] as const;

/** `serving-gate report RESULTS.json [--format markdown|text]`: renders a saved run again. */
export const reportCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write('serving-gate report RESULTS.json [--format markdown|text]\n');
    return EXIT.pass;
  }
  const format = values.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new GateError('usage', `--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    throw new GateError(
      'usage',
      'report takes one results file',
      'serving-gate report results.json',
    );
  }
  const results = readResults(file);
  io.stdout.write(
    format === 'markdown'
      ? renderSummary(results)
      : renderText(results, { colour: io.stdout.isTTY === true && !io.env.NO_COLOR }),
  );
  return EXIT.pass;
};
