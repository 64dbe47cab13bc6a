/**
 * A suite file's YAML document with the means to say where a key path lives, so every
 * problem reads `suite.yaml:12:9: checks[3].expect.textMatches: ...`.
 */
import { LineCounter, parseDocument } from 'yaml';
import { offsetOf } from '../yaml/key-offset.js';

export type KeyPath = readonly (string | number)[];

export interface LocatedSuite {
  file: string;
  /** Plain data of the document (aliases expanded). */
  data: unknown;
  /** `file:line:col` of the value at `path`, of the key itself for an unknown key, or of
   * the nearest ancestor present when the key is missing. */
  where(path: KeyPath, unknownKey?: string): string;
  line(path: KeyPath): number | null;
}

/** Expanded aliases beyond this are refused, as an alias bomb would be. */
const MAX_ALIAS_COUNT = 100;

/** Parses the text; syntax errors come back as located lines instead of a document. */
export function parseLocatedSuite(
  text: string,
  file: string,
): { suite: LocatedSuite } | { problems: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const what = error.code === 'DUPLICATE_KEY' ? 'a key appears twice' : error.message;
        return `${at(error.pos[0])}: not valid YAML: ${what.split('\n')[0]}`;
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null;
  } catch (error) {
    return { problems: [`${file}: refused: ${(error as Error).message.split('\n')[0]}`] };
  }

  const offset = (path: KeyPath, unknownKey?: string) => offsetOf(doc, path, unknownKey);
  return {
    suite: {
      file,
      data,
      where(path, unknownKey) {
        const found = offset(path, unknownKey);
        return found === null ? file : at(found);
      },
      line(path) {
        const found = offset(path);
        return found === null ? null : lineCounter.linePos(found).line;
      },
    },
  };
}

/** `checks[3].expect.textMatches`. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`;
  }
  return text || '(top level)';
}
