import { GateError } from '../errors.js';

/** `deploy: compose`: the gate runs docker compose itself, with argv, never a shell. */
export interface ComposeDeploySpec {
  kind: 'compose';
  /** Absolute path of the compose file. */
  file: string;
  service: string;
  /** `down --volumes` at teardown. */
  downVolumes: boolean;
}

const COMPOSE_ONLY = ['compose-file', 'service', 'compose-down-volumes'] as const;

/**
 * The compose settings, validated: both file and service are needed with `deploy: compose`,
 * and neither means anything without it.
 */
export function composeDeploySpec(
  deploy: string | null,
  given: (name: string) => string | null,
  path: (p: string | null) => string | null,
): ComposeDeploySpec | null {
  if (deploy !== 'compose') {
    const stray = COMPOSE_ONLY.find((name) => given(name) !== null);
    if (stray) {
      throw new GateError(
        'usage',
        `${stray} is only used with deploy: compose`,
        'set deploy: compose, or drop the compose settings',
      );
    }
    return null;
  }
  const file = path(given('compose-file'));
  const service = given('service');
  if (!file || !service) {
    throw new GateError(
      'usage',
      `deploy: compose needs ${!file ? 'compose-file' : 'service'}`,
      'e.g. compose-file: serving/compose.yml and service: vllm (the service running the engine)',
    );
  }
  const volumes = (given('compose-down-volumes') ?? 'false').toLowerCase();
  if (volumes !== 'true' && volumes !== 'false') {
    throw new GateError('usage', `compose-down-volumes: expected true or false (got "${volumes}")`);
  }
  return { kind: 'compose', file, service, downVolumes: volumes === 'true' };
}
