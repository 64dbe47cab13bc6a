import type { Reason } from '../verdict/types.js';

/**
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50
 * per job); the rest are dropped without a word. actions/toolkit docs/problem-matchers.md.
 */
export const GITHUB_ANNOTATIONS_PER_STEP = 10;

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  /** The config file and line, where the reason concerns one. */
  file?: string;
  line?: number;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Reasons that did not fit under GitHub's caps: listed in the summary only. */
  leftOut: number;
}

export interface AnnotationBudget {
  errors: number;
  warnings: number;
}

/**
 * The step's own failure (`setFailed`) is an error annotation too, and a reporting
 * problem (a PR comment refused) a warning: one of each is kept free for them.
 */
export const DEFAULT_BUDGET: AnnotationBudget = {
  errors: GITHUB_ANNOTATIONS_PER_STEP - 1,
  warnings: GITHUB_ANNOTATIONS_PER_STEP - 1,
};

function annotationOf(reason: Reason): Annotation {
  const level = reason.severity === 'warn' ? 'warning' : 'error';
  return {
    level,
    title: `serving-gate ${reason.rule}`,
    message: reason.message,
    ...(reason.file ? { file: reason.file } : {}),
    ...(reason.file && reason.line ? { line: reason.line } : {}),
  };
}

/**
 * Reasons as annotations, in the order given (the verdict's priority order), errors for
 * `infra` and `fail`, warnings for `warn`, each kind cut at its budget.
 */
export function planAnnotations(
  reasons: readonly Reason[],
  budget: AnnotationBudget = DEFAULT_BUDGET,
): AnnotationPlan {
  const left = { error: budget.errors, warning: budget.warnings };
  const annotations: Annotation[] = [];
  let leftOut = 0;
  for (const reason of reasons) {
    const annotation = annotationOf(reason);
    if (left[annotation.level] > 0) {
      left[annotation.level] -= 1;
      annotations.push(annotation);
    } else {
      leftOut += 1;
    }
  }
  return { annotations, leftOut };
}
