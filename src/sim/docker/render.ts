/**
 * The stand-in's answers in docker's own shapes: `docker inspect`'s JSON array and
 * `docker events --format '{{json .}}'` lines, so the gate's parsers read them as they
 * read docker's.
 */
import type { ContainerEvent, ContainerRecord } from './state.js';

export function inspectJson(record: ContainerRecord): Record<string, unknown> {
  return {
    Id: record.id,
    Created: record.startedAt,
    Name: `/${record.name}`,
    RestartCount: record.restartCount,
    State: {
      Status: record.status,
      Running: record.status === 'running',
      Paused: false,
      Restarting: record.status === 'restarting',
      OOMKilled: record.oomKilled,
      Dead: false,
      Pid: record.status === 'running' ? (record.pid ?? 0) : 0,
      ExitCode: record.exitCode,
      Error: '',
      StartedAt: record.startedAt,
      FinishedAt: record.finishedAt,
    },
    Config: {
      Labels: {
        'com.docker.compose.project': record.project,
        'com.docker.compose.service': record.service,
        'com.docker.compose.project.config_files': record.composeFile,
      },
    },
  };
}

export function eventJson(record: ContainerRecord, event: ContainerEvent): string {
  const attributes: Record<string, string> = {
    name: record.name,
    'com.docker.compose.service': record.service,
  };
  if (event.exitCode !== undefined) attributes.exitCode = String(event.exitCode);
  return JSON.stringify({
    status: event.action,
    id: record.id,
    from: 'serving-gate/simulator',
    Type: 'container',
    Action: event.action,
    Actor: { ID: record.id, Attributes: attributes },
    scope: 'local',
    time: Math.floor(event.time),
    timeNano: Math.round(event.time * 1e9),
  });
}

/** Whether `ref` (an id, its prefix, or the name) names the record, as docker matches. */
export function names(record: ContainerRecord, ref: string): boolean {
  return (
    ref.length >= 4 &&
    (record.id.startsWith(ref) || record.name === ref || `/${record.name}` === ref)
  );
}
