/**
 * `serving-gate simulate docker`: a `docker` for machines without one, answering the
 * commands a compose deploy uses. State lives in a folder (one compose project per
 * folder); `up -d` starts a detached supervisor per published service, which runs the
 * simulator as the "container".
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ComposeSub, type DockerCommand, DockerUsageError, parseDockerArgs } from './args.js';
import { type ComposeSpec, parseComposeSpec } from './compose-spec.js';
import { alive, stopSupervisor } from './processes.js';
import { eventJson, inspectJson, names } from './render.js';
import {
  type ContainerRecord,
  paths,
  readLog,
  readRecord,
  readRecords,
  recordCall,
  removeRecord,
  writeRecord,
} from './state.js';
import { supervise } from './supervisor.js';

export interface DockerStandInOptions {
  dir: string;
  args: string[];
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** argv that runs `serving-gate simulate` (for the supervisor and the simulator). */
  simulate: readonly string[];
  signal: AbortSignal;
}

const START_DEADLINE_MS = 10_000;

export async function runDockerStandIn(options: DockerStandInOptions): Promise<number> {
  const { dir, args } = options;
  recordCall(dir, args);
  if (args[0] === 'supervise') return runSupervisor(options);
  let command: DockerCommand;
  try {
    command = parseDockerArgs(args);
  } catch (error) {
    if (!(error instanceof DockerUsageError)) throw error;
    options.stderr.write(`docker (serving-gate stand-in): ${error.message}\n`);
    return 125;
  }
  switch (command.kind) {
    case 'version':
      options.stdout.write('Docker version 27.0.0, serving-gate stand-in\n');
      return 0;
    case 'inspect':
      return inspect(options, command.ids);
    case 'events':
      return events(options, command);
    case 'compose':
      return compose(options, command.files, command.sub);
  }
}

function inspect(options: DockerStandInOptions, ids: string[]): number {
  const records = readRecords(options.dir);
  const found = ids.map((id) => records.find((record) => names(record, id)));
  options.stdout.write(
    `${JSON.stringify(
      found.filter(Boolean).map((r) => inspectJson(r!)),
      null,
      4,
    )}\n`,
  );
  const missing = ids.filter((_, i) => !found[i]);
  for (const id of missing) options.stderr.write(`Error: No such object: ${id}\n`);
  return missing.length > 0 ? 1 : 0;
}

function events(
  options: DockerStandInOptions,
  command: Extract<DockerCommand, { kind: 'events' }>,
) {
  const lines: { time: number; text: string }[] = [];
  for (const record of readRecords(options.dir)) {
    if (command.containers.length > 0 && !command.containers.some((ref) => names(record, ref))) {
      continue;
    }
    for (const event of record.events) {
      if (command.actions.length > 0 && !command.actions.includes(event.action)) continue;
      if (command.since !== null && event.time < command.since) continue;
      if (command.until !== null && event.time > command.until) continue;
      lines.push({ time: event.time, text: eventJson(record, event) });
    }
  }
  // Real docker streams on without --until; the stand-in answers what it has and ends.
  for (const line of lines.sort((a, b) => a.time - b.time)) options.stdout.write(`${line.text}\n`);
  return 0;
}

