import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/plan.js';

describe('deploy: compose in the plan', () => {
  it('takes the compose file, service, volumes choice and docker command', () => {
    const plan = buildPlan(
      {
        deploy: 'compose',
        'compose-file': 'serving/compose.yml',
        service: 'vllm',
        'compose-down-volumes': 'true',
        docker: 'node "dist/cli/index.js" simulate docker --state /tmp/d',
        suite: 'checks/suite.yaml',
      },
      '/repo',
    );
    expect(plan.deploy).toEqual({
      kind: 'compose',
      file: '/repo/serving/compose.yml',
      service: 'vllm',
      downVolumes: true,
    });
    expect(plan.docker).toEqual([
      'node',
      'dist/cli/index.js',
      'simulate',
      'docker',
      '--state',
      '/tmp/d',
    ]);
    expect(plan.suitePath).toBe('/repo/checks/suite.yaml');
    expect(plan.endpoint).toBe('http://127.0.0.1:8000');
  });

  it('keeps volumes and uses docker by default', () => {
    const plan = buildPlan({ deploy: 'compose', 'compose-file': 'c.yml', service: 'vllm' }, '/r');
    expect(plan.deploy).toMatchObject({ downVolumes: false });
    expect(plan.docker).toEqual(['docker']);
    expect(plan.suitePath).toBeNull();
  });

  it('names what compose is missing, and compose settings given without it', () => {
    expect(() => buildPlan({ deploy: 'compose', service: 'vllm' }, '/r')).toThrow(
      'deploy: compose needs compose-file',
    );
    expect(() => buildPlan({ deploy: 'compose', 'compose-file': 'c.yml' }, '/r')).toThrow(
      'deploy: compose needs service',
    );
    expect(() => buildPlan({ deploy: 'docker compose up -d', service: 'vllm' }, '/r')).toThrow(
      'service is only used with deploy: compose',
    );
    expect(() =>
      buildPlan(
        { deploy: 'compose', 'compose-file': 'c.yml', service: 'v', 'compose-down-volumes': 'yes' },
        '/r',
      ),
    ).toThrow('compose-down-volumes: expected true or false');
  });
});
