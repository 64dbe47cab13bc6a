import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderJUnit } from '../../src/report/junit.js';
import type { GateResults } from '../../src/report/results.js';
import { FIXTURES, fixture } from './load-fixture.js';

const XSD = readFileSync(join(import.meta.dirname, 'schema/junit.xsd'), 'utf8');

interface Case {
  name: string;
  failure?: { message: string; type: string };
  error?: { message: string; type: string };
  skipped?: unknown;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: Case[];
}

function parse(xml: string): { suites: Suite[]; root: Record<string, string> } {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml);
  return { suites: doc.testsuites.testsuite, root: doc.testsuites };
}

async function valid(xml: string): Promise<boolean> {
  const check = await validateXML({
    xml: { fileName: 'junit.xml', contents: xml },
    schema: { fileName: 'junit.xsd', contents: XSD },
  });
  return check.valid;
}

describe('renderJUnit', () => {
  it.each(FIXTURES)('writes counts that match the cases, for the %s file', (name) => {
    const { suites, root } = parse(renderJUnit(fixture(name)));
    let tests = 0;
    let failures = 0;
    for (const suite of suites) {
      expect(Number(suite.tests)).toBe(suite.testcase.length);
      expect(Number(suite.failures)).toBe(suite.testcase.filter((c) => c.failure).length);
      expect(Number(suite.errors)).toBe(suite.testcase.filter((c) => c.error).length);
      expect(Number(suite.skipped)).toBe(
        suite.testcase.filter((c) => c.skipped !== undefined).length,
      );
      tests += suite.testcase.length;
      failures += Number(suite.failures);
    }
    expect(Number(root.tests)).toBe(tests);
    expect(Number(root.failures)).toBe(failures);
  });

  it('has a suite for checks, memory rules, preflight findings and the verdict', () => {
    const { suites } = parse(renderJUnit(fixture('pass')));
    expect(suites.map((s) => s.name)).toEqual([
      'serving-gate.checks',
      'serving-gate.memory',
      'serving-gate.preflight',
      'serving-gate.verdict',
    ]);
  });

  it('fails the critical check and the memory rules that failed, by rule', () => {
    const { suites } = parse(renderJUnit(fixture('fail')));
    const [checks, memory] = suites;
    expect(checks!.testcase.find((c) => c.name === 'long-context')?.failure?.type).toBe(
      'critical-check',
    );
    const failed = memory!.testcase.filter((c) => c.failure).map((c) => c.name);
    expect(failed).toEqual(['GPU 0 BAR1: growth', 'GPU 0 BAR1: ceiling', 'GPU 1 BAR1: growth']);
  });

  it('gives a memory rule it does not group a case of its own', () => {
    const fail = fixture('fail');
    const novel = { rule: 'bar1-fragmentation', severity: 'fail' as const, message: 'new rule' };
    const series = fail.memory.series.map((s, i) => (i === 0 ? { ...s, reasons: [novel] } : s));
    const { suites } = parse(renderJUnit({ ...fail, memory: { ...fail.memory, series } }));
    const memory = suites.find((s) => s.name === 'serving-gate.memory')!;
    expect(
      memory.testcase.find((c) => c.name === 'GPU 0 BAR1: bar1-fragmentation')?.failure,
    ).toMatchObject({ type: 'bar1-fragmentation' });
  });

  it('reports a runner fault as an error, not a failure of the candidate', () => {
    const { suites } = parse(renderJUnit(fixture('infra')));
    const verdict = suites.find((s) => s.name === 'serving-gate.verdict')!.testcase[0]!;
    expect(verdict.error?.type).toBe('gpu-unreadable');
    expect(verdict.failure).toBeUndefined();
  });

  it('marks a non-critical failed check as such', () => {
    const pass = fixture('pass');
    const results: GateResults = {
      ...pass,
      checks: pass.checks.map((c) =>
        c.name === 'chat' ? { ...c, status: 'fail', detail: '500 oops' } : c,
      ),
    };
    const { suites } = parse(renderJUnit(results));
    expect(suites[0]!.testcase.find((c) => c.name === 'chat')?.failure).toMatchObject({
      type: 'check-failed',
      message: '(not critical) 500 oops',
    });
  });

  it('fails a preflight finding only when it failed the gate', async () => {
    const pass = fixture('pass');
    const finding = {
      rule: 'kv-exceeds-budget',
      severity: 'error' as const,
      message: 'KV cache does not fit',
      file: 'serving/llama-8b.yaml',
      line: 3,
    };
    const preflight = { ...pass.preflight!, findings: [finding] };
    const asWarning = parse(renderJUnit({ ...pass, preflight })).suites[2]!.testcase[0]!;
    expect(asWarning.failure).toBeUndefined();
    const failing: GateResults = {
      ...pass,
      preflight,
      reasons: [
        {
          rule: 'preflight',
          severity: 'fail',
          message: finding.message,
          figures: { finding: finding.rule },
        },
      ],
    };
    const asFailure = parse(renderJUnit(failing)).suites[2]!.testcase[0]!;
    expect(asFailure.failure?.type).toBe('kv-exceeds-budget');
  });

  it('stays well-formed and valid with any engine text, control characters included', async () => {
    const pass = fixture('pass');
    const nasty = 'a]]>b <x> & "q" \'s\' \u0000\u0008\u001b[31m\uFFFE end';
    const results: GateResults = {
      ...pass,
      checks: pass.checks.map((c) => ({ ...c, status: 'fail', detail: nasty, name: nasty })),
    };
    const xml = renderJUnit(results);
    expect(await valid(xml)).toBe(true);
    const { suites } = parse(xml);
    expect(suites[0]!.testcase[0]!.name).toBe('a]]>b <x> & "q" \'s\'  end');
  });
});
