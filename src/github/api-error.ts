/**
 * A failed GitHub API call in words a workflow author can act on. Only the status and
 * GitHub's own message are used: never headers, never the request, so no token can leak.
 */
export function describeApiError(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  const short = message.replace(/\s+/g, ' ').slice(0, 200);
  if (status === 401) return `the token was refused (401: ${short})`;
  if (status === 403 || status === 404) {
    return (
      `the token may not comment on this pull request (${status}: ${short}); ` +
      'give the job `permissions: pull-requests: write`, or set comment: never'
    );
  }
  if (status === 422) return `GitHub refused the comment (422: ${short})`;
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError' || /aborted|timeout/i.test(message)) {
    return `the GitHub API did not answer in time (${short})`;
  }
  return `the GitHub API is unavailable (${typeof status === 'number' ? `${status}: ` : ''}${short})`;
}