async function compose(options: DockerStandInOptions, files: string[], sub: ComposeSub) {
  if (sub.kind === 'version') {
    options.stdout.write('Docker Compose version v2.29.0, serving-gate stand-in\n');
    return 0;
  }
  const file = resolve(options.cwd, files[0]!);
  let spec: ComposeSpec;
  try {
    spec = parseComposeSpec(readFileSync(file, 'utf8'), file);
  } catch (error) {
    options.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  switch (sub.kind) {
    case 'up':
      return up(options, file, spec, sub.detach, sub.services);
    case 'ps':
      return ps(options, spec, sub);
    case 'logs':
      return logs(options, spec, sub);
    case 'down':
      return down(options, spec, sub.volumes);
  }
}

async function up(
  options: DockerStandInOptions,
  file: string,
  spec: ComposeSpec,
  detach: boolean,
  only: string[],
) {
  if (!detach) {
    options.stderr.write('the serving-gate docker stand-in runs detached only: use up -d\n');
    return 1;
  }
  const { dir } = options;
  for (const volume of spec.volumes) {
    mkdirSync(join(paths.volumes(dir), `${spec.project}_${volume}`), { recursive: true });
  }
  for (const service of spec.services.filter((s) => only.length === 0 || only.includes(s.name))) {
    const name = `${spec.project}-${service.name}-1`;
    const existing = readRecord(dir, service.name);
    if (existing && (existing.supervisorPid === null || alive(existing.supervisorPid))) {
      options.stderr.write(` Container ${name}  Running\n`);
      continue;
    }
    const stamp = new Date().toISOString();
    const record: ContainerRecord = {
      id: randomBytes(32).toString('hex'),
      name,
      service: service.name,
      project: spec.project,
      composeFile: file,
      status: service.hostPort === null ? 'running' : 'created',
      restartCount: 0,
      exitCode: 0,
      oomKilled: false,
      supervisorPid: null,
      pid: null,
      startedAt: stamp,
      finishedAt: '0001-01-01T00:00:00Z',
      events: service.hostPort === null ? [{ action: 'start', time: Date.now() / 1000 }] : [],
    };
    writeRecord(dir, record);
    // A service that publishes no port runs nothing here: an idle container.
    if (service.hostPort !== null) {
      const argv = [...options.simulate, 'docker', '--state', dir, 'supervise', file, service.name];
      const [command, ...rest] = argv as [string, ...string[]];
      spawn(command, rest, { detached: true, stdio: 'ignore' }).unref();
      if (!(await started(dir, service.name))) {
        options.stderr.write(
          `Error: container ${name} did not start within ${START_DEADLINE_MS} ms\n`,
        );
        return 1;
      }
    }
    options.stderr.write(` Container ${name}  Started\n`);
  }
  return 0;
}

async function started(dir: string, service: string): Promise<boolean> {
  const end = Date.now() + START_DEADLINE_MS;
  while (Date.now() < end) {
    const record = readRecord(dir, service);
    if (record && record.status !== 'created') return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return false;
}

function ps(
  options: DockerStandInOptions,
  spec: ComposeSpec,
  sub: Extract<ComposeSub, { kind: 'ps' }>,
) {
  const wanted = sub.services.length > 0 ? sub.services : spec.services.map((s) => s.name);
  const records = readRecords(options.dir).filter(
    (r) =>
      wanted.includes(r.service) &&
      (sub.all || r.status === 'running' || r.status === 'restarting'),
  );
  if (sub.quiet) {
    for (const record of records) options.stdout.write(`${record.id}\n`);
    return 0;
  }
  options.stdout.write('NAME\tSERVICE\tSTATUS\n');
  for (const r of records) options.stdout.write(`${r.name}\t${r.service}\t${r.status}\n`);
  return 0;
}

function logs(
  options: DockerStandInOptions,
  spec: ComposeSpec,
  sub: Extract<ComposeSub, { kind: 'logs' }>,
) {
  const wanted = sub.services.length > 0 ? sub.services : spec.services.map((s) => s.name);
  for (const service of wanted) {
    const record = readRecord(options.dir, service);
    if (!record) continue;
    const lines = readLog(options.dir, service);
    const shown = sub.tail === null ? lines : lines.slice(Math.max(0, lines.length - sub.tail));
    const prefix = sub.prefix ? `${record.name}  | ` : '';
    for (const line of shown) options.stdout.write(`${prefix}${line}\n`);
  }
  return 0;
}

async function down(options: DockerStandInOptions, spec: ComposeSpec, volumes: boolean) {
  const { dir } = options;
  for (const record of readRecords(dir).filter((r) => r.project === spec.project)) {
    if (record.supervisorPid !== null) await stopSupervisor(record.supervisorPid);
    removeRecord(dir, record.service);
    rmSync(paths.log(dir, record.service), { force: true });
    options.stderr.write(` Container ${record.name}  Removed\n`);
  }
  if (volumes) {
    for (const volume of spec.volumes) {
      rmSync(join(paths.volumes(dir), `${spec.project}_${volume}`), {
        recursive: true,
        force: true,
      });
      options.stderr.write(` Volume ${spec.project}_${volume}  Removed\n`);
    }
  }
  return 0;
}

/** `supervise FILE SERVICE`: the detached runtime `up -d` starts; runs until `down`. */
async function runSupervisor(options: DockerStandInOptions): Promise<number> {
  const [, file, serviceName] = options.args;
  const record = serviceName ? readRecord(options.dir, serviceName) : null;
  if (!file || !serviceName || !record) {
    options.stderr.write('supervise: needs FILE SERVICE of a container created by up\n');
    return 125;
  }
  const spec = parseComposeSpec(readFileSync(file, 'utf8'), file);
  const service = spec.services.find((s) => s.name === serviceName);
  if (!service) return 125;
  await supervise({
    dir: options.dir,
    record,
    service,
    simulate: options.simulate,
    signal: options.signal,
  });
  return 0;
}
