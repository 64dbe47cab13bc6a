/**
 * Error bodies as engines send them, reduced to one short line a person can read.
 * Pure: text in, text out.
 */

const MAX_MESSAGE_CHARS = 200;

/** Cuts a message to one line of at most `maxChars`, marking the cut. */
export function shortenText(text: string, maxChars = MAX_MESSAGE_CHARS): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= maxChars) return oneLine;
  return `${oneLine.slice(0, maxChars - 1)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The message inside a parsed error body, or null when the body has none of the known
 * shapes: vLLM's `{"error":{"message",...}}`, the older flat `{"object":"error","message"}`,
 * TGI's `{"error":"..."}` and FastAPI's `{"detail":"..."}` (SGLang).
 */
export function errorMessageOf(body: unknown): string | null {
  if (!isRecord(body)) return null;

  const error = body.error;
  if (isRecord(error)) {
    const message = nonEmptyString(error.message);
    if (message) return message;
  }
  const flat = nonEmptyString(error);
  if (flat) return flat;

  const message = nonEmptyString(body.message);
  if (message) return message;

  const detail = body.detail;
  if (nonEmptyString(detail)) return detail as string;
  if (Array.isArray(detail) && isRecord(detail[0])) return nonEmptyString(detail[0].msg);
  return null;
}

/**
 * One short line from an error response: the message of a known error body, else the
 * start of the raw text. The older flat vLLM form ends with a stray " None"; it is dropped.
 */
export function summarizeErrorBody(json: unknown, text: string): string {
  const message = errorMessageOf(json);
  if (message) return shortenText(message.replace(/\s+None$/, ''));
  if (text.trim() === '') return '(empty body)';
  return shortenText(text);
}
