import { describe, expect, it } from 'vitest';
import { COMMENT_MAX_CHARS, renderComment } from '../../src/report/comment.js';
import type { Reason } from '../../src/verdict/types.js';
import { fixture } from './load-fixture.js';

const OPTIONS = {
  marker: '<!-- serving-gate comment 0123456789abcdef -->',
  runUrl: 'https://github.com/example/serving-configs/actions/runs/42',
  identity: 'workflow gate, job serving',
};

describe('renderComment', () => {
  it('starts with the hidden marker, then the verdict heading', () => {
    const lines = renderComment(fixture('fail'), OPTIONS).split('\n');
    expect(lines[0]).toBe(OPTIONS.marker);
    expect(lines[1]).toMatch(/^## serving-gate: FAIL: Critical check long-context/);
  });

  it('keeps the reasons and memory table in view and the rest one click down', () => {
    const comment = renderComment(fixture('fail'), OPTIONS);
    expect(comment).toContain('### Reasons');
    expect(comment).toContain('| GPU 0 (NVIDIA H100 80GB HBM3) | BAR1 |');
    expect(comment).toContain('<details><summary>Checks (7 of 8 passed)</summary>');
    expect(comment).toContain('<details><summary>Memory over the run</summary>');
  });

  it('leaves the engine log to the job summary', () => {
    expect(renderComment(fixture('fail'), OPTIONS)).not.toContain('Engine log');
  });

  it('links the run and says which gate it is', () => {
    expect(renderComment(fixture('pass'), OPTIONS)).toContain(
      '<sub>[Job summary and logs](https://github.com/example/serving-configs/actions/runs/42) · ' +
        'workflow gate, job serving · updated 2026-12-01T09:00:46.000Z</sub>',
    );
  });

  it('drops the collapsed evidence, not the reasons, to stay under GitHub’s limit', () => {
    const fail = fixture('fail');
    const detail = 'x'.repeat(280);
    const reasons: Reason[] = Array.from({ length: 150 }, (_, i) => ({
      rule: 'check-failed',
      severity: 'warn',
      message: `Check c${i} failed (not critical): ${detail}`,
    }));
    const checks = Array.from({ length: 150 }, (_, i) => ({
      name: `c${i}`,
      critical: false,
      status: 'fail' as const,
      durationMs: 1,
      detail,
    }));
    const big = { ...fail, reasons: [...fail.reasons, ...reasons], checks };
    const comment = renderComment(big, OPTIONS);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(comment).toContain('Check c149 failed');
    expect(comment).not.toContain('<details><summary>Checks');
    expect(comment.startsWith(OPTIONS.marker)).toBe(true);
  });
});
