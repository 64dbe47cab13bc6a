/**
 * The docker command lines the stand-in answers, parsed without side effects. Only the
 * forms the gate uses (and a user's dry run would) are known; anything else is refused
 * with the list, so a typo never looks like success.
 */

export type DockerCommand =
  | { kind: 'version' }
  | { kind: 'inspect'; ids: string[] }
  | {
      kind: 'events';
      since: number | null;
      until: number | null;
      containers: string[];
      actions: string[];
    }
  | { kind: 'compose'; files: string[]; project: string | null; sub: ComposeSub };

export type ComposeSub =
  | { kind: 'up'; detach: boolean; services: string[] }
  | { kind: 'ps'; all: boolean; quiet: boolean; services: string[] }
  | { kind: 'logs'; tail: number | null; prefix: boolean; services: string[] }
  | { kind: 'down'; volumes: boolean }
  | { kind: 'version' };

export class DockerUsageError extends Error {}

const KNOWN =
  'known: compose -f FILE up -d | ps [--all] [--quiet] SERVICE | logs [--tail N] ' +
  '[--no-log-prefix] SERVICE | down [--volumes]; inspect ID; events --since T --until T ' +
  '--filter container=ID --filter event=die --format "{{json .}}"; version';

/** `--name value` or `--name=value`; returns the value and how many words it took. */
function optionValue(args: readonly string[], i: number): [string, number] {
  const arg = args[i]!;
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq !== -1) return [arg.slice(eq + 1), 1];
  const next = args[i + 1];
  if (next === undefined) throw new DockerUsageError(`${arg} needs a value`);
  return [next, 2];
}

function optionName(arg: string): string {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
}

/** A time as docker takes it: epoch seconds (fractional) or an ISO date. */
export function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new DockerUsageError(`"${text}" is not a time`);
  return ms / 1000;
}

export function parseDockerArgs(args: readonly string[]): DockerCommand {
  const [head, ...rest] = args;
  switch (head) {
    case 'version':
    case '--version':
      return { kind: 'version' };
    case 'inspect': {
      const ids = rest.filter((arg) => !arg.startsWith('-'));
      if (ids.length === 0) throw new DockerUsageError('inspect needs a container id');
      return { kind: 'inspect', ids };
    }
    case 'events':
      return parseEvents(rest);
    case 'compose':
      return parseCompose(rest);
    default:
      throw new DockerUsageError(`unknown command ${head ?? '(none)'}; ${KNOWN}`);
  }
}

function parseEvents(args: readonly string[]): DockerCommand {
  const command = {
    kind: 'events' as const,
    since: null as number | null,
    until: null as number | null,
    containers: [] as string[],
    actions: [] as string[],
  };
  for (let i = 0; i < args.length; ) {
    const name = optionName(args[i]!);
    if (!['--since', '--until', '--filter', '-f', '--format'].includes(name)) {
      throw new DockerUsageError(`events: unknown option ${args[i]}; ${KNOWN}`);
    }
    const [value, used] = optionValue(args, i);
    i += used;
    if (name === '--since') command.since = parseTime(value);
    else if (name === '--until') command.until = parseTime(value);
    else if (name === '--format') {
      if (value !== '{{json .}}') throw new DockerUsageError('events: only --format "{{json .}}"');
    } else {
      const [key, filter] = value.split('=', 2);
      if (key === 'container' && filter) command.containers.push(filter);
      else if (key === 'event' && filter) command.actions.push(filter);
      else throw new DockerUsageError(`events: unknown filter ${value}`);
    }
  }
  return command;
}

function parseCompose(args: readonly string[]): DockerCommand {
  const files: string[] = [];
  let project: string | null = null;
  let i = 0;
  for (; i < args.length; ) {
    const name = optionName(args[i]!);
    if (name === '-f' || name === '--file') {
      const [value, used] = optionValue(args, i);
      files.push(value);
      i += used;
    } else if (name === '-p' || name === '--project-name') {
      const [value, used] = optionValue(args, i);
      project = value;
      i += used;
    } else break;
  }
  const [sub, ...rest] = args.slice(i);
  const services = (words: string[]) => words.filter((word) => !word.startsWith('-'));
  const flags = (words: string[], allowed: string[]) => {
    for (const word of words) {
      if (word.startsWith('-') && !allowed.includes(word)) {
        throw new DockerUsageError(`compose ${sub}: unknown option ${word}; ${KNOWN}`);
      }
    }
  };
  let command: ComposeSub;
  switch (sub) {
    case 'up':
      flags(rest, ['-d', '--detach']);
      command = {
        kind: 'up',
        detach: rest.includes('-d') || rest.includes('--detach'),
        services: services(rest),
      };
      break;
    case 'ps':
      flags(rest, ['-a', '--all', '-q', '--quiet']);
      command = {
        kind: 'ps',
        all: rest.includes('-a') || rest.includes('--all'),
        quiet: rest.includes('-q') || rest.includes('--quiet'),
        services: services(rest),
      };
      break;
    case 'logs':
      command = parseLogs(rest);
      break;
    case 'down':
      flags(rest, ['-v', '--volumes']);
      command = { kind: 'down', volumes: rest.includes('-v') || rest.includes('--volumes') };
      break;
    case 'version':
      command = { kind: 'version' };
      break;
    default:
      throw new DockerUsageError(`compose: unknown command ${sub ?? '(none)'}; ${KNOWN}`);
  }
  if (command.kind !== 'version' && files.length === 0) {
    throw new DockerUsageError('compose: give the file with -f FILE');
  }
  return { kind: 'compose', files, project, sub: command };
}

function parseLogs(args: readonly string[]): ComposeSub {
  let tail: number | null = null;
  let prefix = true;
  const services: string[] = [];
  for (let i = 0; i < args.length; ) {
    const arg = args[i]!;
    const name = optionName(arg);
    if (name === '--tail' || name === '-n') {
      const [value, used] = optionValue(args, i);
      tail = value === 'all' ? null : Number(value);
      if (tail !== null && !Number.isInteger(tail)) throw new DockerUsageError(`--tail ${value}`);
      i += used;
    } else if (arg === '--no-log-prefix') {
      prefix = false;
      i += 1;
    } else if (arg === '--no-color') {
      i += 1;
    } else if (arg.startsWith('-')) {
      throw new DockerUsageError(`compose logs: unknown option ${arg}; ${KNOWN}`);
    } else {
      services.push(arg);
      i += 1;
    }
  }
  return { kind: 'logs', tail, prefix, services };
}
