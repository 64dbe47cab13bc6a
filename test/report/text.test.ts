import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { fixture } from './load-fixture.js';

describe('renderText', () => {
  it('has no colour unless asked, and colours the verdict when asked', () => {
    expect(renderText(fixture('fail'), { colour: false })).not.toContain('\u001b[');
    const coloured = renderText(fixture('fail'), { colour: true });
    expect(coloured.startsWith('\u001b[31mserving-gate: FAIL\u001b[0m')).toBe(true);
  });

  it('shows the same sections as the job summary, in the same order', () => {
    const text = renderText(fixture('fail'), { colour: false });
    const order = [
      'critical-check:',
      '\nChecks\n',
      '\nSoak ',
      '\nGPU memory ',
      'BAR1 MiB, GPU 0',
      '\nPreflight\n',
      '\nEngine log (last lines)\n',
    ].map((marker) => text.indexOf(marker));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('strips escape sequences from engine text so it cannot repaint the terminal', () => {
    const text = renderText(fixture('fail'), { colour: false });
    expect(text).toContain('  ERROR: CUDA error: an illegal memory access was encountered');
    expect(text).not.toContain('\u001b');
  });

  it('leaves out the engine log on a pass', () => {
    const pass = fixture('pass');
    const withLog = { ...pass, deploy: { ...pass.deploy, logTail: ['INFO ready'] } };
    expect(renderText(withLog, { colour: false })).not.toContain('Engine log');
  });

  it('says preflight did not run when it did not', () => {
    expect(renderText(fixture('infra'), { colour: false })).toContain(
      'did not run: no config was given, or the GPU could not be read',
    );
  });
});
