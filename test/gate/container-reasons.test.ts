import { describe, expect, it } from 'vitest';
import { containerReasons } from '../../src/gate/container-reasons.js';
import type { ContainerSample } from '../../src/gate/container-watch.js';

const sample = (tMs: number, rest: Partial<ContainerSample> = {}): ContainerSample => ({
  tMs,
  status: 'running',
  restartCount: 0,
  exitCode: 0,
  oomKilled: false,
  ...rest,
});

const LOG = ['INFO ready', 'RuntimeError: CUDA error: an illegal memory access was encountered'];

describe('containerReasons', () => {
  it('finds nothing to say of a container that stayed up', () => {
    expect(
      containerReasons({
        service: 'vllm',
        samples: [sample(0), sample(1000)],
        exits: [],
        logTail: [],
      }),
    ).toEqual([]);
  });

  it('fails a crash loop with its restart count, exit code and the reason from the log', () => {
    const [reason] = containerReasons({
      service: 'vllm',
      samples: [sample(0), sample(1000, { restartCount: 2 }), sample(2000, { restartCount: 3 })],
      exits: [
        { time: 1, exitCode: 3, oomKilled: false },
        { time: 2, exitCode: 3, oomKilled: false },
        { time: 3, exitCode: 3, oomKilled: false },
      ],
      logTail: LOG,
    });
    expect(reason).toEqual({
      rule: 'deployment-died',
      severity: 'fail',
      message:
        'Crash loop: the vllm container restarted 3 time(s) during the gate; last exit: ' +
        'exit code 3: RuntimeError: CUDA error: an illegal memory access was encountered',
      figures: { restartCount: 3, exitCode: 3, oomKilled: false, exits: 3 },
    });
  });

  it('reads the exit code from inspect when docker kept no events', () => {
    const [reason] = containerReasons({
      service: 'vllm',
      samples: [sample(0), sample(1000, { status: 'exited', exitCode: 137, oomKilled: true })],
      exits: [],
      logTail: [],
    });
    expect(reason?.message).toBe(
      'The vllm container exited during the gate: exit code 137 (SIGKILL, OOM-killed)',
    );
    expect(reason?.figures).toMatchObject({ restartCount: 0, exitCode: 137, oomKilled: true });
  });

  it('warns, never passes silently, when the container could not be watched', () => {
    expect(containerReasons({ service: 'vllm', samples: [], exits: [], logTail: [] })).toEqual([
      expect.objectContaining({ rule: 'container-unwatched', severity: 'warn' }),
    ]);
  });
});
