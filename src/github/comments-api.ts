import { getOctokit } from '@actions/github';
import type { PullRequestRef } from './pull-request.js';

/** Each GitHub API call gives up after this long: a hung API must not hold the runner. */
export const API_CALL_TIMEOUT_MS = 10_000;

export interface IssueComment {
  id: number;
  body: string;
  url: string;
}

/** The three REST calls the PR comment needs, so tests can stand in for GitHub. */
export interface CommentsApi {
  /** One page of the PR's comments, oldest first, and whether the Link header names a next. */
  list(page: number, perPage: number): Promise<{ comments: IssueComment[]; hasNext: boolean }>;
  create(body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
}

interface RawComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

function comment(raw: RawComment): IssueComment {
  return { id: raw.id, body: raw.body ?? '', url: raw.html_url ?? '' };
}

/** A `Link` header's `rel="next"`, as GitHub sends it on every page but the last. */
export function hasNextLink(link: string | undefined): boolean {
  return link !== undefined && /<[^>]*>\s*;\s*rel="next"/.test(link);
}

/**
 * The GitHub REST API through Octokit, at `baseUrl` (GITHUB_API_URL: github.com or a GHES
 * host). The token is sent as a header only; Octokit redacts it from the errors it throws.
 */
export function octokitCommentsApi(
  token: string,
  baseUrl: string,
  pr: PullRequestRef,
  timeoutMs = API_CALL_TIMEOUT_MS,
): CommentsApi {
  const octokit = getOctokit(token, { baseUrl });
  const where = { owner: pr.owner, repo: pr.repo };
  const deadline = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  return {
    async list(page, perPage) {
      const response = await octokit.rest.issues.listComments({
        ...where,
        issue_number: pr.number,
        per_page: perPage,
        page,
        request: deadline(),
      });
      return {
        comments: response.data.map(comment),
        hasNext: hasNextLink(response.headers.link),
      };
    },
    async create(body) {
      const response = await octokit.rest.issues.createComment({
        ...where,
        issue_number: pr.number,
        body,
        request: deadline(),
      });
      return comment(response.data);
    },
    async update(id, body) {
      const response = await octokit.rest.issues.updateComment({
        ...where,
        comment_id: id,
        body,
        request: deadline(),
      });
      return comment(response.data);
    },
  };
}
