import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { describeError, GateError } from '../errors.js';
import { runGate } from '../gate/run-gate.js';
import { parseCommentMode } from '../github/comment-mode.js';
import { INPUTS, type RawInputs } from '../plan/inputs.js';
import { buildPlan } from '../plan/plan.js';
import { DEFAULT_BUDGET } from '../report/annotations.js';
import { actionLogger } from './logger.js';
import { publishReports } from './publish.js';
import { saveTeardownState } from './state.js';

const CLI_FROM_MAIN = ['..', 'cli', 'index.js'];

/** Reads the `with:` inputs, masking secrets before anything can print them. */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const spec of INPUTS) {
    // Action-only inputs (comment, github-token) say how to report: read apart below.
    if (spec.cliOnly || spec.actionOnly) continue;
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
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    const commentMode = parseCommentMode(core.getInput('comment'));
    const plan = buildPlan(readActionInputs(), process.env.GITHUB_WORKSPACE || process.cwd());
    // dist/main/index.js runs the CLI bundle beside it (dist/cli/index.js) to start the
    // simulator. Built from parts so the bundler does not mistake it for an asset.
    const bundleDir = dirname(fileURLToPath(import.meta.url));
    const cli = join(bundleDir, ...CLI_FROM_MAIN);
    // Warnings the gate logs are annotations too, and count against GitHub's cap.
    const logger = actionLogger();
    let warningsLogged = 0;
    const results = await runGate(plan, {
      logger: {
        ...logger,
        warning: (line) => {
          warningsLogged += 1;
          logger.warning(line);
        },
      },
      env: process.env,
      selfCommand: [process.execPath, cli],
      saveState: saveTeardownState,
      maskSecret: (value) => core.setSecret(value),
    });

    await publishReports(results, {
      reportDir: plan.reportDir,
      commentMode,
      token,
      budget: {
        errors: DEFAULT_BUDGET.errors,
        warnings: Math.max(0, DEFAULT_BUDGET.warnings - warningsLogged),
      },
    });

    const first = results.reasons.find((r) => r.severity !== 'warn');
    if (results.verdict === 'pass') core.info('serving-gate: PASS');
    else core.setFailed(`serving-gate: ${results.verdict.toUpperCase()}: ${first?.message ?? ''}`);
  } catch (error) {
    core.setFailed(describeError(error));
    if (!(error instanceof GateError)) core.debug(String((error as Error).stack));
  }
}
