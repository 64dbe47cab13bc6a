import { describe, expect, it } from 'vitest';
import { createInFlightTracker } from '../../src/soak/in-flight.js';

describe('createInFlightTracker', () => {
  it('counts requests in flight, long ones by id', () => {
    const tracker = createInFlightTracker(() => 1000);
    const long = tracker.begin('long', 120_000);
    tracker.begin('short', 32);

    expect(tracker.snapshot()).toEqual({ total: 2, long: 1, longIds: [long] });

    tracker.end(long, { ok: true, status: 200 });
    expect(tracker.snapshot()).toEqual({ total: 1, long: 0, longIds: [] });
  });

  it('keeps ended long requests with their outcome, and no short ones', () => {
    let clock = 1000;
    const tracker = createInFlightTracker(() => clock);
    const id = tracker.begin('long', 120_000);
    tracker.end(tracker.begin('short', 32), { ok: true, status: 200 });
    clock = 36_000;
    tracker.end(id, { ok: false, status: 500 });

    expect(tracker.longRequests()).toEqual([
      {
        id,
        kind: 'long',
        promptTokens: 120_000,
        startedAtMs: 1000,
        endedAtMs: 36_000,
        ok: false,
        status: 500,
      },
    ]);
  });

  it('remembers the most requests in flight at once', () => {
    const tracker = createInFlightTracker();
    const ids = [tracker.begin('short', 1), tracker.begin('short', 1), tracker.begin('long', 9)];
    for (const id of ids) tracker.end(id, { ok: true, status: 200 });
    tracker.begin('short', 1);
    expect(tracker.maxInFlight()).toBe(3);
  });
});
