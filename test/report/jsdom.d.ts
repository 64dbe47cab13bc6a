// jsdom ships no types and @types/jsdom is not installed: the little the Mermaid check uses.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: { document: unknown } & Record<string, unknown>;
  }
}
