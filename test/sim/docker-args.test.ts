import { describe, expect, it } from 'vitest';
import { DockerUsageError, parseDockerArgs, parseTime } from '../../src/sim/docker/args.js';

describe('parseDockerArgs', () => {
  it('reads the compose commands a compose deploy uses', () => {
    expect(parseDockerArgs(['compose', '-f', 'c.yml', 'up', '-d'])).toEqual({
      kind: 'compose',
      files: ['c.yml'],
      project: null,
      sub: { kind: 'up', detach: true, services: [] },
    });
    expect(
      parseDockerArgs(['compose', '--file=c.yml', 'ps', '--all', '--quiet', 'vllm']),
    ).toMatchObject({
      sub: { kind: 'ps', all: true, quiet: true, services: ['vllm'] },
    });
    expect(
      parseDockerArgs([
        'compose',
        '-f',
        'c.yml',
        'logs',
        '--no-color',
        '--no-log-prefix',
        '--tail',
        '50',
        'vllm',
      ]),
    ).toMatchObject({ sub: { kind: 'logs', tail: 50, prefix: false, services: ['vllm'] } });
    expect(parseDockerArgs(['compose', '-f', 'c.yml', 'down', '-v'])).toMatchObject({
      sub: { kind: 'down', volumes: true },
    });
  });

  it('reads inspect and a bounded events query', () => {
    expect(parseDockerArgs(['inspect', 'abc1'])).toEqual({ kind: 'inspect', ids: ['abc1'] });
    expect(
      parseDockerArgs([
        'events',
        '--since',
        '100.5',
        '--until',
        '2026-12-04T00:00:00Z',
        '--filter',
        'container=abc1',
        '--filter',
        'event=die',
        '--format',
        '{{json .}}',
      ]),
    ).toEqual({
      kind: 'events',
      since: 100.5,
      until: Date.parse('2026-12-04T00:00:00Z') / 1000,
      containers: ['abc1'],
      actions: ['die'],
    });
  });

  it('refuses what it does not know, rather than pretend it worked', () => {
    expect(() => parseDockerArgs(['run', 'image'])).toThrow(DockerUsageError);
    expect(() => parseDockerArgs(['compose', 'up', '-d'])).toThrow(/give the file with -f FILE/);
    expect(() => parseDockerArgs(['compose', '-f', 'c.yml', 'up', '--build'])).toThrow(
      /unknown option --build/,
    );
    expect(() => parseDockerArgs(['compose', '-f', 'c.yml', 'logs', '--tail'])).toThrow(
      /needs a value/,
    );
  });
});

describe('parseTime', () => {
  it('takes epoch seconds or a date', () => {
    expect(parseTime('12')).toBe(12);
    expect(() => parseTime('yesterday')).toThrow(/not a time/);
  });
});
