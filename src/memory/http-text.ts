import { GateError } from '../errors.js';

export type FetchFn = typeof fetch;

export interface FetchTextOptions {
  timeoutMs: number;
  fetchFn?: FetchFn;
  /** Aborts the request early, as when a sampler stops. */
  signal?: AbortSignal;
}

/**
 * GETs a text body (a `/metrics` page) with a deadline. A failure is a GateError naming
 * the URL and the reason: code 'timeout' when the deadline passed, 'endpoint' otherwise
 * (refused, not 2xx, unreadable body).
 */
export async function fetchText(url: string, options: FetchTextOptions): Promise<string> {
  const fetchFn = options.fetchFn ?? fetch;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;

  let response: Response;
  try {
    response = await fetchFn(url, { signal, headers: { accept: 'text/plain' } });
  } catch (error) {
    if (deadline.aborted) {
      throw new GateError('timeout', `GET ${url}: no answer within ${options.timeoutMs} ms`);
    }
    const reason = error instanceof Error ? describeFetchError(error) : String(error);
    throw new GateError('endpoint', `GET ${url}: ${reason}`, undefined, { cause: error });
  }

  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new GateError('endpoint', `GET ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  // The body is read whole, with no size cap: /metrics pages are tens of KiB, and the
  // deadline still bounds a server that streams without end.
  try {
    return await response.text();
  } catch (error) {
    if (deadline.aborted) {
      throw new GateError(
        'timeout',
        `GET ${url}: body not complete within ${options.timeoutMs} ms`,
      );
    }
    throw new GateError('endpoint', `GET ${url}: body unreadable`, undefined, { cause: error });
  }
}

/** Node's fetch hides the socket error (ECONNREFUSED, …) in `cause`. */
function describeFetchError(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? cause.message : error.message;
}
