/**
 * Why an engine died, read from its last log lines: the line a person would look for
 * first. Engines print a long traceback; what matters is the exception at its end or a
 * known fatal message (CUDA OOM, KV cache too small, a CUDA error).
 */
import { shortenText } from '../checks/error-body.js';

/** Most telling first: an OOM names the fix, a generic error line names little. */
const PATTERNS: readonly RegExp[] = [
  /.*(OutOfMemoryError|CUDA out of memory).*/,
  /.*larger than the maximum number of tokens that can be stored in KV cache.*/,
  /.*No available memory for the cache blocks.*/,
  /.*CUDA error: .*/,
  /^\s*[A-Za-z_][\w.]*(Error|Exception): .+/,
  /.*\b(FATAL|CRITICAL|panic|Segmentation fault|core dumped)\b.*/i,
  /.*\bERROR\b.*/,
];

/** The reason in the last lines, or null when none of them says. */
export function exitReasonFromLogs(lines: readonly string[]): string | null {
  const recent = lines
    .slice(-200)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const pattern of PATTERNS) {
    for (let i = recent.length - 1; i >= 0; i--) {
      const match = pattern.exec(recent[i]!);
      if (match) return shortenText(match[0].trim(), 200);
    }
  }
  return null;
}
