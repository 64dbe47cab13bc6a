import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, GateError } from '../../errors.js';
import { runGate } from '../../gate/run-gate.js';
import { INPUTS, type RawInputs } from '../../plan/inputs.js';
import { buildPlan } from '../../plan/plan.js';
import { JUNIT_FILE, renderJUnit } from '../../report/junit.js';
import { RESULTS_FILE, writeResults } from '../../report/results.js';
import { renderText } from '../../report/text.js';
import type { Command } from '../io.js';
import { terminalLogger } from '../terminal-logger.js';

export const RUN_USAGE = `serving-gate run [--config FILE] [--deploy CMD --teardown CMD | --endpoint URL |
                  --simulate SCENARIO] [--soak-duration 5m] [... every action input as --name value]
                  [--json]

Runs the gate: deploy, critical-path checks, soak with GPU memory sampling, settle, verdict.
Without --deploy and --endpoint it deploys the built-in simulator.
Exit codes: 0 pass, 1 fail, 2 usage error, 3 infra.

Settings (defaults in brackets):
${INPUTS.filter((i) => !i.actionOnly)
  .map((i) => `  --${i.name}${i.default ? ` [${i.default}]` : ''}\n      ${i.description}`)
  .join('\n')}
  --json
      Print the results file to stdout instead of the readable report.
`;

/** Node's "Unknown option '--soak-duraton'…" made short, with the nearest real flag. */
export function unknownOptionHelp(message: string): string {
  const flag = /Unknown option '--([^']+)'/.exec(message)?.[1];
  if (!flag) return message;
  const names = INPUTS.filter((i) => !i.actionOnly).map((i) => i.name);
  const nearest = names
    .map((name) => ({ name, distance: editDistance(flag, name) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const guess = nearest && nearest.distance <= 3 ? `; did you mean --${nearest.name}?` : '';
  return `unknown option --${flag}${guess}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function selfCommand(): string[] {
  // Under the bundle, argv[1] is dist/cli/index.js. From source (tests), tsx runs it.
  const script = process.argv[1] ?? '';
  return script.endsWith('.ts')
    ? [process.execPath, '--import', import.meta.resolve('tsx'), script]
    : [process.execPath, script];
}

export const runCommand: Command = async (argv, io) => {
  const options: Record<string, { type: 'string' } | { type: 'boolean' }> = {
    json: { type: 'boolean' },
  };
  for (const spec of INPUTS) if (!spec.actionOnly) options[spec.name] = { type: 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new GateError(
      'usage',
      unknownOptionHelp((error as Error).message),
      'see serving-gate run --help',
    );
  }

  const raw: RawInputs = {};
  for (const spec of INPUTS) {
    if (spec.actionOnly) continue;
    const value = parsed.values[spec.name];
    if (typeof value === 'string') raw[spec.name] = value;
  }
  // A key on the command line ends up in shell history: prefer the environment.
  if (!raw['api-key'] && io.env.SERVING_GATE_API_KEY) raw['api-key'] = io.env.SERVING_GATE_API_KEY;

  const plan = buildPlan(raw, io.cwd);
  const json = parsed.values.json === true;
  const results = await runGate(plan, {
    logger: terminalLogger(io, { quiet: json }),
    env: io.env,
    selfCommand: selfCommand(),
    saveState: () => {},
  });

  const reportPath = join(plan.reportDir, RESULTS_FILE);
  const junitPath = join(plan.reportDir, JUNIT_FILE);
  try {
    writeResults(reportPath, results);
    writeFileSync(junitPath, renderJUnit(results));
  } catch (error) {
    // A reporting failure never changes the verdict.
    io.stderr.write(`serving-gate: could not write the report: ${(error as Error).message}\n`);
  }
  if (json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    io.stdout.write(renderText(results, { colour: io.stdout.isTTY === true && !io.env.NO_COLOR }));
    io.stdout.write(`Results: ${reportPath}\n`);
  }
  return results.verdict === 'pass'
    ? EXIT.pass
    : results.verdict === 'fail'
      ? EXIT.fail
      : EXIT.infra;
};
