import { parseArgs } from 'node:util';
import { EXIT, GateError } from '../../errors.js';
import { renderJUnit } from '../../report/junit.js';
import { type GateResults, readResults } from '../../report/results.js';
import { renderSummary } from '../../report/summary.js';
import { renderText } from '../../report/text.js';
import type { CliIO, Command } from '../io.js';

const FORMATS = ['text', 'markdown', 'junit'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `serving-gate report RESULTS.json [--format text|markdown|junit] [--json]

Renders a saved serving-gate-results.json again:
  text      the terminal report (colour on a terminal unless NO_COLOR is set) [default]
  markdown  the job summary, with its Mermaid memory chart
  junit     JUnit XML of the checks, memory rules and preflight findings
  --json    the results file itself, after checking its schemaVersion
`;

function render(format: Format, results: GateResults, io: CliIO): string {
  switch (format) {
    case 'markdown':
      return renderSummary(results);
    case 'junit':
      return renderJUnit(results);
    case 'text':
      return renderText(results, { colour: io.stdout.isTTY === true && !io.env.NO_COLOR });
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        format: { type: 'string', default: 'text' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    throw new GateError('usage', (error as Error).message, 'see serving-gate report --help');
  }
}

/** `serving-gate report RESULTS.json [--format text|markdown|junit]`: renders a saved run. */
export const reportCommand: Command = async (argv, io) => {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.pass;
  }
  const format = values.format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new GateError('usage', `--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    throw new GateError(
      'usage',
      'report takes one results file',
      'serving-gate report serving-gate-report/serving-gate-results.json',
    );
  }
  const results = readResults(file);
  io.stdout.write(
    values.json ? `${JSON.stringify(results, null, 2)}\n` : render(format as Format, results, io),
  );
  return EXIT.pass;
};
