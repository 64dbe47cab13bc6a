import { describe, expect, it } from 'vitest';
import {
  describeExitCode,
  firstContainerId,
  parseExitEvents,
  parseInspect,
} from '../../src/deploy/container-state.js';

const ID = 'f'.repeat(64);

describe('parseInspect', () => {
  it("reads docker inspect's array: status, restart count, exit code, OOM flag", () => {
    const text = JSON.stringify([
      {
        Id: ID,
        RestartCount: 3,
        State: {
          Status: 'restarting',
          Running: false,
          Restarting: true,
          OOMKilled: true,
          ExitCode: 137,
          Error: '',
        },
      },
    ]);
    expect(parseInspect(text)).toEqual({
      id: ID,
      status: 'restarting',
      running: false,
      restartCount: 3,
      exitCode: 137,
      oomKilled: true,
      error: null,
    });
  });

  it('reads missing figures as unknown, and refuses what is not a container', () => {
    expect(parseInspect(JSON.stringify([{ Id: ID, State: {} }]))).toMatchObject({
      status: null,
      running: false,
      restartCount: null,
      exitCode: null,
    });
    expect(parseInspect('[]')).toBeNull();
    expect(parseInspect('Error: No such object')).toBeNull();
  });
});

describe('parseExitEvents', () => {
  it('reads each die with its exit code and marks the one an oom event preceded', () => {
    const lines = [
      { Action: 'start', time: 1 },
      { Action: 'die', time: 2, Actor: { Attributes: { exitCode: '3' } } },
      { Action: 'oom', time: 3 },
      { Action: 'die', time: 3, Actor: { Attributes: { exitCode: '137' } } },
    ]
      .map((event) => JSON.stringify(event))
      .join('\n');
    expect(parseExitEvents(`${lines}\nnot json\n`)).toEqual([
      { time: 2, exitCode: 3, oomKilled: false },
      { time: 3, exitCode: 137, oomKilled: true },
    ]);
  });
});

describe('firstContainerId', () => {
  it('takes the first id and ignores warnings around it', () => {
    expect(firstContainerId(`WARN[0000] version is obsolete\n${ID}\n`)).toBe(ID);
    expect(firstContainerId('\n')).toBeNull();
  });
});

describe('describeExitCode', () => {
  it('names the signal of a code above 128 and the OOM kill', () => {
    expect(describeExitCode(137, true)).toBe('exit code 137 (SIGKILL, OOM-killed)');
    expect(describeExitCode(1, false)).toBe('exit code 1');
    expect(describeExitCode(null, false)).toBe('exit code unknown');
  });
});
