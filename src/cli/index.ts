import { describeError, EXIT, exitCodeFor } from '../errors.js';
import { VERSION } from '../version.js';
import { analyzeCommand } from './commands/analyze.js';
import { preflightCommand } from './commands/preflight.js';
import { reportCommand } from './commands/report.js';
import { RUN_USAGE, runCommand } from './commands/run.js';
import { simulateCommand } from './commands/simulate.js';
import { smiCommand } from './commands/smi.js';
import { type CliIO, type Command, processIO } from './io.js';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  run: { run: runCommand, summary: 'deploy, check, soak and judge a candidate config' },
  preflight: { run: preflightCommand, summary: 'check on paper that a config can fit' },
  smi: { run: smiCommand, summary: 'show what the gate reads of nvidia-smi output' },
  analyze: { run: analyzeCommand, summary: 'judge a memory trace or results file' },
  simulate: { run: simulateCommand, summary: 'start the simulated engine and GPU' },
  report: { run: reportCommand, summary: 'render a saved results file again' },
};

const USAGE = `serving-gate ${VERSION}: gate LLM-serving config changes on GPU memory and the critical path

Usage: serving-gate <command> [options]   (serving-gate <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 pass, 1 fail, 2 usage error, 3 infra (the runner, not the candidate).
`;

/** The CLI face: arguments in, exit code out. Errors are caught here, once. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? EXIT.pass : EXIT.usage;
  }
  if (name === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.pass;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`serving-gate: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (name === 'run' && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout.write(RUN_USAGE);
    return EXIT.pass;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Commands name themselves in some messages; say it once.
    const text = describeError(error).replace(new RegExp(`^${name}: `), '');
    io.stderr.write(`serving-gate ${name}: ${text}\n`);
    return exitCodeFor(error);
  }
}

// Exit explicitly: a handle left open by a dependency must not keep a finished run alive.
process.exit(await main(process.argv.slice(2), processIO()));
