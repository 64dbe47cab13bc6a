import { createHash } from 'node:crypto';

/** What makes one gate's comment its own: the workflow, the job, and the config gated. */
export interface GateIdentity {
  workflow: string;
  job: string;
  config: string | null;
}

export function gateIdentity(env: NodeJS.ProcessEnv, config: string | null): GateIdentity {
  return { workflow: env.GITHUB_WORKFLOW ?? '', job: env.GITHUB_JOB ?? '', config };
}

/** For a person, in the comment's footer. */
export function describeIdentity(id: GateIdentity): string {
  return [
    id.workflow ? `workflow ${id.workflow}` : null,
    id.job ? `job ${id.job}` : null,
    id.config ? `config ${id.config}` : 'no config',
  ]
    .filter((p): p is string => p !== null)
    .join(', ');
}

/**
 * The hidden first line that finds this gate's comment again. A hash, not the names: an
 * HTML comment must not hold `--`, and config paths often do.
 */
export function commentMarker(id: GateIdentity): string {
  const key = createHash('sha256')
    .update(`${id.workflow}\n${id.job}\n${id.config ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return `<!-- serving-gate comment ${key} -->`;
}
