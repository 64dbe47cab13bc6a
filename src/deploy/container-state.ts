/**
 * What `docker inspect` and `docker events` say of a container, read into plain data.
 * Pure and forgiving: a field that is missing reads as null, never as a healthy value.
 */

export interface ContainerState {
  id: string;
  /** created, running, restarting, paused, exited, dead, removing. */
  status: string | null;
  running: boolean;
  restartCount: number | null;
  /** Of the last exit; a running container that restarted reads 0 again. */
  exitCode: number | null;
  oomKilled: boolean;
  /** The runtime's own error (a failed start), empty when none. */
  error: string | null;
}

export interface ContainerExit {
  /** Epoch seconds. */
  time: number | null;
  exitCode: number | null;
  oomKilled: boolean;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function int(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return null;
}

/** The first container of `docker inspect`'s JSON array; null when it is not one. */
export function parseInspect(text: string): ContainerState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const container = record(Array.isArray(data) ? data[0] : data);
  const state = record(container?.State);
  if (!container || !state || typeof container.Id !== 'string') return null;
  return {
    id: container.Id,
    status: typeof state.Status === 'string' ? state.Status : null,
    running: state.Running === true,
    restartCount: int(container.RestartCount),
    exitCode: int(state.ExitCode),
    oomKilled: state.OOMKilled === true,
    error: typeof state.Error === 'string' && state.Error !== '' ? state.Error : null,
  };
}

/**
 * The exits among `docker events --format '{{json .}}'` lines: each `die` with its exit
 * code, marked OOM-killed when an `oom` event came just before it.
 */
export function parseExitEvents(text: string): ContainerExit[] {
  const exits: ContainerExit[] = [];
  let oomPending = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let event: Record<string, unknown> | null;
    try {
      event = record(JSON.parse(line));
    } catch {
      continue;
    }
    const action = event?.Action ?? event?.status;
    if (action === 'oom') {
      oomPending = true;
      continue;
    }
    if (action !== 'die') continue;
    const attributes = record(record(event?.Actor)?.Attributes);
    const time = typeof event?.time === 'number' ? event.time : null;
    exits.push({ time, exitCode: int(attributes?.exitCode), oomKilled: oomPending });
    oomPending = false;
  }
  return exits;
}

/** The first id `docker compose ps -q` printed; null when none. */
export function firstContainerId(text: string): string | null {
  const id = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => /^[0-9a-f]{12,64}$/i.test(line));
  return id ?? null;
}

/** `exit code 137 (SIGKILL, OOM-killed)`: how an exit reads in a reason. */
export function describeExitCode(exitCode: number | null, oomKilled: boolean): string {
  const parts: string[] = [];
  const signal = exitCode !== null && exitCode > 128 ? SIGNALS[exitCode - 128] : undefined;
  if (signal) parts.push(signal);
  if (oomKilled) parts.push('OOM-killed');
  const code = exitCode === null ? 'exit code unknown' : `exit code ${exitCode}`;
  return parts.length > 0 ? `${code} (${parts.join(', ')})` : code;
}

const SIGNALS: Record<number, string> = {
  2: 'SIGINT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  15: 'SIGTERM',
};
