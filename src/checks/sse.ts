/**
 * Server-sent events, parsed incrementally and without I/O: feed the text as it arrives,
 * get back the events that are complete. Comments (`: ping`) carry no data and are dropped;
 * what the data means is the engine profile's business, not this parser's.
 *
 * One departure from the standard: llama.cpp's server writes an error inside a stream as an
 * `error: {…}` line, a field the standard says to ignore. Ignoring it would turn the error
 * into a stream that merely stopped, so it is kept as an event named `error`.
 */

export interface SseEvent {
  /** The `event:` field, when the server named the event. */
  event: string | null;
  /** The `data:` lines of the event, joined with newlines. */
  data: string;
}

export interface SseSplit {
  events: SseEvent[];
  /** Text of an event not yet complete; pass it back in with the next chunk. */
  rest: string;
}

function parseBlock(block: string): SseEvent | null {
  let event: string | null = null;
  const data: string[] = [];
  const errors: string[] = [];

  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'error') errors.push(value);
  }
  if (data.length > 0) return { event, data: data.join('\n') };
  return errors.length > 0 ? { event: 'error', data: errors.join('\n') } : null;
}

/**
 * Adds `chunk` to what was left over and returns the complete events. Lines may end in
 * `\n`, `\r\n` or `\r`; a `\r` at the very end is kept back, since its `\n` may come next.
 */
export function splitSse(rest: string, chunk: string): SseSplit {
  let text = rest + chunk;
  let heldBack = '';
  if (text.endsWith('\r')) {
    heldBack = '\r';
    text = text.slice(0, -1);
  }
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const last = blocks.pop() ?? '';

  const events: SseEvent[] = [];
  for (const block of blocks) {
    const event = parseBlock(block);
    if (event) events.push(event);
  }
  return { events, rest: last + heldBack };
}

/**
 * The event left in `rest` when the stream ends. Strictly it should be dropped, but some
 * servers close without the final blank line and the last event is the one that matters.
 */
export function flushSse(rest: string): SseEvent[] {
  const event = parseBlock(rest.replace(/\r\n?/g, '\n'));
  return event ? [event] : [];
}
