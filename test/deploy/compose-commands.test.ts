import { describe, expect, it } from 'vitest';
import {
  downArgv,
  eventsArgv,
  inspectArgv,
  logsArgv,
  psArgv,
  upArgv,
} from '../../src/deploy/compose-commands.js';

// A file name a shell would read as two commands stays one word in argv.
const target = {
  docker: ['node', 'cli.js', 'simulate', 'docker'],
  file: 'serving/compose; rm -rf x.yml',
  service: 'vllm $(id)',
};

describe('compose command lines', () => {
  it('passes the file and service as single words after the configured docker', () => {
    expect(upArgv(target)).toEqual([...target.docker, 'compose', '-f', target.file, 'up', '-d']);
    expect(psArgv(target)).toEqual([
      ...target.docker,
      'compose',
      '-f',
      target.file,
      'ps',
      '--all',
      '--quiet',
      target.service,
    ]);
    expect(logsArgv(target, 50).slice(-4)).toEqual([
      '--no-log-prefix',
      '--tail',
      '50',
      target.service,
    ]);
  });

  it('adds --volumes to down only when asked', () => {
    expect(downArgv(target, false).slice(-1)).toEqual(['down']);
    expect(downArgv(target, true).slice(-2)).toEqual(['down', '--volumes']);
  });

  it('asks docker for one container and a bounded time range of its exits', () => {
    expect(inspectArgv(target, 'abc123')).toEqual([...target.docker, 'inspect', 'abc123']);
    expect(eventsArgv(target, 'abc123', 100, 160.5)).toEqual([
      ...target.docker,
      'events',
      '--since',
      '100.000',
      '--until',
      '160.500',
      '--filter',
      'container=abc123',
      '--filter',
      'event=die',
      '--filter',
      'event=oom',
      '--format',
      '{{json .}}',
    ]);
  });
});
