/**
 * A user's suite of checks, validated and with its secrets resolved. Built by
 * `loadSuiteFile`; the runners only read it.
 */
import type { JsonExpectation, Range, TextExpectation } from './expect.js';

export const SUITE_KINDS = ['http', 'completion', 'chat', 'mcp-tool'] as const;
export type SuiteKind = (typeof SUITE_KINDS)[number];

/** `once`: after the built-in critical path; `soak`: at an interval while the soak runs. */
export type During = 'once' | 'soak';

/** Where a request goes: a path joined to the endpoint, or a URL of the user's own. */
export type Target = { path: string } | { url: string };

interface CommonCheck {
  name: string;
  critical: boolean;
  timeoutMs: number;
  /** Further attempts after a failure; the check passes when any attempt passes. */
  retries: number;
  during: During;
  /** Time between runs during the soak. */
  intervalMs: number;
  /** Line of the check in the suite file. */
  line: number;
  target: Target;
  /** Headers with secrets resolved; never logged. */
  headers: Record<string, string>;
}

export interface HttpCheck extends CommonCheck {
  kind: 'http';
  method: string;
  /** JSON (sent with content-type application/json) or text; absent = no body. */
  body?: unknown;
  expect: {
    status: number[] | null;
    json: JsonExpectation[];
    body: TextExpectation;
  };
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface GenerateExpectation {
  status: number[] | null;
  text: TextExpectation;
  finishReason: string[] | null;
  promptTokens?: Range;
  completionTokens?: Range;
  json: JsonExpectation[];
}

export interface CompletionCheck extends CommonCheck {
  kind: 'completion';
  prompt: string;
  model: string | null;
  maxTokens: number;
  /** Further body fields (temperature, stop, ...). */
  params: Record<string, unknown>;
  expect: GenerateExpectation;
}

export interface ChatCheck extends CommonCheck {
  kind: 'chat';
  messages: ChatMessage[];
  model: string | null;
  maxTokens: number;
  params: Record<string, unknown>;
  expect: GenerateExpectation;
}

export interface McpToolCheck extends CommonCheck {
  kind: 'mcp-tool';
  /** Absent: only list the tools (and check `expect.tools`). */
  tool: string | null;
  arguments: Record<string, unknown>;
  expect: {
    /** Tools the server must list. */
    tools: string[];
    /** Whether the call must end in an error result (or a protocol error). */
    isError: boolean;
    text: TextExpectation;
    /** On the error text when `isError` is true. */
    error: TextExpectation;
    /** On `structuredContent`, else on the text read as JSON. */
    json: JsonExpectation[];
  };
}

export type SuiteCheck = HttpCheck | CompletionCheck | ChatCheck | McpToolCheck;

export interface Suite {
  /** The file as the user named it, for messages. */
  file: string;
  checks: SuiteCheck[];
  /** Every resolved secret value, to be cut from anything shown. */
  secrets: string[];
}
