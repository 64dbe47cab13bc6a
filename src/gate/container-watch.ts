/**
 * Watches the compose service's container while the gate runs: at every sampling interval
 * its status, restart count, exit code and OOM-killed flag are recorded on the gate's
 * clock, beside the GPU memory samples. A restart policy can hide a crash loop behind a
 * container that looks up; the restart count cannot.
 *
 * Known shortcoming: a death found during the soak does not cut the soak short; its
 * requests fail until the soak's duration is over, which costs that time on the runner.
 * Readiness does stop early (deadReason).
 */
import type { ComposeDeployment } from '../deploy/compose.js';
import type { ContainerExit, ContainerState } from '../deploy/container-state.js';
import { describeExitCode } from '../deploy/container-state.js';

/** One reading of the container, `tMs` on the gate's clock as memory samples are. */
export interface ContainerSample {
  tMs: number;
  status: string | null;
  restartCount: number | null;
  exitCode: number | null;
  oomKilled: boolean;
}

/** Faster than this, `docker inspect` would cost more than it tells. */
const MIN_INTERVAL_MS = 500;

export class ContainerWatch {
  readonly samples: ContainerSample[] = [];
  exits: ContainerExit[] = [];
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private latest: ContainerState | null = null;

  constructor(
    private readonly compose: ComposeDeployment,
    private readonly now: () => number,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), Math.max(MIN_INTERVAL_MS, this.intervalMs));
    void this.poll();
  }

  /** Reads the container once; a poll still running is joined, not doubled. */
  poll(): Promise<void> {
    this.polling ??= this.compose
      .inspect()
      .then((state) => {
        if (!state) return;
        this.latest = state;
        this.samples.push({
          tMs: this.now(),
          status: state.status,
          restartCount: state.restartCount,
          exitCode: state.exitCode,
          oomKilled: state.oomKilled,
        });
      })
      // An unreadable state is a missing sample, never a crash of the gate.
      .catch(() => {})
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Stops the timer after one last reading and the container's exits from docker events. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.poll();
    this.exits = await this.compose.exits();
  }

  /** Why the deployment counts as dead now (a restart or an exit), or null. */
  deadReason(): string | null {
    const state = this.latest;
    if (!state) return null;
    const restarts = this.maxRestarts();
    if (restarts > 0) {
      return `the ${this.compose.service} container restarted ${restarts} time(s) (crash loop)`;
    }
    if (!state.running && (state.status === 'exited' || state.status === 'dead')) {
      return `the ${this.compose.service} container exited (${describeExitCode(state.exitCode, state.oomKilled)})`;
    }
    return null;
  }

  maxRestarts(): number {
    return Math.max(0, ...this.samples.map((s) => s.restartCount ?? 0));
  }
}
