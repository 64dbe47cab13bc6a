/**
 * The docker command lines of a compose deploy, as argv. `docker` is the configured
 * binary, already split into words (a stand-in may be `node cli.js simulate docker`).
 */
export interface ComposeTarget {
  docker: readonly string[];
  file: string;
  service: string;
}

const compose = (t: ComposeTarget, ...rest: string[]) => [
  ...t.docker,
  'compose',
  '-f',
  t.file,
  ...rest,
];

export function upArgv(t: ComposeTarget): string[] {
  return compose(t, 'up', '-d');
}

/** Every container of the service, stopped ones too: a crashed one must still be found. */
export function psArgv(t: ComposeTarget): string[] {
  return compose(t, 'ps', '--all', '--quiet', t.service);
}

export function inspectArgv(t: ComposeTarget, containerId: string): string[] {
  return [...t.docker, 'inspect', containerId];
}

export function logsArgv(t: ComposeTarget, lines: number): string[] {
  return compose(t, 'logs', '--no-color', '--no-log-prefix', '--tail', String(lines), t.service);
}

/**
 * The container's `die` and `oom` events since `sinceSeconds`, up to now. A restarted
 * container reports exit code 0 again in `inspect`; its events keep every exit.
 */
export function eventsArgv(
  t: ComposeTarget,
  containerId: string,
  sinceSeconds: number,
  untilSeconds: number,
): string[] {
  return [
    ...t.docker,
    'events',
    '--since',
    sinceSeconds.toFixed(3),
    '--until',
    untilSeconds.toFixed(3),
    '--filter',
    `container=${containerId}`,
    '--filter',
    'event=die',
    '--filter',
    'event=oom',
    '--format',
    '{{json .}}',
  ];
}

export function downArgv(t: ComposeTarget, volumes: boolean): string[] {
  return compose(t, 'down', ...(volumes ? ['--volumes'] : []));
}
