/**
 * Judges the health probes of a soak. Some engines cannot answer `/health` while a long
 * prompt is in prefill (SGLang's health runs a generation; TGI's answers slowly): failures
 * covered by a long request that then completes are a warning. Failures with nothing long
 * in flight, or that outlast the requests, or whose request itself failed, are lost health.
 */
import { formatTokensShort } from '../checks/describe.js';
import { formatDuration } from '../units.js';
import type { Reason } from '../verdict/types.js';
import type { HealthProbe, HealthWatchSummary, RequestRecord } from './types.js';

export type EpisodeCause =
  /** Covered by long requests that completed, and health came back: not flapping. */
  | 'prefill'
  | 'idle'
  | 'short-only'
  /** Began under a long request and went on after the long requests ended. */
  | 'outlasted'
  | 'request-failed'
  /** Still failing at the last probe. */
  | 'persisted';

/** A run of consecutive failed probes. */
export interface HealthEpisode {
  startMs: number;
  durationMs: number;
  failedProbes: number;
  /** `unresponsive`, `503`, ...: what the failed probes saw. */
  labels: string[];
  cause: EpisodeCause;
  /** The long requests in flight during the episode. */
  longRequests: RequestRecord[];
}

function labelOf(probe: HealthProbe): string {
  if (probe.failure === 'timeout') return 'unresponsive';
  if (probe.failure === 'refused') return 'refusing connections';
  if (probe.failure === 'network') return 'unreachable';
  return String(probe.status);
}

function causeOf(failed: HealthProbe[], longs: RequestRecord[], cleared: boolean): EpisodeCause {
  const uncovered = failed.find((p) => p.inFlight.long === 0);
  if (uncovered) {
    if (failed[0]!.inFlight.long > 0) return 'outlasted';
    return uncovered.inFlight.total === 0 ? 'idle' : 'short-only';
  }
  if (longs.some((r) => r.ok === false)) return 'request-failed';
  if (!cleared || longs.some((r) => r.ok === null)) return 'persisted';
  return 'prefill';
}

/** Groups the failed probes into episodes and says what each one was. Pure. */
export function healthEpisodes(
  summary: HealthWatchSummary,
  longRequests: readonly RequestRecord[],
): HealthEpisode[] {
  const byId = new Map(longRequests.map((r) => [r.id, r]));
  const episodes: HealthEpisode[] = [];
  let run: HealthProbe[] = [];

  const close = (next: HealthProbe | undefined) => {
    if (run.length === 0) return;
    const first = run[0]!;
    const last = run[run.length - 1]!;
    const ids = new Set(run.flatMap((p) => p.inFlight.longIds));
    const longs = [...ids].map((id) => byId.get(id)).filter((r) => r !== undefined);
    const endMs = next ? next.atMs : last.atMs + last.ms;
    episodes.push({
      startMs: first.atMs,
      durationMs: endMs - first.atMs,
      failedProbes: run.length,
      labels: [...new Set(run.map(labelOf))],
      cause: causeOf(run, longs, next !== undefined),
      longRequests: longs,
    });
    run = [];
  };

  for (const probe of summary.probes) {
    if (probe.ok) close(probe);
    else run.push(probe);
  }
  close(undefined);
  return episodes;
}

function longest(episodes: HealthEpisode[]): HealthEpisode {
  return episodes.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
}

function promptTokensOf(episode: HealthEpisode): number {
  return Math.max(0, ...episode.longRequests.map((r) => r.promptTokens));
}

function prefillMessage(episodes: HealthEpisode[]): string {
  const worst = longest(episodes);
  const tokens = formatTokensShort(promptTokensOf(worst));
  const count = worst.longRequests.length;
  const what =
    count === 1
      ? `a ${tokens}-token prefill was in flight`
      : `${count} long prefills (up to ${tokens} tokens) were in flight`;
  const statuses = [...new Set(worst.longRequests.map((r) => r.status))].join('/');
  const completed = `${count === 1 ? 'request' : 'requests'} completed ${statuses}`;
  const more =
    episodes.length > 1 ? ` ${episodes.length} such episodes; the longest is shown.` : '';
  return (
    `Health probe ${worst.labels.join('/')} for ${formatDuration(worst.durationMs)} while ` +
    `${what}; ${completed}. Not counted as flapping.${more}`
  );
}

function causeText(episode: HealthEpisode): string {
  switch (episode.cause) {
    case 'idle':
      return 'with no request in flight';
    case 'short-only':
      return 'with only short requests in flight';
    case 'outlasted':
      return 'and it went on after the long requests had finished';
    case 'request-failed': {
      const failed = episode.longRequests.find((r) => r.ok === false);
      const tokens = formatTokensShort(failed?.promptTokens ?? 0);
      const status = failed?.status ?? 'no answer';
      return `while the in-flight ${tokens}-token request itself failed (${status})`;
    }
    case 'persisted':
      return 'and it had not recovered when the watch ended';
    case 'prefill':
      return 'while a long prefill was in flight';
  }
}

function lostMessage(summary: HealthWatchSummary, lost: HealthEpisode[]): string {
  const first = lost[0]!;
  const at = formatDuration(Math.max(0, first.startMs - summary.startedAtMs));
  const failedProbes = lost.reduce((n, e) => n + e.failedProbes, 0);
  const episodes = lost.length > 1 ? ` in ${lost.length} episodes` : '';
  return (
    `Health lost: GET ${summary.path} ${first.labels.join('/')} for ` +
    `${formatDuration(first.durationMs)} at T+${at} ${causeText(first)}; ` +
    `${failedProbes} of ${summary.probes.length} probes failed${episodes}.`
  );
}

/**
 * Reasons from the health watch: `health-lost` (fail) and `health-slow-during-prefill`
 * (warn), at most one of each; `health-unmeasured` (warn) when no probe was taken.
 */
export function judgeHealth(
  summary: HealthWatchSummary,
  longRequests: readonly RequestRecord[],
): Reason[] {
  if (summary.probes.length === 0) {
    const message = `Health was not probed during the soak; GET ${summary.path} unmeasured.`;
    return [{ rule: 'health-unmeasured', severity: 'warn', message }];
  }

  const episodes = healthEpisodes(summary, longRequests);
  const lost = episodes.filter((e) => e.cause !== 'prefill');
  const slow = episodes.filter((e) => e.cause === 'prefill');
  const reasons: Reason[] = [];

  if (lost.length > 0) {
    reasons.push({
      rule: 'health-lost',
      severity: 'fail',
      message: lostMessage(summary, lost),
      figures: {
        episodes: lost.length,
        failedProbes: lost.reduce((n, e) => n + e.failedProbes, 0),
        probes: summary.probes.length,
        firstCause: lost[0]!.cause,
        longestMs: longest(lost).durationMs,
      },
    });
  }
  if (slow.length > 0) {
    reasons.push({
      rule: 'health-slow-during-prefill',
      severity: 'warn',
      message: prefillMessage(slow),
      figures: {
        episodes: slow.length,
        failedProbes: slow.reduce((n, e) => n + e.failedProbes, 0),
        longestMs: longest(slow).durationMs,
        promptTokens: promptTokensOf(longest(slow)),
      },
    });
  }
  return reasons;
}
