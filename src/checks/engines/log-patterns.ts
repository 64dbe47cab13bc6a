/**
 * Fatal lines in engine logs, with the figures they carry, so a reason can say "the KV
 * cache fits 23,648 tokens < max_model_len 29,000" instead of "the deployment died"
 * (failure-kinds #1 and #9). Patterns are data; scanning is pure and keeps the first hit
 * of each, whatever the log's size.
 */
import type { Reason } from '../../verdict/types.js';
import { formatCount } from '../describe.js';
import { shortenText } from '../error-body.js';

export interface LogFinding {
  id: string;
  /** One sentence with the parsed figures and what to change. */
  message: string;
  /** The log line as found, shortened. */
  line: string;
  figures: Record<string, number | string>;
}

interface LogPattern {
  id: string;
  match: RegExp;
  describe(m: RegExpExecArray): { message: string; figures: Record<string, number | string> };
}

const num = (text: string | undefined) => Number(text ?? Number.NaN);

/** Most specific first: a line that matches several patterns is reported once, as the first. */
export const LOG_PATTERNS: readonly LogPattern[] = [
  {
    // vLLM V0 and early V1
    id: 'kv-cache-too-small',
    match:
      /max seq len \((\d+)\) is larger than the maximum number of tokens that can be stored in KV cache \((\d+)\)/,
    describe: (m) => {
      const [len, fits] = [num(m[1]), num(m[2])];
      return {
        message:
          `the KV cache fits ${formatCount(fits)} tokens < max_model_len ${formatCount(len)}. ` +
          `Lower max_model_len to ≤${formatCount(fits)} or raise gpu_memory_utilization.`,
        figures: { maxModelLen: len, kvCacheTokens: fits },
      };
    },
  },
  {
    // vLLM V1: sizes in GiB, and since 2025 an estimate of the longest context that fits
    id: 'kv-cache-too-small',
    match:
      /max seq len \((\d+)\), \(([\d.]+) GiB KV cache is needed, which is larger than the available KV cache memory \(([\d.]+) GiB\)(?:\. Based on the available memory, the estimated maximum model length is (\d+))?/,
    describe: (m) => {
      const [len, needed, available] = [num(m[1]), num(m[2]), num(m[3])];
      const estimate = m[4] === undefined ? null : num(m[4]);
      return {
        message:
          `one request of max_model_len ${formatCount(len)} needs ${needed} GiB of KV cache ` +
          `but ${available} GiB is available. ` +
          (estimate === null
            ? 'Lower max_model_len or raise gpu_memory_utilization.'
            : `Lower max_model_len to ≤${formatCount(estimate)} or raise gpu_memory_utilization.`),
        figures: {
          maxModelLen: len,
          kvNeededGiB: needed,
          kvAvailableGiB: available,
          ...(estimate === null ? {} : { estimatedMaxModelLen: estimate }),
        },
      };
    },
  },
  {
    id: 'free-memory-low',
    match:
      /Free memory on device[^(]*\(([\d.]+)\/([\d.]+) GiB\) on startup is less than desired GPU memory utilization \(([\d.]+), ([\d.]+) GiB\)/,
    describe: (m) => {
      const [free, total, share, wanted] = [num(m[1]), num(m[2]), num(m[3]), num(m[4])];
      return {
        message:
          `only ${free} of ${total} GiB was free at start-up, below the ${wanted} GiB that ` +
          `gpu_memory_utilization ${share} asks for. Another process holds GPU memory ` +
          '(a previous run not torn down?), or lower gpu_memory_utilization.',
        figures: { freeGiB: free, totalGiB: total, utilization: share, wantedGiB: wanted },
      };
    },
  },
  {
    id: 'cuda-illegal-memory-access',
    match: /CUDA error: an illegal memory access was encountered/,
    describe: () => ({
      message:
        'CUDA error: an illegal memory access was encountered. The engine process may stay ' +
        'up and keep answering /health while it can no longer generate.',
      figures: {},
    }),
  },
  {
    id: 'out-of-memory',
    match: /OutOfMemoryError: CUDA out of memory\. Tried to allocate ([\d.]+ [GMK]iB)/,
    describe: (m) => ({
      message: `CUDA out of memory while allocating ${m[1]}.`,
      figures: { allocation: m[1] ?? '' },
    }),
  },
  {
    id: 'out-of-memory',
    match: /allocating ([\d.]+) MiB on device (\d+): cudaMalloc failed: out of memory/,
    describe: (m) => ({
      message: `cudaMalloc of ${m[1]} MiB on device ${m[2]} failed: out of memory.`,
      figures: { allocationMiB: num(m[1]), device: num(m[2]) },
    }),
  },
  {
    id: 'out-of-memory',
    match: /Not enough memory\. Please try to increase --mem-fraction-static/,
    describe: () => ({
      message:
        'SGLang found not enough memory for its KV cache pool; raise --mem-fraction-static ' +
        'or lower the context length.',
      figures: {},
    }),
  },
  {
    id: 'cuda-error',
    match: /CUDA error:? ([^\n]+)/,
    describe: (m) => ({
      message: `CUDA error: ${shortenText(m[1] ?? '', 120)}.`,
      figures: {},
    }),
  },
];

/** Keeps the first hit of each finding id, line by line; a line gives one finding at most. */
export class LogScanner {
  private readonly found = new Map<string, LogFinding>();

  push(line: string): void {
    for (const pattern of LOG_PATTERNS) {
      const m = pattern.match.exec(line);
      if (!m) continue;
      if (!this.found.has(pattern.id)) {
        this.found.set(pattern.id, {
          id: pattern.id,
          line: shortenText(line, 240),
          ...pattern.describe(m),
        });
      }
      return;
    }
  }

  findings(): LogFinding[] {
    return [...this.found.values()];
  }
}

export function scanLogLines(lines: Iterable<string>): LogFinding[] {
  const scanner = new LogScanner();
  for (const line of lines) scanner.push(line);
  return scanner.findings();
}

/**
 * A fatal line fails the gate: the engine says in its own words that it cannot serve. A
 * CUDA error already named by a more specific finding is not repeated.
 */
export function logReasons(findings: readonly LogFinding[], source: string): Reason[] {
  const ids = new Set(findings.map((f) => f.id));
  return findings
    .filter((f) => !(f.id === 'cuda-error' && ids.has('cuda-illegal-memory-access')))
    .map((finding) => ({
      rule: 'engine-log',
      severity: 'fail',
      message: `Engine log (${source}): ${finding.message} Line: "${finding.line}"`,
      figures: { finding: finding.id, ...finding.figures },
    }));
}
