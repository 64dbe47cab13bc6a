/**
 * What the docker stand-in reads of a compose file: each service's restart policy and
 * published port, the named volumes, and the service's `x-serving-gate-sim` block (which
 * simulator scenario the "container" runs and how it dies). Real docker ignores `x-` keys.
 */
import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../../units.js';

export type RestartPolicy =
  | { kind: 'no' | 'always' | 'unless-stopped' }
  | { kind: 'on-failure'; maxRetries: number | null };

export interface CrashSpec {
  afterMs: number;
  exitCode: number;
  oomKilled: boolean;
  /** Printed to the container's log just before it dies. */
  log: string[];
  /** Only the first `runs` runs of the container crash; null = every run. */
  runs: number | null;
}

export interface ServiceSpec {
  name: string;
  restart: RestartPolicy;
  /** The host port of the first published port; null when none is published. */
  hostPort: number | null;
  /** Absolute path of the simulator scenario; null = the built-in healthy one. */
  scenario: string | null;
  crash: CrashSpec | null;
}

export interface ComposeSpec {
  /** Compose's default project name: the file's folder. */
  project: string;
  services: ServiceSpec[];
  volumes: string[];
}

const duration = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(String(value), 'after');
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 2s` });
    return z.NEVER;
  }
});

const simSchema = z.strictObject({
  scenario: z.string().min(1).optional(),
  crash: z
    .strictObject({
      after: duration,
      exitCode: z.int().min(0).max(255).optional(),
      oomKilled: z.boolean().default(false),
      log: z.array(z.string()).default([]),
      runs: z.int().min(1).optional(),
    })
    .optional(),
});

export function parseRestart(service: Record<string, unknown>): RestartPolicy {
  const text = typeof service.restart === 'string' ? service.restart.trim() : 'no';
  const onFailure = /^on-failure(?::(\d+))?$/.exec(text);
  if (onFailure) {
    return { kind: 'on-failure', maxRetries: onFailure[1] ? Number(onFailure[1]) : null };
  }
  if (text === 'always' || text === 'unless-stopped' || text === 'no') return { kind: text };
  throw new Error(`restart: "${text}" is not no, always, unless-stopped or on-failure[:N]`);
}

/** `"18000:8000"`, `"127.0.0.1:18000:8000/tcp"` or `{published: 18000, target: 8000}`. */
export function publishedPort(ports: unknown): number | null {
  if (!Array.isArray(ports)) return null;
  for (const entry of ports) {
    if (typeof entry === 'object' && entry !== null) {
      const published = Number((entry as { published?: unknown }).published);
      if (Number.isInteger(published) && published > 0) return published;
      continue;
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.length < 2) continue;
    const host = Number(parts.at(-2));
    if (Number.isInteger(host) && host > 0) return host;
  }
  return null;
}

/** Whether a container that exited with `exitCode` after `restarts` restarts comes back. */
export function shouldRestart(policy: RestartPolicy, exitCode: number, restarts: number): boolean {
  switch (policy.kind) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return exitCode !== 0 && (policy.maxRetries === null || restarts < policy.maxRetries);
  }
}

export function parseComposeSpec(text: string, file: string): ComposeSpec {
  const data = parse(text) as Record<string, unknown> | null;
  const services = data?.services;
  if (
    typeof services !== 'object' ||
    services === null ||
    Array.isArray(services) ||
    Object.keys(services).length === 0
  ) {
    throw new Error(`${file}: no services`);
  }
  const specs: ServiceSpec[] = [];
  for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
    const service = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const sim = simSchema.safeParse(service['x-serving-gate-sim'] ?? {});
    if (!sim.success) {
      const issue = sim.error.issues[0];
      throw new Error(
        `${file}: services.${name}.x-serving-gate-sim.${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const crash = sim.data.crash;
    specs.push({
      name,
      restart: parseRestart(service),
      hostPort: publishedPort(service.ports),
      scenario: sim.data.scenario ? resolve(dirname(file), sim.data.scenario) : null,
      crash: crash
        ? {
            afterMs: crash.after,
            exitCode: crash.exitCode ?? (crash.oomKilled ? 137 : 1),
            oomKilled: crash.oomKilled,
            log: crash.log,
            runs: crash.runs ?? null,
          }
        : null,
    });
  }
  const volumes = data?.volumes;
  return {
    project: basename(dirname(resolve(file)))
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, ''),
    services: specs,
    volumes:
      typeof volumes === 'object' && volumes !== null && !Array.isArray(volumes)
        ? Object.keys(volumes)
        : [],
  };
}
