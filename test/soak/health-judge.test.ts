import { describe, expect, it } from 'vitest';
import { healthEpisodes, judgeHealth } from '../../src/soak/health-judge.js';
import type { HealthProbe, HealthWatchSummary, RequestRecord } from '../../src/soak/types.js';

const T0 = 1_700_000_000_000;
const INTERVAL_MS = 5000;

type ProbeSpec = 'ok' | 'timeout' | '503';

/**
 * One probe per 5 s. `long` names the long request in flight (by id) at each probe, or
 * null; `short` adds short requests in flight.
 */
function watch(
  specs: { probe: ProbeSpec; long?: number | null; short?: number }[],
): HealthWatchSummary {
  const probes: HealthProbe[] = specs.map((spec, i) => {
    const longIds = spec.long ? [spec.long] : [];
    const ok = spec.probe === 'ok';
    return {
      atMs: T0 + i * INTERVAL_MS,
      ms: spec.probe === 'timeout' ? 5000 : 3,
      ok,
      status: spec.probe === '503' ? 503 : ok ? 200 : null,
      failure: ok ? null : spec.probe === '503' ? 'status' : 'timeout',
      problem: ok ? null : 'GET /health → …',
      inFlight: { total: longIds.length + (spec.short ?? 0), long: longIds.length, longIds },
    };
  });
  return {
    path: '/health',
    startedAtMs: T0,
    endedAtMs: T0 + specs.length * INTERVAL_MS,
    intervalMs: INTERVAL_MS,
    probes,
    failed: probes.filter((p) => !p.ok).length,
  };
}

function longRequest(
  id: number,
  outcome: { ok: boolean | null; status: number | null },
): RequestRecord {
  return {
    id,
    kind: 'long',
    promptTokens: 120_000,
    startedAtMs: T0,
    endedAtMs: outcome.ok === null ? null : T0 + 40_000,
    ...outcome,
  };
}

const completed = longRequest(1, { ok: true, status: 200 });

describe('judgeHealth', () => {
  it('has nothing to say when every probe passed', () => {
    expect(judgeHealth(watch([{ probe: 'ok' }, { probe: 'ok', long: 1 }]), [completed])).toEqual(
      [],
    );
  });

  it('warns, not fails, when health fails only during a long prefill that completes', () => {
    const summary = watch([
      { probe: 'ok' },
      { probe: 'timeout', long: 1 },
      { probe: '503', long: 1 },
      { probe: 'timeout', long: 1, short: 2 },
      { probe: 'ok' },
    ]);

    const reasons = judgeHealth(summary, [completed]);

    expect(reasons).toEqual([
      {
        rule: 'health-slow-during-prefill',
        severity: 'warn',
        message:
          'Health probe unresponsive/503 for 15s while a 120K-token prefill was in flight; ' +
          'request completed 200. Not counted as flapping.',
        figures: { episodes: 1, failedProbes: 3, longestMs: 15_000, promptTokens: 120_000 },
      },
    ]);
  });

  it('sums up several prefill episodes in one warning, showing the longest', () => {
    const second = longRequest(2, { ok: true, status: 200 });
    const summary = watch([
      { probe: 'timeout', long: 1 },
      { probe: 'ok' },
      { probe: 'timeout', long: 2 },
      { probe: 'timeout', long: 2 },
      { probe: 'ok' },
    ]);

    const [reason] = judgeHealth(summary, [completed, second]);

    expect(reason?.rule).toBe('health-slow-during-prefill');
    expect(reason?.message).toContain('for 10s');
    expect(reason?.message).toContain('2 such episodes; the longest is shown.');
  });

  it('fails when health fails with nothing in flight', () => {
    const summary = watch([{ probe: 'ok' }, { probe: '503' }, { probe: '503' }, { probe: 'ok' }]);

    const reasons = judgeHealth(summary, []);

    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({
      rule: 'health-lost',
      severity: 'fail',
      message:
        'Health lost: GET /health 503 for 10s at T+5s with no request in flight; 2 of 4 probes failed.',
      figures: { firstCause: 'idle' },
    });
  });

  it('fails when only short requests were in flight', () => {
    const reasons = judgeHealth(watch([{ probe: 'timeout', short: 3 }, { probe: 'ok' }]), []);
    expect(reasons[0]?.message).toContain('with only short requests in flight');
  });

  it('fails when the failures go on after the long request completed', () => {
    const summary = watch([{ probe: 'timeout', long: 1 }, { probe: 'timeout' }, { probe: 'ok' }]);
    const reasons = judgeHealth(summary, [completed]);
    expect(reasons[0]).toMatchObject({ rule: 'health-lost', figures: { firstCause: 'outlasted' } });
    expect(reasons[0]?.message).toContain('went on after the long requests had finished');
  });

  it('fails when the long request in flight itself failed', () => {
    const failed = longRequest(1, { ok: false, status: 500 });
    const reasons = judgeHealth(watch([{ probe: 'timeout', long: 1 }, { probe: 'ok' }]), [failed]);
    expect(reasons[0]?.message).toContain(
      'while the in-flight 120K-token request itself failed (500)',
    );
  });

  it('fails when health had not come back by the last probe', () => {
    const reasons = judgeHealth(watch([{ probe: 'ok' }, { probe: 'timeout', long: 1 }]), [
      completed,
    ]);
    expect(reasons[0]).toMatchObject({ rule: 'health-lost', figures: { firstCause: 'persisted' } });
  });

  it('gives both a failure and a warning when a run has both kinds of episode', () => {
    const summary = watch([
      { probe: 'timeout', long: 1 },
      { probe: 'ok' },
      { probe: '503' },
      { probe: 'ok' },
    ]);
    expect(judgeHealth(summary, [completed]).map((r) => r.rule)).toEqual([
      'health-lost',
      'health-slow-during-prefill',
    ]);
  });

  it('never passes silently when no probe was taken', () => {
    const reasons = judgeHealth(watch([]), []);
    expect(reasons).toEqual([
      expect.objectContaining({ rule: 'health-unmeasured', severity: 'warn' }),
    ]);
  });
});

describe('healthEpisodes', () => {
  it('groups consecutive failed probes and times them until health came back', () => {
    const summary = watch([
      { probe: 'ok' },
      { probe: '503' },
      { probe: 'timeout' },
      { probe: 'ok' },
    ]);
    expect(healthEpisodes(summary, [])).toEqual([
      {
        startMs: T0 + 5000,
        durationMs: 10_000,
        failedProbes: 2,
        labels: ['503', 'unresponsive'],
        cause: 'idle',
        longRequests: [],
      },
    ]);
  });
});
