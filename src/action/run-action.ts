import { appendFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { describeError, GateError } from '../errors.js';
import { runGate } from '../gate/run-gate.js';
import { INPUTS, type RawInputs } from '../plan/inputs.js';
import { buildPlan } from '../plan/plan.js';
import { RESULTS_FILE, writeResults } from '../report/results.js';
import { renderSummary } from '../report/summary.js';
import { actionLogger } from './logger.js';
import { saveTeardownState } from './state.js';

const CLI_FROM_MAIN = ['..', 'cli', 'index.js'];

/** Reads the `with:` inputs, masking secrets before anything can print them. */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const spec of INPUTS) {
    if (spec.cliOnly) continue;
    const value = core.getInput(spec.name);
    if (spec.secret && value) core.setSecret(value);
    if (value) raw[spec.name] = value;
  }
  return raw;
}

/**
 * The action's `main` step: inputs in, verdict out. Reports are written before the step is
 * failed, and a reporting error is a warning: it never changes the verdict.
 */
export async function runAction(): Promise<void> {
  try {
    const plan = buildPlan(readActionInputs(), process.env.GITHUB_WORKSPACE || process.cwd());
    // dist/main/index.js runs the CLI bundle beside it (dist/cli/index.js) to start the
    // simulator. Built from parts so the bundler does not mistake it for an asset.
    const bundleDir = dirname(fileURLToPath(import.meta.url));
    const cli = join(bundleDir, ...CLI_FROM_MAIN);
    const results = await runGate(plan, {
      logger: actionLogger(),
      env: process.env,
      selfCommand: [process.execPath, cli],
      saveState: saveTeardownState,
    });

    const reportPath = join(plan.reportDir, RESULTS_FILE);
    report('results file', () => writeResults(reportPath, results));
    report('job summary', () => {
      if (process.env.GITHUB_STEP_SUMMARY && existsSync(process.env.GITHUB_STEP_SUMMARY)) {
        appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(results));
      }
    });
    report('outputs', () => {
      core.setOutput('verdict', results.verdict);
      core.setOutput('reasons', JSON.stringify(results.reasons));
      const bar1 = results.memory.series
        .filter((s) => s.metric === 'bar1' && s.growthMiB !== null)
        .map((s) => s.growthMiB as number);
      core.setOutput('bar1-growth-mib', bar1.length ? String(Math.max(...bar1)) : '');
      core.setOutput('report', reportPath);
    });

    const first = results.reasons.find((r) => r.severity !== 'warn');
    if (results.verdict === 'pass') core.info('serving-gate: PASS');
    else core.setFailed(`serving-gate: ${results.verdict.toUpperCase()}: ${first?.message ?? ''}`);
  } catch (error) {
    core.setFailed(describeError(error));
    if (!(error instanceof GateError)) core.debug(String((error as Error).stack));
  }
}

function report(what: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    core.warning(`serving-gate could not write the ${what}: ${(error as Error).message}`);
  }
}
