import { type JUnitCase, type JUnitSuite, junitSuites } from './junit-suites.js';
import type { GateResults } from './results.js';
import { xmlAttr, xmlText } from './xml.js';

/** The JUnit file is written beside the results file under this name. */
export const JUNIT_FILE = 'serving-gate-junit.xml';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeS: number;
}

function count(cases: readonly JUnitCase[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome?.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome?.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome?.kind === 'skipped').length,
    timeS: cases.reduce((sum, c) => sum + c.timeS, 0),
  };
}

function seconds(value: number): string {
  return (Math.round(value * 1000) / 1000).toFixed(3);
}

function countAttrs(c: Counts): string {
  return (
    `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
    `skipped="${c.skipped}" time="${seconds(c.timeS)}"`
  );
}

function caseXml(suite: string, c: JUnitCase): string[] {
  const open = `    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(suite)}" time="${seconds(c.timeS)}"`;
  const inner: string[] = [];
  if (c.outcome) {
    const attrs = `message="${xmlAttr(c.outcome.message)}" type="${xmlAttr(c.outcome.type)}"`;
    inner.push(
      c.outcome.body
        ? `      <${c.outcome.kind} ${attrs}>${xmlText(c.outcome.body)}</${c.outcome.kind}>`
        : `      <${c.outcome.kind} ${attrs}/>`,
    );
  }
  if (c.out) inner.push(`      <system-out>${xmlText(c.out)}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

function suiteXml(suite: JUnitSuite, timestamp: string): string[] {
  const lines = [
    `  <testsuite name="${xmlAttr(suite.name)}" ${countAttrs(count(suite.cases))} ` +
      `timestamp="${xmlAttr(timestamp)}">`,
  ];
  if (suite.properties && suite.properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of suite.properties) {
      lines.push(`      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`);
    }
    lines.push('    </properties>');
  }
  for (const c of suite.cases) lines.push(...caseXml(suite.name, c));
  lines.push('  </testsuite>');
  return lines;
}

/**
 * The checks, memory rules and preflight findings as JUnit XML, for test-report tools and
 * CI systems that read it. Times are seconds; a failed critical check is a `failure`, a
 * runner fault an `error`, a check that did not run `skipped`.
 */
export function renderJUnit(results: GateResults): string {
  const suites = junitSuites(results);
  // The run's time, not the sum of its cases: the verdict's case spans the others.
  const total = { ...count(suites.flatMap((s) => s.cases)), timeS: results.durationMs / 1000 };
  // The JUnit schema's timestamp has no zone designator; the results file's is UTC.
  const timestamp = results.startedAt.replace(/(\.\d+)?Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="serving-gate" ${countAttrs(total)}>`,
    ...suites.flatMap((s) => suiteXml(s, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}
