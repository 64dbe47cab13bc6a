/**
 * `deploy: compose` in the gate: bring the project up, watch the service's container from
 * then on, and at the end read its exits and last log lines before tearing it down.
 */
import { ComposeDeployment } from '../deploy/compose.js';
import { downArgv } from '../deploy/compose-commands.js';
import type { TeardownResult } from '../deploy/deployment.js';
import { GateError } from '../errors.js';
import type { ComposeDeploySpec } from '../plan/compose-plan.js';
import type { ContainerView } from '../report/results.js';
import type { Reason } from '../verdict/types.js';
import { containerReasons } from './container-reasons.js';
import { ContainerWatch } from './container-watch.js';

/** Log lines kept for the report and scanned for the reason of an exit. */
export const LOG_TAIL_LINES = 100;
/** How long the service's container may take to appear after `up` returned. */
const FIND_CONTAINER_MS = 15_000;

export interface ComposeRunOptions {
  spec: ComposeDeploySpec;
  docker: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  intervalMs: number;
  /** The gate's clock. */
  now: () => number;
}

export interface ComposeEnd {
  teardown: TeardownResult;
  logTail: string[];
  reasons: Reason[];
  container: ContainerView;
}

export class ComposeRun {
  private readonly deployment: ComposeDeployment;
  private readonly watch: ContainerWatch;
  private watching = false;

  constructor(private readonly options: ComposeRunOptions) {
    this.deployment = new ComposeDeployment({
      docker: options.docker,
      file: options.spec.file,
      service: options.spec.service,
      downVolumes: options.spec.downVolumes,
      cwd: options.cwd,
      env: options.env,
    });
    this.watch = new ContainerWatch(this.deployment, options.now, options.intervalMs);
  }

  /** `up`, then the watch; throws GateError('deploy') when up fails or no container appears. */
  async start(upTimeoutMs: number): Promise<void> {
    await this.deployment.up(upTimeoutMs);
    const id = await this.deployment.findContainer(FIND_CONTAINER_MS);
    if (!id) {
      throw new GateError(
        'deploy',
        `docker compose up finished but service ${this.options.spec.service} has no container`,
        'check the service name against the compose file',
      );
    }
    this.watch.start();
    this.watching = true;
  }

  /** What the `post` step runs when `main` cannot finish its teardown. */
  downArgv(): string[] {
    const { spec, docker } = this.options;
    return downArgv({ docker, file: spec.file, service: spec.service }, spec.downVolumes);
  }

  deadReason(): string | null {
    return this.watch.deadReason();
  }

  /** Last readings, exits and log lines, then `down`; never throws. */
  async finish(teardownTimeoutMs: number): Promise<ComposeEnd> {
    if (this.watching) await this.watch.stop();
    const logTail = (await this.deployment.logs(LOG_TAIL_LINES)).slice(-LOG_TAIL_LINES);
    const teardown = await this.deployment.down(teardownTimeoutMs);
    const service = this.options.spec.service;
    const reasons = this.watching
      ? containerReasons({ service, samples: this.watch.samples, exits: this.watch.exits, logTail })
      : [];
    const last = [...this.watch.exits].reverse()[0];
    return {
      teardown,
      logTail,
      reasons,
      container: {
        service,
        id: this.deployment.containerId,
        restartCount: this.watch.maxRestarts(),
        exitCode: last?.exitCode ?? lastStoppedCode(this.watch),
        oomKilled:
          this.watch.exits.some((e) => e.oomKilled) || this.watch.samples.some((s) => s.oomKilled),
        samples: [...this.watch.samples],
        exits: [...this.watch.exits],
      },
    };
  }
}

function lastStoppedCode(watch: ContainerWatch): number | null {
  const stopped = [...watch.samples]
    .reverse()
    .find((s) => s.status !== 'running' && s.exitCode !== null);
  return stopped?.exitCode ?? null;
}

/**
 * The container's own reasons (restart count, exit code, the log's reason) say more than
 * a generic "the deployment died": they take its place.
 */
export function replaceDeathReasons(reasons: Reason[], container: readonly Reason[]): void {
  if (container.some((r) => r.rule === 'deployment-died')) {
    for (let i = reasons.length - 1; i >= 0; i--) {
      if (reasons[i]!.rule === 'deployment-died') reasons.splice(i, 1);
    }
  }
  reasons.push(...container);
}
