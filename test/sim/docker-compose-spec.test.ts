import { describe, expect, it } from 'vitest';
import {
  parseComposeSpec,
  parseRestart,
  publishedPort,
  shouldRestart,
} from '../../src/sim/docker/compose-spec.js';

describe('parseComposeSpec', () => {
  it('reads restart policy, published port, volumes and the simulation block', () => {
    const spec = parseComposeSpec(
      `services:
  vllm:
    image: vllm/vllm-openai:v0.11.0
    restart: on-failure:3
    ports: ["127.0.0.1:18000:8000"]
    x-serving-gate-sim:
      scenario: sim/leaky.yaml
      crash: {after: 2s, oomKilled: true, log: [Killed]}
  router:
    image: router
volumes:
  model-cache: {}
`,
      '/srv/My Project/compose.yml',
    );
    expect(spec.project).toBe('myproject');
    expect(spec.volumes).toEqual(['model-cache']);
    expect(spec.services).toEqual([
      {
        name: 'vllm',
        restart: { kind: 'on-failure', maxRetries: 3 },
        hostPort: 18000,
        scenario: '/srv/My Project/sim/leaky.yaml',
        crash: { afterMs: 2000, exitCode: 137, oomKilled: true, log: ['Killed'], runs: null },
      },
      { name: 'router', restart: { kind: 'no' }, hostPort: null, scenario: null, crash: null },
    ]);
  });

  it('names a bad simulation block by its key path', () => {
    expect(() =>
      parseComposeSpec(
        'services:\n  a:\n    x-serving-gate-sim: {crash: {after: soon}}\n',
        'c.yml',
      ),
    ).toThrow(/c\.yml: services\.a\.x-serving-gate-sim\.crash\.after: "soon" is not a duration/);
  });
});

describe('restart policies', () => {
  it('restart as docker does', () => {
    expect(shouldRestart(parseRestart({}), 1, 0)).toBe(false);
    expect(shouldRestart(parseRestart({ restart: 'always' }), 0, 9)).toBe(true);
    expect(shouldRestart(parseRestart({ restart: 'unless-stopped' }), 137, 0)).toBe(true);
    const onFailure = parseRestart({ restart: 'on-failure:2' });
    expect(shouldRestart(onFailure, 0, 0)).toBe(false);
    expect(shouldRestart(onFailure, 1, 1)).toBe(true);
    expect(shouldRestart(onFailure, 1, 2)).toBe(false);
    expect(() => parseRestart({ restart: 'sometimes' })).toThrow(/is not no, always/);
  });
});

describe('publishedPort', () => {
  it('reads short and long syntax', () => {
    expect(publishedPort(['8000'])).toBeNull();
    expect(publishedPort(['18000:8000/tcp'])).toBe(18000);
    expect(publishedPort([{ target: 8000, published: 18001 }])).toBe(18001);
    expect(publishedPort(undefined)).toBeNull();
  });
});
