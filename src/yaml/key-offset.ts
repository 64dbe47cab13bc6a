import { type Document, isMap, isScalar, type Node } from 'yaml';

/** A path into a YAML document: map keys and sequence indexes. */
export type KeyPath = readonly (string | number)[];

/**
 * Where in the text a key path lives, for errors that name a line: the value's node, the
 * key itself for an unknown key, or the nearest ancestor that exists when the key is
 * missing. Shared by the scenario and suite readers.
 */
export function offsetOf(doc: Document, path: KeyPath, unknownKey?: string): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn([...path.slice(0, depth)], true)) as
      | Node
      | null
      | undefined;
    if (!node) continue;
    if (depth === path.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === unknownKey);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return keyNode.range[0];
    }
    if (node.range) return node.range[0];
  }
  return null;
}
