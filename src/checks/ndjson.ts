/**
 * Newline-delimited JSON (Ollama's streams), split incrementally and without I/O in the
 * shape the SSE parser gives, so the stream reader treats both framings alike.
 */
import type { SseEvent, SseSplit } from './sse.js';

function frames(lines: string[]): SseEvent[] {
  return lines.filter((line) => line.trim() !== '').map((line) => ({ event: null, data: line }));
}

/** Adds `chunk` to what was left over and returns the complete lines as events. */
export function splitNdjson(rest: string, chunk: string): SseSplit {
  const lines = (rest + chunk).split(/\r?\n/);
  const last = lines.pop() ?? '';
  return { events: frames(lines), rest: last };
}

/** The line left when the stream ends without a final newline. */
export function flushNdjson(rest: string): SseEvent[] {
  return frames([rest]);
}
