import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { buildPlan } from '../../src/plan/plan.js';
import { parseDuration, parseSizeMiB } from '../../src/units.js';

const usageMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe('usage');
    return (error as GateError).message;
  }
  throw new Error('expected a usage error');
};

describe('durations and sizes', () => {
  it('reads the forms users write', () => {
    expect(parseDuration('90s', 'x')).toBe(90_000);
    expect(parseDuration('10m', 'x')).toBe(600_000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('500ms', 'x')).toBe(500);
    expect(parseDuration('45', 'x')).toBe(45_000);
    expect(parseSizeMiB('256MiB', 'x')).toBe(256);
    expect(parseSizeMiB('1GiB', 'x')).toBe(1024);
    expect(parseSizeMiB('512', 'x')).toBe(512);
  });

  it('names the input and the valid forms on bad text', () => {
    expect(usageMessage(() => parseDuration('ten minutes', 'soak-duration'))).toBe(
      'soak-duration: "ten minutes" is not a duration',
    );
    expect(usageMessage(() => parseSizeMiB('1 GB-ish', 'max-bar1-growth'))).toContain(
      'max-bar1-growth',
    );
  });
});

describe('buildPlan', () => {
  it('deploys the built-in simulator when neither deploy nor endpoint is given', () => {
    const plan = buildPlan({}, '/repo');
    expect(plan.deploy).toEqual({ kind: 'simulator', scenario: null });
    expect(plan.endpoint).toBeNull();
    expect(plan.soakDurationMs).toBe(300_000);
    expect(plan.nvidiaSmi).toEqual(['nvidia-smi']);
    expect(plan.reportDir).toBe('/repo/serving-gate-report');
  });

  it('gates a running server when only the endpoint is given', () => {
    const plan = buildPlan({ endpoint: 'http://127.0.0.1:9000/' }, '/repo');
    expect(plan.deploy).toEqual({ kind: 'none' });
    expect(plan.endpoint).toBe('http://127.0.0.1:9000');
  });

  it('resolves paths against the working directory and keeps the deploy command whole', () => {
    const plan = buildPlan(
      {
        config: 'serving/qwen.yaml',
        deploy: 'docker compose -f serving/compose.yml up -d',
        'nvidia-smi': '"/usr/lib/wsl/lib/nvidia-smi"',
      },
      '/repo',
    );
    expect(plan.configPath).toBe('/repo/serving/qwen.yaml');
    expect(plan.deploy).toEqual({
      kind: 'command',
      command: 'docker compose -f serving/compose.yml up -d',
    });
    expect(plan.nvidiaSmi).toEqual(['/usr/lib/wsl/lib/nvidia-smi']);
  });

  it('refuses bad values with the input name and what is valid', () => {
    expect(usageMessage(() => buildPlan({ endpoint: 'localhost:8000' }, '/r'))).toContain(
      'endpoint: expected an http(s) URL',
    );
    expect(usageMessage(() => buildPlan({ 'soak-concurrency': '0' }, '/r'))).toContain(
      'soak-concurrency: expected a whole number from 1 to 256',
    );
    expect(usageMessage(() => buildPlan({ 'soak-duration': 'forever' }, '/r'))).toContain(
      'soak-duration',
    );
    expect(usageMessage(() => buildPlan({ endpoint: 'http://127.0.0.1:8000/v1' }, '/r'))).toContain(
      'without /v1',
    );
    expect(usageMessage(() => buildPlan({ 'soak-duraton': '1m' }, '/r'))).toBe(
      'unknown setting "soak-duraton"',
    );
  });

  it('refuses a simulator scenario together with an endpoint', () => {
    expect(
      usageMessage(() =>
        buildPlan({ simulate: 'sim.yaml', endpoint: 'http://127.0.0.1:8000' }, '/r'),
      ),
    ).toBe('simulate and endpoint were both given');
  });
});
