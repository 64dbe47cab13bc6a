import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
} from 'yaml';
import { GateError } from '../errors.js';

/**
 * A YAML or JSON document reduced to plain data that remembers the line of every value,
 * so readers can say `serving/qwen3.yaml:4: max-model-len ...`. Anchors and merge keys
 * are resolved here; nothing downstream sees an alias.
 */
export type YNode = YMap | YSeq | YScalar;

export interface YEntry {
  key: string;
  keyLine: number;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  line: number;
  entries: YEntry[];
}

export interface YSeq {
  kind: 'seq';
  line: number;
  items: YNode[];
}

export interface YScalar {
  kind: 'scalar';
  line: number;
  value: string | number | boolean | null;
  /**
   * The scalar's own text in the file and where it starts, for plain and block scalars:
   * a command written over several lines is split from this so each word keeps its line.
   * Null for quoted scalars, whose escapes make source and value differ.
   */
  source: { text: string; offset: number } | null;
}

export interface LocatedDocument {
  file: string;
  root: YNode;
  /** 1-based line of a character offset in the file. */
  lineAt(offset: number): number;
}

/**
 * Aliases a document may expand before it is refused as a resource-exhaustion attempt
 * (a "billion laughs" file). Real serving configs use a handful: compose `x-` blocks.
 */
export const MAX_ALIAS_COUNT = 100;

/** Nodes visited while resolving aliases; a second guard beside the library's own count. */
const MAX_NODES = 50_000;

export function parseLocated(text: string, file: string): LocatedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  const first = doc.errors[0];
  if (first) {
    const line = lineAt(first.pos[0]);
    const what = first.code === 'DUPLICATE_KEY' ? 'a key appears twice' : first.message;
    throw new GateError(
      'config',
      `${file}:${line}: not valid YAML or JSON: ${oneLine(what)}`,
      'fix the syntax at that line; a serving config is one YAML or JSON document',
    );
  }
  if (doc.contents === null) {
    throw new GateError(
      'config',
      `${file}: the file is empty`,
      'give a vLLM config or a compose file',
    );
  }

  // The library counts alias expansions and refuses a document that blows up; running it
  // first means an alias bomb is refused before this module walks a single alias.
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GateError(
      'config',
      `${file}: refused: ${oneLine(reason)}`,
      `anchors and aliases are read up to ${MAX_ALIAS_COUNT} expansions; write the values out`,
    );
  }

  const walker = new Walker(doc, text, file, lineAt);
  return { file, root: walker.node(doc.contents as Node, []), lineAt };
}

class Walker {
  private visited = 0;

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly file: string,
    private readonly lineAt: (offset: number) => number,
  ) {}

  node(node: Node, path: Node[]): YNode {
    this.visited += 1;
    if (this.visited > MAX_NODES) {
      throw new GateError(
        'config',
        `${this.file}: refused: aliases expand to more than ${MAX_NODES} values`,
        'write the values out instead of repeating anchors',
      );
    }

    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      const line = this.line(node);
      if (!target) {
        throw new GateError(
          'config',
          `${this.file}:${line}: alias *${node.source} names no anchor defined before it`,
          'define the anchor (&name) before using it',
        );
      }
      if (path.includes(target)) {
        throw new GateError(
          'config',
          `${this.file}:${line}: alias *${node.source} is inside its own anchor (a loop)`,
          'an alias may not refer to the value that contains it',
        );
      }
      return this.node(target, path);
    }

    const inner = [...path, node];
    if (isMap(node)) {
      const entries: YEntry[] = [];
      const merged: YEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (isScalar(keyNode) && keyNode.source === '<<') {
          merged.push(...this.mergeSources(pair.value as Node | null, inner));
          continue;
        }
        if (keyNode !== null && !isScalar(keyNode)) {
          throw new GateError(
            'config',
            `${this.file}:${this.line(keyNode)}: a map key must be a plain word`,
            'write keys as plain text',
          );
        }
        const keyLine = keyNode ? this.line(keyNode) : this.line(node);
        const key = keyNode ? String(keyNode.value) : '';
        const value = pair.value
          ? this.node(pair.value as Node, inner)
          : { kind: 'scalar' as const, line: keyLine, value: null, source: null };
        entries.push({ key, keyLine, value });
      }
      // YAML merge keys: explicit keys win over merged ones, earlier merges over later.
      for (const entry of merged) {
        if (!entries.some((e) => e.key === entry.key)) entries.push(entry);
      }
      return { kind: 'map', line: this.line(node), entries };
    }

    if (isSeq(node)) {
      return {
        kind: 'seq',
        line: this.line(node),
        items: node.items.map((item) => this.node(item as Node, inner)),
      };
    }

    if (isScalar(node)) return this.scalar(node);

    throw new GateError('config', `${this.file}:${this.line(node)}: unreadable value`);
  }

  private mergeSources(value: Node | null, path: Node[]): YEntry[] {
    const sources = isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
    const entries: YEntry[] = [];
    for (const source of sources) {
      const resolved = this.node(source, path);
      if (resolved.kind !== 'map') {
        throw new GateError(
          'config',
          `${this.file}:${resolved.line}: a merge key (<<) takes a map or a list of maps`,
        );
      }
      for (const entry of resolved.entries) {
        if (!entries.some((e) => e.key === entry.key)) entries.push(entry);
      }
    }
    return entries;
  }

  private scalar(node: Scalar): YScalar {
    const raw = node.value;
    const value =
      typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw === null
        ? raw
        : typeof raw === 'bigint'
          ? Number(raw)
          : String(raw);
    const range = node.range;
    let source: YScalar['source'] = null;
    if (range && typeof value === 'string') {
      const text = this.text.slice(range[0], range[1]);
      if (node.type === 'PLAIN') source = { text, offset: range[0] };
      if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
        // Drop the header line (`>`, `|-`, a comment) so only the content is split.
        const newline = text.indexOf('\n');
        if (newline >= 0)
          source = { text: text.slice(newline + 1), offset: range[0] + newline + 1 };
      }
    }
    return { kind: 'scalar', line: this.line(node), value, source };
  }

  private line(node: Node): number {
    return node.range ? this.lineAt(node.range[0]) : 1;
  }
}

function oneLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
