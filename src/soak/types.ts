/** The words shared by the soak load, the health watcher and its judgement. */

export type RequestKind = 'long' | 'short';

/** What is in flight at one moment; health failures are judged against it. */
export interface InFlightSnapshot {
  total: number;
  long: number;
  /** Ids of the long requests in flight, to find their outcome later. */
  longIds: number[];
}

/** One soak request; times are epoch ms. */
export interface RequestRecord {
  id: number;
  kind: RequestKind;
  promptTokens: number;
  startedAtMs: number;
  /** Null while in flight. */
  endedAtMs: number | null;
  ok: boolean | null;
  status: number | null;
}

export type HealthFailureKind = 'timeout' | 'refused' | 'network' | 'status';

/** One health probe taken during the soak. */
export interface HealthProbe {
  /** Epoch ms when the probe was sent. */
  atMs: number;
  ms: number;
  ok: boolean;
  status: number | null;
  failure: HealthFailureKind | null;
  /** One line when the probe failed: `GET /health → 503 "..."`. */
  problem: string | null;
  /** Requests in flight when the probe was sent or when it ended. */
  inFlight: InFlightSnapshot;
}

export interface HealthWatchSummary {
  path: string;
  startedAtMs: number;
  endedAtMs: number;
  intervalMs: number;
  probes: HealthProbe[];
  failed: number;
}
