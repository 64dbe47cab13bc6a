import { describe, expect, it } from 'vitest';
import { gateOutputs } from '../../src/action/outputs.js';
import { OUTPUTS } from '../../src/plan/inputs.js';
import { fixture } from '../report/load-fixture.js';

const PATHS = { report: 'out/serving-gate-results.json', junit: 'out/serving-gate-junit.xml' };

describe('gateOutputs', () => {
  it('gives the verdict, the reasons as JSON and the paths of both files', () => {
    const outputs = gateOutputs(fixture('fail'), PATHS);
    expect(outputs.verdict).toBe('fail');
    expect(JSON.parse(outputs.reasons!)).toEqual(fixture('fail').reasons);
    expect(outputs.report).toBe(PATHS.report);
    expect(outputs.junit).toBe(PATHS.junit);
  });

  it('gives the largest BAR1 growth and slope of any GPU', () => {
    const outputs = gateOutputs(fixture('fail'), PATHS);
    expect(outputs['bar1-growth-mib']).toBe('4093');
    expect(outputs['bar1-slope-mib-per-hour']).toBe('701568');
  });

  it('gives the soonest projected exhaustion of any series', () => {
    const pass = fixture('pass');
    const series = pass.memory.series.map((s, i) => ({
      ...s,
      projectedExhaustionHours: [52.25, 7.5][i] ?? null,
    }));
    const outputs = gateOutputs({ ...pass, memory: { ...pass.memory, series } }, PATHS);
    expect(outputs['projected-exhaustion-hours']).toBe('7.5');
  });

  it('leaves unmeasured figures empty, never 0', () => {
    const outputs = gateOutputs(fixture('infra'), { report: PATHS.report, junit: null });
    expect(outputs['bar1-growth-mib']).toBe('');
    expect(outputs['bar1-slope-mib-per-hour']).toBe('');
    expect(outputs['projected-exhaustion-hours']).toBe('');
    expect(outputs.junit).toBe('');
  });

  it('names every output the action declares', () => {
    expect(Object.keys(gateOutputs(fixture('pass'), PATHS)).sort()).toEqual(
      OUTPUTS.map((o) => o.name).sort(),
    );
  });

  it('says whether the runner was left dirty, and nothing when it was not read', () => {
    const dirty = {
      ...fixture('pass'),
      runner: { dirty: true, message: 'FB stayed 2048 MiB above the baseline' },
    };
    expect(gateOutputs(dirty as never, PATHS)['runner-dirty']).toBe('true');
    expect(gateOutputs(fixture('pass'), PATHS)['runner-dirty']).toBe('');
  });
});
