import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/summary.js';
import { fixture } from './load-fixture.js';

describe('renderSummary', () => {
  it('puts the verdict and the first failing reason in the heading', () => {
    const summary = renderSummary(fixture('fail'));
    expect(summary.split('\n')[0]).toMatch(
      /^## serving-gate: FAIL: Critical check long-context \(long-context generate\) failed/,
    );
  });

  it('counts the warnings of a pass in its heading and names no reason there', () => {
    expect(renderSummary(fixture('pass')).split('\n')[0]).toBe('## serving-gate: PASS (1 warning)');
  });

  it('heads an infra verdict with the runner fault, not the failures it caused', () => {
    expect(renderSummary(fixture('infra')).split('\n')[0]).toMatch(
      /^## serving-gate: INFRA: GPU memory could not be read before deploy/,
    );
  });

  it('lists the reasons in the order given, with their place and figures', () => {
    const summary = renderSummary(fixture('fail'));
    const rules = [...summary.matchAll(/^\d+\. .*? `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect(rules).toEqual([
      'critical-check',
      'soak-failures',
      'health-lost',
      'bar1-growth',
      'bar1-growth',
      'memory-ceiling',
      'preflight',
    ]);
    expect(summary).toContain('(serving/qwen3-30b-a3b-fp8-131k.yaml:9)');
    expect(summary).toContain('<sub>check long-context · passed 7 · total 8</sub>');
  });

  it('shows the evidence in a fixed order: checks, soak, memory with its chart, preflight, log', () => {
    const summary = renderSummary(fixture('fail'));
    const order = [
      '### Reasons',
      '### Checks (7 of 8 passed)',
      '### Soak',
      '### GPU memory (nvidia-smi: fail)',
      '```mermaid',
      '### Preflight (warn)',
      '<summary>Engine log (last lines)</summary>',
    ].map((marker) => summary.indexOf(marker));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('keeps engine text inert: no raw HTML, no mention, no broken table', () => {
    const summary = renderSummary(fixture('fail'));
    const outsideLog = summary.slice(0, summary.indexOf('<details>'));
    expect(outsideLog).not.toContain('<script>');
    expect(outsideLog).not.toMatch(/@octocat/);
    const row = summary.split('\n').find((l) => l.startsWith('| long-context |'));
    expect(row?.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('fences the engine log so its own backticks cannot close the block', () => {
    const summary = renderSummary(fixture('fail'));
    const log = summary.slice(summary.indexOf('<details>'));
    expect(log).toContain('````text\n');
    expect(log).toContain('``` </details>');
    expect(log).not.toContain('\u001b');
  });

  it('shows the engine log only when the verdict is not pass', () => {
    const pass = fixture('pass');
    const withLog = { ...pass, deploy: { ...pass.deploy, logTail: ['INFO ready'] } };
    expect(renderSummary(withLog)).not.toContain('Engine log');
    expect(renderSummary({ ...withLog, verdict: 'fail' })).toContain('Engine log');
  });

  it('says how many reasons GitHub was not shown as annotations', () => {
    expect(renderSummary(fixture('fail'), { annotationsLeftOut: 3 })).toContain(
      '3 of these reasons are listed here only, not annotated',
    );
    expect(renderSummary(fixture('fail'))).not.toContain('not annotated');
  });

  it('shows the preflight figures, or says preflight did not run', () => {
    expect(renderSummary(fixture('pass'))).toContain('| KV cache at max context | 4.00 GiB |');
    expect(renderSummary(fixture('infra'))).toContain('Preflight did not run');
  });

  it('says the memory could not be read instead of drawing an empty table', () => {
    const summary = renderSummary(fixture('infra'));
    expect(summary).toContain('No GPU memory series were measured.');
    expect(summary).toContain('Unreadable readings: 1, the first at T+120ms');
    expect(summary).not.toContain('```mermaid');
  });

  it('reports a teardown that failed', () => {
    const pass = fixture('pass');
    const broken = {
      ...pass,
      teardown: { ran: true, ok: false, message: 'exit 1: no such <stack>' },
    };
    expect(renderSummary(broken)).toContain('Teardown: exit 1: no such &lt;stack&gt;');
  });
});
