import { describe, expect, it } from 'vitest';
import { planAnnotations } from '../../src/report/annotations.js';
import type { Reason } from '../../src/verdict/types.js';
import { fixture } from './load-fixture.js';

function reasons(count: number, severity: Reason['severity']): Reason[] {
  return Array.from({ length: count }, (_, i) => ({
    rule: `rule-${severity}-${i}`,
    severity,
    message: `${severity} ${i}`,
  }));
}

describe('planAnnotations', () => {
  it('puts reasons about a config line on that file and line', () => {
    const { annotations } = planAnnotations(fixture('fail').reasons);
    expect(annotations[0]).toEqual({
      level: 'error',
      title: 'serving-gate critical-check',
      message: expect.stringMatching(/^Critical check long-context/),
      file: 'serving/qwen3-30b-a3b-fp8-131k.yaml',
      line: 9,
    });
    expect(annotations[1]).toMatchObject({ level: 'error', title: 'serving-gate soak-failures' });
    expect(annotations[1]).not.toHaveProperty('file');
  });

  it('makes infra and fail errors, and warnings warnings', () => {
    const { annotations } = planAnnotations(fixture('infra').reasons);
    expect(annotations.map((a) => a.level)).toEqual(['error', 'error']);
    const pass = planAnnotations(fixture('pass').reasons).annotations;
    expect(pass.map((a) => a.level)).toEqual(['warning']);
  });

  it('keeps under GitHub’s 10 per step, leaving one of each for the step’s own messages', () => {
    const plan = planAnnotations([...reasons(14, 'fail'), ...reasons(12, 'warn')]);
    expect(plan.annotations.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(plan.annotations.filter((a) => a.level === 'warning')).toHaveLength(9);
    expect(plan.leftOut).toBe(5 + 3);
  });

  it('keeps the most important first: the order of the reasons', () => {
    const plan = planAnnotations(reasons(12, 'fail'));
    expect(plan.annotations.map((a) => a.message)).toEqual(
      Array.from({ length: 9 }, (_, i) => `fail ${i}`),
    );
  });

  it('does not spend the warning budget on errors or the reverse', () => {
    const plan = planAnnotations([...reasons(9, 'warn'), ...reasons(9, 'infra')], {
      errors: 9,
      warnings: 9,
    });
    expect(plan.leftOut).toBe(0);
    expect(plan.annotations).toHaveLength(18);
  });

  it('leaves out a line number without a file', () => {
    const plan = planAnnotations([{ rule: 'x', severity: 'fail', message: 'm', line: 3 }]);
    expect(plan.annotations[0]).not.toHaveProperty('line');
  });
});
