import { GateError } from '../errors.js';
import { parseDuration, parseSizeMiB } from '../units.js';

/** What the memory analysis holds a candidate to. Every limit is per GPU and per metric. */
export interface MemoryPolicy {
  /** Retained BAR1 growth after warm-up (settled − post-warm-up baseline) that fails. */
  maxBar1GrowthMiB: number;
  /** The same for FB, a MIG instance's FB, or the sum of process memory. */
  maxFbGrowthMiB: number;
  /** Fail when memory is projected to run out sooner than this at the soak's rate. */
  exhaustionHorizonHours: number;
  /** Share (0..1] of a GPU's total that growth must not carry a series past. */
  memoryCeiling: number;
  /** Samples of the soak's start left out of the trend: requests, seconds, or both. */
  warmup: { requests?: number; seconds?: number };
  /** When true, a GPU that cannot be measured makes the analysis `unmeasured`. */
  memoryRequired: boolean;
}

/**
 * BAR1 is an address window, and running out of it can hard-lock the host (failure kind 7):
 * 0.9 of each GPU's own BAR1 total is the most a series may grow into, whatever
 * `memoryCeiling` says.
 */
export const BAR1_CEILING = 0.9;

/**
 * Defaults, chosen for the story's GPU (8 GiB BAR1, 2.5 GiB of it taken by the model) and
 * checked against the corpus in bench/detect.ts:
 *
 * - max-bar1-growth 512 MiB: a sixteenth of an 8 GiB BAR1, about two of the story's
 *   long-request leaks. Benign one-time growth that outlives warm-up (a late CUDA-graph
 *   capture, an allocator segment) is usually a few hundred MiB.
 * - max-fb-growth 1024 MiB: FB holds what grows benignly (KV blocks kept warm, a caching
 *   allocator's segments for new batch shapes), and on boards where BAR1 mirrors FB the
 *   BAR1 limit speaks first anyway. FB alone is judged where BAR1 is small and flat (no
 *   resizable BAR) or unreadable (WDDM, WSL2); slow FB leaks are the trend rule's job.
 * - exhaustion-horizon 24 h: a leak that kills the server within a day of production
 *   traffic is an outage before the next release; beyond a day it is a warning.
 * - memory-ceiling 0.95: only growth into the ceiling fails (see rules.ts), so an engine
 *   that reserves 90–95% of FB up front and stays flat passes; above 95% the CUDA context
 *   and a single long-context activation can already push FB over.
 * - warmup 10 requests and 60 s, whichever ends later: the checks have already sent a
 *   near-maximum long-context request, but caching allocators keep growing for new batch
 *   shapes in the first minutes of load. The bench's slowest allocator ramps (time constant
 *   6 requests) are 80% done after 10; with 5, six-minute soaks blocked some of them.
 *   Automatic detection (warmup.ts) extends the warm-up when a ramp lasts longer.
 * - memory required: a metric that cannot be read is never a silent pass.
 */
export const DEFAULT_MEMORY_POLICY: MemoryPolicy = {
  maxBar1GrowthMiB: 512,
  maxFbGrowthMiB: 1024,
  exhaustionHorizonHours: 24,
  memoryCeiling: 0.95,
  warmup: { requests: 10, seconds: 60 },
  memoryRequired: true,
};

/** The input and flag names the policy is read from. */
export type MemoryPolicyInput =
  | 'max-bar1-growth'
  | 'max-fb-growth'
  | 'exhaustion-horizon'
  | 'memory-ceiling'
  | 'warmup'
  | 'memory';

export const MEMORY_POLICY_INPUTS: readonly MemoryPolicyInput[] = [
  'max-bar1-growth',
  'max-fb-growth',
  'exhaustion-horizon',
  'memory-ceiling',
  'warmup',
  'memory',
];

/** `0.9` or `90%`: a share in (0, 1]. */
export function parseShare(text: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
  if (!(share > 0 && share <= 1)) {
    throw new GateError(
      'usage',
      `${name}: "${text}" is not a share of the GPU's memory`,
      'use a fraction above 0 and at most 1, or a percentage: 0.95 or 95%',
    );
  }
  return share;
}

/** `5` or `5 requests` (requests), `30s` or `2m` (time). */
export function parseWarmup(text: string, name: string): MemoryPolicy['warmup'] {
  const requests = /^\s*(\d+)\s*(requests?)?\s*$/i.exec(text);
  if (requests) return { requests: Number(requests[1]) };
  // A duration needs its unit: a bare `0.5` could mean either.
  if (/^\s*\d+(\.\d+)?\s*[a-z]/i.test(text)) {
    try {
      return { seconds: parseDuration(text.replace(/\s+/g, ''), name) / 1000 };
    } catch {
      // The message below names both forms.
    }
  }
  throw new GateError(
    'usage',
    `${name}: "${text}" is not a warm-up`,
    'use a whole number of requests (10) or a duration with its unit (30s, 2m)',
  );
}

function parseGrowth(text: string, name: string): number {
  const mib = parseSizeMiB(text, name);
  if (mib <= 0) {
    throw new GateError('usage', `${name}: "${text}" must be above 0`, 'such as 512MiB or 1GiB');
  }
  return mib;
}

function parseHorizonHours(text: string, name: string): number {
  const ms = parseDuration(text, name);
  if (ms <= 0) {
    throw new GateError('usage', `${name}: "${text}" must be above 0`, 'such as 24h or 90m');
  }
  return ms / 3_600_000;
}

function parseRequired(text: string, name: string): boolean {
  const word = text.trim().toLowerCase();
  if (word === 'required') return true;
  if (word === 'optional') return false;
  throw new GateError(
    'usage',
    `${name}: "${text}" is neither required nor optional`,
    'use required (an unreadable GPU fails the gate) or optional (it is a warning)',
  );
}

/**
 * Reads the policy from action inputs or CLI flags given as text. Missing or empty values
 * keep `base`; a bad value throws GateError('usage') naming the input (as `label` spells it:
 * `--warmup` for a flag) and what is valid.
 */
export function parseMemoryPolicy(
  values: Partial<Record<MemoryPolicyInput, string | undefined>>,
  base: MemoryPolicy = DEFAULT_MEMORY_POLICY,
  label: (input: MemoryPolicyInput) => string = (input) => input,
): MemoryPolicy {
  const given = (key: MemoryPolicyInput): string | undefined => {
    const text = values[key];
    return text === undefined || text.trim() === '' ? undefined : text;
  };
  const read = <T>(key: MemoryPolicyInput, parse: (t: string, n: string) => T, fallback: T): T => {
    const text = given(key);
    return text === undefined ? fallback : parse(text, label(key));
  };

  return {
    maxBar1GrowthMiB: read('max-bar1-growth', parseGrowth, base.maxBar1GrowthMiB),
    maxFbGrowthMiB: read('max-fb-growth', parseGrowth, base.maxFbGrowthMiB),
    exhaustionHorizonHours: read(
      'exhaustion-horizon',
      parseHorizonHours,
      base.exhaustionHorizonHours,
    ),
    memoryCeiling: read('memory-ceiling', parseShare, base.memoryCeiling),
    warmup: read('warmup', parseWarmup, base.warmup),
    memoryRequired: read('memory', parseRequired, base.memoryRequired),
  };
}
