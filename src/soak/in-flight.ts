/**
 * Which soak requests are in flight, read live by the health watcher. Long requests are
 * kept after they end, so the judgement can ask whether the prefill that slowed health
 * went on to complete; short ones are only counted.
 */
import type { InFlightSnapshot, RequestKind, RequestRecord } from './types.js';

export interface InFlightTracker {
  /** Marks a request as sent; returns its id. */
  begin(kind: RequestKind, promptTokens: number): number;
  end(id: number, result: { ok: boolean; status: number | null }): void;
  snapshot(): InFlightSnapshot;
  /** Long requests, ended or not, in the order they were sent. */
  longRequests(): RequestRecord[];
  /** The most requests that were ever in flight together. */
  maxInFlight(): number;
}

export function createInFlightTracker(now: () => number = Date.now): InFlightTracker {
  const open = new Map<number, RequestRecord>();
  const longs: RequestRecord[] = [];
  let nextId = 1;
  let peak = 0;

  return {
    begin(kind, promptTokens) {
      const record: RequestRecord = {
        id: nextId++,
        kind,
        promptTokens,
        startedAtMs: now(),
        endedAtMs: null,
        ok: null,
        status: null,
      };
      open.set(record.id, record);
      if (kind === 'long') longs.push(record);
      peak = Math.max(peak, open.size);
      return record.id;
    },

    end(id, result) {
      const record = open.get(id);
      if (!record) return;
      open.delete(id);
      record.endedAtMs = now();
      record.ok = result.ok;
      record.status = result.status;
    },

    snapshot() {
      const longIds = [...open.values()].filter((r) => r.kind === 'long').map((r) => r.id);
      return { total: open.size, long: longIds.length, longIds };
    },

    longRequests: () => longs.map((record) => ({ ...record })),
    maxInFlight: () => peak,
  };
}
