import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import type { CommentMode } from '../github/comment-mode.js';
import { octokitCommentsApi } from '../github/comments-api.js';
import { type Annotation, type AnnotationBudget, planAnnotations } from '../report/annotations.js';
import { JUNIT_FILE, renderJUnit } from '../report/junit.js';
import { type GateResults, RESULTS_FILE, writeResults } from '../report/results.js';
import { renderSummary } from '../report/summary.js';
import { gateOutputs } from './outputs.js';
import { publishComment } from './pr-comment.js';

export interface PublishSettings {
  reportDir: string;
  commentMode: CommentMode;
  token: string;
  /** Annotations GitHub will still show in this step. */
  budget: AnnotationBudget;
}

/** Annotations go through @actions/core's workflow commands; tests pass their own sink. */
export function emitAnnotations(
  annotations: readonly Annotation[],
  sink: Pick<typeof core, 'error' | 'warning'> = core,
): void {
  for (const a of annotations) {
    const properties: core.AnnotationProperties = {
      title: a.title,
      ...(a.file ? { file: a.file } : {}),
      ...(a.line ? { startLine: a.line } : {}),
    };
    sink[a.level](a.message, properties);
  }
}

/**
 * Every report of a finished gate: the results file, the JUnit file, annotations, the job
 * summary, the outputs and the PR comment, each on its own so one failing leaves the
 * others. Nothing here throws, and nothing here changes the verdict.
 */
export async function publishReports(
  results: GateResults,
  settings: PublishSettings,
): Promise<void> {
  const reportPath = join(settings.reportDir, RESULTS_FILE);
  const junitPath = join(settings.reportDir, JUNIT_FILE);
  let junitWritten = false;

  guard('results file', () => writeResults(reportPath, results));
  guard('JUnit file', () => {
    writeFileSync(junitPath, renderJUnit(results));
    junitWritten = true;
  });

  const annotations = planAnnotations(results.reasons, settings.budget);
  guard('annotations', () => emitAnnotations(annotations.annotations));
  guard('job summary', () => {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (path && existsSync(path)) {
      appendFileSync(path, renderSummary(results, { annotationsLeftOut: annotations.leftOut }));
    }
  });
  guard('outputs', () => {
    const outputs = gateOutputs(results, {
      report: reportPath,
      junit: junitWritten ? junitPath : null,
    });
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  });

  try {
    await publishComment(results, {
      env: process.env,
      mode: settings.commentMode,
      token: settings.token,
      readFile: (path) => readFileSync(path, 'utf8'),
      api: octokitCommentsApi,
      log: { info: core.info, warning: core.warning },
    });
  } catch (error) {
    core.warning(`serving-gate could not write the PR comment: ${(error as Error).message}`);
  }
}

function guard(what: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    core.warning(`serving-gate could not write the ${what}: ${(error as Error).message}`);
  }
}
