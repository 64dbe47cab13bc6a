import type { ContainerExit } from '../deploy/container-state.js';
import { describeExitCode } from '../deploy/container-state.js';
import { exitReasonFromLogs } from '../deploy/exit-reason.js';
import type { Reason } from '../verdict/types.js';
import type { ContainerSample } from './container-watch.js';

export interface ContainerFindings {
  service: string;
  samples: readonly ContainerSample[];
  /** From docker events; may be empty where events are not kept. */
  exits: readonly ContainerExit[];
  /** The service's last log lines, read before `down`. */
  logTail: readonly string[];
}

/**
 * Any restart or exit of the service's container during the gate fails it: a crash loop
 * with its restart count, and the last exit's code and reason. Pure over what was seen.
 */
export function containerReasons(found: ContainerFindings): Reason[] {
  if (found.samples.length === 0) {
    return [
      {
        rule: 'container-unwatched',
        severity: 'warn',
        message:
          `The state of the ${found.service} container could not be read (docker inspect): ` +
          'restarts and exits during the run were not watched.',
      },
    ];
  }
  const restarts = Math.max(0, ...found.samples.map((s) => s.restartCount ?? 0));
  const last = found.samples.at(-1)!;
  const exited = last.status === 'exited' || last.status === 'dead';
  if (restarts === 0 && !exited) return [];

  const exit = lastExit(found);
  const why = exitReasonFromLogs(found.logTail);
  const how = `${describeExitCode(exit.exitCode, exit.oomKilled)}${why ? `: ${why}` : ''}`;
  const figures = {
    restartCount: restarts,
    exitCode: exit.exitCode,
    oomKilled: exit.oomKilled,
    exits: found.exits.length,
  };
  return [
    restarts > 0
      ? {
          rule: 'deployment-died',
          severity: 'fail',
          message:
            `Crash loop: the ${found.service} container restarted ${restarts} time(s) during the ` +
            `gate; last exit: ${how}`,
          figures,
        }
      : {
          rule: 'deployment-died',
          severity: 'fail',
          message: `The ${found.service} container exited during the gate: ${how}`,
          figures,
        },
  ];
}

/** The last exit: from docker events when kept, else the last non-running reading. */
function lastExit(found: ContainerFindings): { exitCode: number | null; oomKilled: boolean } {
  const event = found.exits.at(-1);
  if (event) return { exitCode: event.exitCode, oomKilled: event.oomKilled || anyOom(found) };
  const stopped = [...found.samples]
    .reverse()
    .find((s) => s.status !== 'running' && s.exitCode !== null && s.exitCode !== 0);
  return { exitCode: stopped?.exitCode ?? null, oomKilled: anyOom(found) };
}

function anyOom(found: ContainerFindings): boolean {
  return found.samples.some((s) => s.oomKilled);
}
