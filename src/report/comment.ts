import { details, inline } from './markdown.js';
import type { GateResults } from './results.js';
import {
  aboutLine,
  checksTable,
  checksTitle,
  headingLine,
  memoryCharts,
  memoryTable,
  memoryTitle,
  preflightBody,
  preflightTitle,
  reasonsSection,
  soakBody,
} from './sections.js';

/** GitHub refuses comment bodies over 65,536 characters; keep well clear of it. */
export const COMMENT_MAX_CHARS = 60_000;

export interface CommentOptions {
  /** The hidden line that finds this comment again (see src/github/marker.ts). */
  marker: string;
  /** The workflow run, where the job summary and logs are. */
  runUrl: string | null;
  /** Which gate this is, for a person: `workflow gate, job serving, config x.yaml`. */
  identity: string;
}

/**
 * The PR comment: the verdict and reasons in view, the evidence one click down. The
 * engine's log stays in the job summary; a comment is read by more people, more often.
 */
export function renderComment(results: GateResults, options: CommentOptions): string {
  const footer = [
    '---',
    `<sub>${[
      options.runUrl ? `[Job summary and logs](${encodeURI(options.runUrl)})` : null,
      inline(options.identity),
      `updated ${inline(results.finishedAt)}`,
    ]
      .filter((p): p is string => p !== null)
      .join(' · ')}</sub>`,
  ];
  const head = [options.marker, headingLine(results), '', aboutLine(results)];
  const reasons = reasonsSection(results);
  const memory = [`### ${memoryTitle(results)}`, '', ...memoryTable(results)];
  const charts = memoryCharts(results).join('\n').trim();
  // Optional parts, dropped from the last when the body would be too long for GitHub.
  const optional: string[][] = [
    results.checks.length > 0 ? [details(checksTitle(results), checksTable(results))] : [],
    results.soak ? [details('Soak', soakBody(results).join('\n'))] : [],
    charts ? [details('Memory over the run', charts)] : [],
    [details(preflightTitle(results), preflightBody(results).join('\n'))],
  ];

  const compose = (kept: string[][]) =>
    `${[head, reasons, memory, ...kept, footer]
      .filter((b) => b.length > 0)
      .map((b) => b.join('\n'))
      .join('\n\n')}\n`;
  for (let keep = optional.length; keep >= 0; keep -= 1) {
    const body = compose(optional.slice(0, keep));
    if (body.length <= COMMENT_MAX_CHARS) return body;
  }
  // Reasons alone can exceed it only when there are thousands: cut them, keep the marker.
  return `${compose([]).slice(0, COMMENT_MAX_CHARS - 40)}\n\n…(cut to fit GitHub's limit)\n`;
}
