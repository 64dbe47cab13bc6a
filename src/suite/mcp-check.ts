/**
 * The `mcp-tool` kind: connects to an MCP server over Streamable HTTP with the official
 * SDK, lists its tools, calls one with the check's arguments and judges the result. Every
 * step runs under what is left of the check's deadline.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { shortenText } from '../checks/error-body.js';
import { classifyFetchError, parseJson } from '../checks/http.js';
import type { CheckContext } from '../checks/run-check.js';
import type { CheckOutcome } from '../checks/types.js';
import { VERSION } from '../version.js';
import { checkJson, checkText } from './expect.js';
import type { SuiteRunContext } from './http-checks.js';
import { describeTarget, headersFor, resolveTarget } from './send.js';
import type { McpToolCheck } from './types.js';

/** What a tools/call result holds, read loosely: servers differ in what they fill in. */
export interface ToolResult {
  isError: boolean;
  text: string;
  structured: unknown;
}

export function readToolResult(result: unknown): ToolResult {
  const body = (typeof result === 'object' && result !== null ? result : {}) as {
    isError?: unknown;
    content?: unknown;
    structuredContent?: unknown;
  };
  const parts = Array.isArray(body.content) ? body.content : [];
  const text = parts
    .map((part) =>
      typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text'
        ? String((part as { text?: unknown }).text ?? '')
        : '',
    )
    .filter((piece) => piece !== '')
    .join('\n');
  return { isError: body.isError === true, text, structured: body.structuredContent };
}

/** Judges a tool's result against the check; null when it holds. */
export function judgeToolResult(check: McpToolCheck, result: ToolResult): string | null {
  const { expect } = check;
  if (result.isError !== expect.isError) {
    return result.isError
      ? `the tool returned an error: "${shortenText(result.text, 160)}"`
      : `expected an error, the tool returned "${shortenText(result.text, 80)}"`;
  }
  if (result.isError) return checkText(result.text, expect.error, 'error');
  const text = checkText(result.text, expect.text, 'result');
  if (text) return text;
  if (expect.json.length === 0) return null;
  const json = result.structured ?? parseJson(result.text).json;
  if (json === undefined) return `result is not JSON: "${shortenText(result.text, 60)}"`;
  return checkJson(json, expect.json);
}

export async function runMcpToolCheck(
  check: McpToolCheck,
  ctx: SuiteRunContext,
  context: CheckContext,
): Promise<CheckOutcome> {
  const url = resolveTarget(check.target, ctx.endpoint);
  const where = `MCP ${describeTarget('POST', check.target).slice('POST '.length)}`;
  const started = performance.now();
  const left = () => Math.max(1, Math.round(context.timeoutMs - (performance.now() - started)));
  const options = () => ({ timeout: left(), signal: context.signal });
  const client = new Client({ name: 'serving-gate', version: VERSION });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: headersFor(url, ctx, check.headers) },
    // A check judges one attempt; the runner owns retries.
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  const figures = (extra: Record<string, number | string | null> = {}) => ({
    ms: Math.round(performance.now() - started),
    ...extra,
  });

  let step = 'connect';
  try {
    await client.connect(transport, options());
    step = 'tools/list';
    const listed = await client.listTools(undefined, options());
    const names = listed.tools.map((tool) => tool.name);
    const wanted = [...check.expect.tools, ...(check.tool ? [check.tool] : [])];
    const missing = wanted.filter((name) => !names.includes(name));
    if (missing.length > 0) {
      return {
        status: 'fail',
        detail: `${where}: tools/list has no ${missing.join(', ')} (it lists ${names.join(', ') || 'nothing'})`,
        figures: figures({ tools: names.length }),
      };
    }
    if (check.tool === null) {
      return {
        status: 'pass',
        detail: `${where}: tools/list has ${wanted.join(', ')}`,
        figures: figures({ tools: names.length }),
      };
    }

    step = `tools/call ${check.tool}`;
    const raw = await client.callTool(
      { name: check.tool, arguments: check.arguments },
      undefined,
      options(),
    );
    const result = readToolResult(raw);
    const problem = judgeToolResult(check, result);
    const shown = result.isError
      ? `error "${shortenText(result.text, 80)}"`
      : `"${shortenText(result.text, 40)}"`;
    const ms = Math.round(performance.now() - started);
    return problem === null
      ? { status: 'pass', detail: `${where}: ${step} → ${shown} in ${ms} ms`, figures: figures() }
      : { status: 'fail', detail: `${where}: ${step} → ${problem}`, figures: figures() };
  } catch (error) {
    return {
      status: 'fail',
      detail: `${where}: ${step} → ${describeMcpError(error, url, context)}`,
      figures: figures(),
    };
  } finally {
    await closeQuietly(client);
  }
}

/** A thrown SDK or network error as one line. */
export function describeMcpError(error: unknown, url: URL, context: CheckContext): string {
  const fetchLike = classifyFetchError(error, {
    host: url.host,
    signal: context.signal,
    timeoutMs: context.timeoutMs,
    gotHeaders: false,
  });
  if (
    context.signal.aborted ||
    fetchLike.kind !== 'network' ||
    /fetch failed/.test(String(error))
  ) {
    return fetchLike.message;
  }
  if (error instanceof StreamableHTTPError && error.code !== undefined) {
    return `${error.code} "${shortenText(rpcMessage(error.message), 160)}"`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return shortenText(message, 200);
}

/** The JSON-RPC error inside an HTTP error's text, which the SDK quotes whole. */
function rpcMessage(text: string): string {
  const start = text.indexOf('{');
  if (start !== -1) {
    const body = parseJson(text.slice(start)).json as { error?: { message?: unknown } } | undefined;
    if (typeof body?.error?.message === 'string') return body.error.message;
  }
  return text.replace(/^Streamable HTTP error: /, '');
}

/** Closing a stateless session sends nothing that can hang; still, it gets a deadline. */
async function closeQuietly(client: Client): Promise<void> {
  await Promise.race([
    client.close().catch(() => {}),
    new Promise((resolve) => setTimeout(resolve, 2000).unref()),
  ]);
}
