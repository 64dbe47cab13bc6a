import { JSDOM } from 'jsdom';

let parser: ((text: string) => Promise<unknown>) | null = null;

/**
 * Mermaid's own parser, under Node: it needs a DOM (DOMPurify hooks into `window`), so a
 * jsdom window and document are set as globals once, before mermaid is first imported.
 */
export async function parseMermaid(text: string): Promise<unknown> {
  if (!parser) {
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    const mermaid = (await import('mermaid')).default;
    parser = (t) => mermaid.parse(t);
  }
  return parser(text);
}

/** The bodies of the ```mermaid blocks in a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2] ?? '');
}
