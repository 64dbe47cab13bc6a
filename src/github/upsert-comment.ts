import type { CommentsApi, IssueComment } from './comments-api.js';

const PER_PAGE = 100;
/** 5,000 comments; a PR longer than that gets a new comment rather than a long search. */
const MAX_PAGES = 50;

export type UpsertOutcome =
  | { action: 'created' | 'updated'; url: string; pagesRead: number }
  | { action: 'skipped'; why: string; pagesRead: number };

/**
 * The first comment that starts with the marker, reading every page: a PR with more than
 * one page of comments must not get a second copy because the first page missed it.
 */
export async function findMarkedComment(
  api: CommentsApi,
  marker: string,
): Promise<{ found: IssueComment | null; pagesRead: number }> {
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { comments, hasNext } = await api.list(page, PER_PAGE);
    const found = comments.find((c) => c.body.trimStart().startsWith(marker));
    if (found) return { found, pagesRead: page };
    if (!hasNext || comments.length === 0) return { found: null, pagesRead: page };
  }
  return { found: null, pagesRead: MAX_PAGES };
}

/**
 * One comment per gate, updated in place. With `create: false` (a pass under
 * `comment: on-failure`) an earlier comment is still brought up to date, so a red verdict
 * never lingers above a green run, but no new comment is opened.
 */
export async function upsertComment(
  api: CommentsApi,
  marker: string,
  body: string,
  options: { create: boolean },
): Promise<UpsertOutcome> {
  const { found, pagesRead } = await findMarkedComment(api, marker);
  if (found) {
    const updated = await api.update(found.id, body);
    return { action: 'updated', url: updated.url, pagesRead };
  }
  if (!options.create) {
    return {
      action: 'skipped',
      why: 'the gate passed and there was no earlier comment',
      pagesRead,
    };
  }
  const created = await api.create(body);
  return { action: 'created', url: created.url, pagesRead };
}
