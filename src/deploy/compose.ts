/**
 * A `docker compose` deployment: up, the service's container found and inspected, its
 * exits read from docker's events, its last log lines, and down. Every docker command runs
 * without a shell and under its own deadline; none of them throws but `up`.
 */
import { GateError } from '../errors.js';
import {
  type ComposeTarget,
  downArgv,
  eventsArgv,
  inspectArgv,
  logsArgv,
  psArgv,
  upArgv,
} from './compose-commands.js';
import {
  type ContainerExit,
  type ContainerState,
  firstContainerId,
  parseExitEvents,
  parseInspect,
} from './container-state.js';
import type { TeardownResult } from './deployment.js';
import { argvProblem, runArgv } from './run-argv.js';

export interface ComposeOptions extends ComposeTarget {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `down --volumes`: also remove the project's named volumes (a model cache, say). */
  downVolumes: boolean;
}

/** Deadline of the quick queries (ps, inspect, events, logs). */
export const QUERY_TIMEOUT_MS = 10_000;

export class ComposeDeployment {
  private id: string | null = null;
  /** Epoch seconds just before `up`: the container's events are read from here on. */
  private upAtSeconds: number | null = null;

  constructor(private readonly options: ComposeOptions) {}

  get service(): string {
    return this.options.service;
  }

  get containerId(): string | null {
    return this.id;
  }

  private run(argv: string[], timeoutMs: number) {
    return runArgv(argv, { cwd: this.options.cwd, env: this.options.env, timeoutMs });
  }

  /** `docker compose -f FILE up -d`; throws GateError('deploy') when it fails. */
  async up(timeoutMs: number): Promise<void> {
    this.upAtSeconds = Date.now() / 1000 - 1;
    const result = await this.run(upArgv(this.options), timeoutMs);
    const problem = argvProblem(result, 'docker compose up', timeoutMs);
    if (problem) throw new GateError('deploy', problem);
  }

  /** Finds the service's container, asking until `timeoutMs` has passed. */
  async findContainer(timeoutMs: number): Promise<string | null> {
    const end = Date.now() + timeoutMs;
    do {
      const result = await this.run(psArgv(this.options), QUERY_TIMEOUT_MS);
      this.id = result.exitCode === 0 ? firstContainerId(result.stdout) : null;
      if (this.id) return this.id;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } while (Date.now() < end);
    return null;
  }

  /** The container's state now; null when it cannot be read. */
  async inspect(): Promise<ContainerState | null> {
    if (!this.id) return null;
    const result = await this.run(inspectArgv(this.options, this.id), QUERY_TIMEOUT_MS);
    return result.exitCode === 0 ? parseInspect(result.stdout) : null;
  }

  /** Every exit of the container since `up`, oldest first; empty when none or unreadable. */
  async exits(): Promise<ContainerExit[]> {
    if (!this.id || this.upAtSeconds === null) return [];
    const argv = eventsArgv(this.options, this.id, this.upAtSeconds, Date.now() / 1000);
    const result = await this.run(argv, QUERY_TIMEOUT_MS);
    return result.exitCode === 0 ? parseExitEvents(result.stdout) : [];
  }

  /** The service's last log lines (all runs of its container); empty when unreadable. */
  async logs(lines: number): Promise<string[]> {
    const result = await this.run(logsArgv(this.options, lines), QUERY_TIMEOUT_MS);
    if (result.exitCode !== 0 && result.stdout === '') return [];
    return result.stdout.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1);
  }

  /** `docker compose -f FILE down [--volumes]`; a failure is reported, never thrown. */
  async down(timeoutMs: number): Promise<TeardownResult> {
    const result = await this.run(downArgv(this.options, this.options.downVolumes), timeoutMs);
    const problem = argvProblem(result, 'docker compose down', timeoutMs);
    const volumes = this.options.downVolumes ? ' (volumes removed)' : '';
    return problem
      ? { ran: true, ok: false, message: problem }
      : { ran: true, ok: true, message: `docker compose down finished${volumes}` };
  }
}
