import type { GateResults } from './results.js';
import {
  aboutLine,
  checksSection,
  headingLine,
  logSection,
  memorySection,
  preflightSection,
  reasonsSection,
  soakSection,
  teardownLine,
} from './sections.js';

export interface SummaryOptions {
  /** Reasons GitHub was not shown as annotations (it caps them per step). */
  annotationsLeftOut?: number;
}

/**
 * The job summary: the verdict and its first reason in the heading, then the reasons in
 * priority order, and the evidence below them (checks, soak, memory with its chart,
 * preflight, the engine's last lines when the verdict is not `pass`).
 */
export function renderSummary(results: GateResults, options: SummaryOptions = {}): string {
  const blocks: string[][] = [
    [headingLine(results), '', aboutLine(results)],
    reasonsSection(results, options.annotationsLeftOut ?? 0),
    checksSection(results),
    soakSection(results),
    memorySection(results),
    preflightSection(results),
    logSection(results),
    teardownLine(results),
  ];
  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')}\n`;
}
