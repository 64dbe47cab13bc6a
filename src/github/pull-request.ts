/** The pull request a workflow run is about, read from the runner's event file. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  /** The head branch lives in another repository. */
  fromFork: boolean;
  eventName: string;
}

export type PullRequestLookup =
  | { kind: 'pull-request'; pr: PullRequestRef }
  | { kind: 'none'; why: string };

interface EventShape {
  pull_request?: {
    number?: unknown;
    head?: { repo?: { full_name?: unknown } | null };
    base?: { repo?: { full_name?: unknown } | null };
  };
  issue?: { number?: unknown; pull_request?: unknown };
}

/**
 * Which PR to comment on: `pull_request` and `pull_request_target` events carry it, and so
 * does an `issue_comment` on a PR. Anything else (a push, a schedule) has none.
 */
export function findPullRequest(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string,
): PullRequestLookup {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return { kind: 'none', why: 'GITHUB_REPOSITORY is not set' };
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { kind: 'none', why: 'GITHUB_EVENT_PATH is not set' };

  let event: EventShape;
  try {
    event = JSON.parse(readFile(path)) as EventShape;
  } catch (error) {
    return { kind: 'none', why: `the event file could not be read (${(error as Error).message})` };
  }
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const pr = event.pull_request;
  const number =
    typeof pr?.number === 'number'
      ? pr.number
      : event.issue?.pull_request && typeof event.issue.number === 'number'
        ? event.issue.number
        : null;
  if (number === null) {
    return { kind: 'none', why: `this run is not about a pull request (${eventName || 'event'})` };
  }
  const head = pr?.head?.repo?.full_name;
  const base = pr?.base?.repo?.full_name;
  // A deleted fork leaves head.repo null: still not this repository.
  const fromFork = pr !== undefined && (typeof head !== 'string' || head !== base);
  return { kind: 'pull-request', pr: { owner, repo, number, fromFork, eventName } };
}

/** The run's page, where the job summary is; null outside Actions. */
export function runUrl(env: NodeJS.ProcessEnv): string | null {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return null;
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
