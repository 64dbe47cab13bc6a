import { describeApiError } from '../github/api-error.js';
import type { CommentMode } from '../github/comment-mode.js';
import type { CommentsApi } from '../github/comments-api.js';
import { commentMarker, describeIdentity, gateIdentity } from '../github/marker.js';
import { findPullRequest, type PullRequestRef, runUrl } from '../github/pull-request.js';
import { upsertComment } from '../github/upsert-comment.js';
import { renderComment } from '../report/comment.js';
import type { GateResults } from '../report/results.js';

export interface CommentDeps {
  env: NodeJS.ProcessEnv;
  mode: CommentMode;
  token: string;
  readFile: (path: string) => string;
  api: (token: string, baseUrl: string, pr: PullRequestRef) => CommentsApi;
  log: { info(line: string): void; warning(line: string): void };
}

/**
 * The PR comment, as a side effect that can only warn: a read-only token, a fork's PR or
 * an API outage is logged and the verdict stands. Resolves to what happened, for the log
 * and for tests.
 */
export async function publishComment(results: GateResults, deps: CommentDeps): Promise<string> {
  const { env, log } = deps;
  if (deps.mode === 'never') return 'comment: never';

  const lookup = findPullRequest(env, deps.readFile);
  if (lookup.kind === 'none') {
    log.info(`No PR comment: ${lookup.why}.`);
    return lookup.why;
  }
  const pr = lookup.pr;
  const create = deps.mode === 'always' || results.verdict !== 'pass';
  // A fork's `pull_request` run gets a read-only token: asking would only earn a 403.
  if (pr.fromFork && pr.eventName === 'pull_request') {
    if (create) {
      log.warning(
        `No PR comment on #${pr.number}: it comes from a fork, and a pull_request run from a ` +
          'fork gets a read-only token. The verdict is in the job summary.',
      );
    }
    return 'fork';
  }
  if (!deps.token) {
    log.warning('No PR comment: the github-token input is empty.');
    return 'no token';
  }

  const identity = gateIdentity(env, results.config);
  const marker = commentMarker(identity);
  const body = renderComment(results, {
    marker,
    runUrl: runUrl(env),
    identity: describeIdentity(identity),
  });
  try {
    const api = deps.api(deps.token, env.GITHUB_API_URL || 'https://api.github.com', pr);
    const outcome = await upsertComment(api, marker, body, { create });
    const line =
      outcome.action === 'skipped'
        ? `No PR comment on #${pr.number}: ${outcome.why}.`
        : `PR comment ${outcome.action} on #${pr.number}: ${outcome.url}`;
    log.info(line);
    return outcome.action;
  } catch (error) {
    log.warning(`The PR comment on #${pr.number} was not posted: ${describeApiError(error)}.`);
    return 'failed';
  }
}
