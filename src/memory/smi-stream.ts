import { broken, classifyBrokenLine } from './smi-broken.js';
import { parseSmiXml, truncatedDocument } from './smi-xml.js';
import type { SmiReading } from './types.js';

/**
 * Where a document may begin: its prolog (every loop-mode document has its own), or, for
 * drivers that print none, the DOCTYPE or the root element. The closing tag ends it.
 */
const TOKENS = /<\?xml|<!DOCTYPE nvidia_smi_log|<nvidia_smi_log[\s>]|<\/nvidia_smi_log>/g;
const START = /<\?xml|<!DOCTYPE nvidia_smi_log|<nvidia_smi_log[\s>]/;
/** Longer than any token, so a token cut by a chunk boundary is scanned again whole. */
const TOKEN_OVERLAP = 24;
/**
 * A full document is ~45 KB per GPU; a buffer far beyond that means the stream is not
 * nvidia-smi output, and holding it would grow without bound.
 */
const MAX_BUFFER_CHARS = 32 * 1024 * 1024;

/**
 * Splits `nvidia-smi -q -x -lms N` output into readings as it arrives. Chunks may be cut
 * anywhere (inside a tag or a UTF-8 character). Lines between documents that a broken
 * driver prints are named; a document cut short by the next one, or by the end of the
 * stream, is `truncated`.
 */
export class SmiStreamSplitter {
  #decoder = new TextDecoder('utf-8');
  #buffer = '';
  #inDocument = false;
  #rootSeen = false;
  #scanFrom = 0;
  // Within one run of lines between documents: a known line was seen (later unknown lines
  // are its continuation, such as "NVML library version: …"), or garbage was reported.
  #blockNamed = false;
  #blockGarbage = false;

  /** Feeds bytes (decoded here, across chunk boundaries) or text the caller decoded. */
  push(chunk: string | Uint8Array): SmiReading[] {
    this.#buffer +=
      typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /** Ends the stream: an unfinished document becomes `truncated`. */
  end(): SmiReading[] {
    this.#buffer += this.#decoder.decode();
    const out = this.#drain(true);
    if (this.#inDocument && this.#buffer.trim() !== '') out.push(truncatedDocument(this.#buffer));
    this.#buffer = '';
    this.#inDocument = false;
    return out;
  }

  #drain(final: boolean): SmiReading[] {
    const out: SmiReading[] = [];
    for (;;) {
      if (!this.#inDocument && !this.#enterDocument(final, out)) break;
      if (!this.#finishDocument(out)) break;
    }
    if (this.#buffer.length > MAX_BUFFER_CHARS) {
      out.push(
        broken(
          'garbage',
          `nvidia-smi output: ${this.#buffer.length} characters without a complete document`,
        ),
      );
      this.#buffer = '';
      this.#inDocument = false;
    }
    return out;
  }

  /** Reads the lines before the next document; true when a document has begun. */
  #enterDocument(final: boolean, out: SmiReading[]): boolean {
    const start = this.#buffer.search(START);
    if (start < 0) {
      // Keep an unfinished last line: it may be the first half of a prolog.
      const upTo = final ? this.#buffer.length : this.#buffer.lastIndexOf('\n') + 1;
      this.#lines(this.#buffer.slice(0, upTo), out);
      this.#buffer = this.#buffer.slice(upTo);
      return false;
    }
    this.#lines(this.#buffer.slice(0, start), out);
    this.#buffer = this.#buffer.slice(start);
    this.#inDocument = true;
    this.#rootSeen = false;
    this.#scanFrom = 0;
    this.#blockNamed = false;
    this.#blockGarbage = false;
    return true;
  }

  /** Emits the current document when it is complete; true when it was. */
  #finishDocument(out: SmiReading[]): boolean {
    TOKENS.lastIndex = this.#scanFrom;
    for (let m = TOKENS.exec(this.#buffer); m; m = TOKENS.exec(this.#buffer)) {
      const token = m[0];
      const at = m.index;
      if (token === '</nvidia_smi_log>') {
        const end = at + token.length;
        out.push(parseSmiXml(this.#buffer.slice(0, end)));
        this.#leaveDocument(end);
        return true;
      }
      const isRoot = token.startsWith('<nvidia_smi_log');
      const startsAnother = (token === '<?xml' && at > 0) || (isRoot && this.#rootSeen);
      if (startsAnother) {
        // The previous nvidia-smi stopped part way and a new document began.
        out.push(truncatedDocument(this.#buffer.slice(0, at)));
        this.#leaveDocument(at);
        return true;
      }
      if (isRoot) this.#rootSeen = true;
      this.#scanFrom = TOKENS.lastIndex;
    }
    this.#scanFrom = Math.max(this.#scanFrom, this.#buffer.length - TOKEN_OVERLAP);
    return false;
  }

  #leaveDocument(consumed: number): void {
    this.#buffer = this.#buffer.slice(consumed);
    this.#inDocument = false;
    this.#blockNamed = false;
    this.#blockGarbage = false;
  }

  #lines(text: string, out: SmiReading[]): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const known = classifyBrokenLine(line);
      if (known) {
        out.push(known);
        this.#blockNamed = true;
      } else if (!this.#blockNamed && !this.#blockGarbage) {
        out.push(broken('garbage', line.trim()));
        this.#blockGarbage = true;
      }
    }
  }
}

/** Every reading in a whole text: one document, a loop-mode stream, or error lines. */
export function splitSmiText(text: string): SmiReading[] {
  const splitter = new SmiStreamSplitter();
  return [...splitter.push(text), ...splitter.end()];
}
