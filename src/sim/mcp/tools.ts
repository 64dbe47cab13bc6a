/**
 * The simulator's MCP tools, backed by the simulated model: `generate` runs a real request
 * through the engine (its memory, timing and faults), the others answer from the scenario.
 * Each returns what the tool says, or an error result as an MCP server reports a failed
 * tool: `isError` with the message as text.
 */
import { CUDA_ERROR_MESSAGE, type SimEngine } from '../engine.js';
import { generationEvents } from '../generation.js';
import type { McpToolName, Scenario } from '../scenario/schema.js';
import { countWords } from '../tokens.js';

export interface ToolAnswer {
  isError: boolean;
  text: string;
  structured?: Record<string, unknown>;
}

export interface ToolContext {
  engine: SimEngine;
  scenario: Scenario;
  /** Aborts when the simulator shuts down. */
  closing: AbortSignal;
}

/** The fault the scenario sets for this tool now, as an error answer; null when none. */
export function toolFault(name: McpToolName, ctx: ToolContext): ToolAnswer | null {
  const fault = ctx.scenario.mcp?.tools[name];
  if (!fault) return null;
  const message = fault.message ?? firstLine(CUDA_ERROR_MESSAGE);
  if (fault.fails) return { isError: true, text: message };
  const load = fault.failsUnderLoad;
  if (load && ctx.engine.requestsRunning >= load.requestsRunning) {
    return {
      isError: true,
      text: `${message} (${ctx.engine.requestsRunning} requests running)`,
    };
  }
  return null;
}

export async function generateTool(
  args: { prompt: string; max_tokens?: number | undefined },
  ctx: ToolContext,
): Promise<ToolAnswer> {
  const fault = toolFault('generate', ctx);
  if (fault) return fault;
  if (ctx.engine.isDead) return { isError: true, text: 'the engine is dead' };
  const promptTokens = countWords(args.prompt);
  const maxTokens = args.max_tokens ?? 16;
  if (promptTokens + maxTokens > ctx.scenario.maxModelLen) {
    return {
      isError: true,
      text:
        `prompt of ${promptTokens} tokens plus ${maxTokens} to generate is over the ` +
        `max context of ${ctx.scenario.maxModelLen}`,
    };
  }
  const running = ctx.engine.start({ promptTokens, maxTokens, ignoreEos: false, stream: false });
  const pieces: string[] = [];
  let failure: string | null = null;
  let finishReason = 'stop';
  try {
    for await (const event of generationEvents(running, {
      streaming: false,
      signal: ctx.closing,
    })) {
      if (event.kind === 'token') pieces.push(event.text);
      else if (event.kind === 'error') failure = event.message;
      else finishReason = event.finishReason;
    }
  } finally {
    ctx.engine.finish(running, pieces.length, failure !== null || ctx.closing.aborted);
  }
  if (failure !== null) return { isError: true, text: firstLine(failure) };
  const text = pieces.join('');
  return {
    isError: false,
    text,
    structured: {
      text,
      finish_reason: finishReason,
      prompt_tokens: promptTokens,
      completion_tokens: pieces.length,
    },
  };
}

/** Deterministic documents for a query: the same query finds the same results. */
export function searchTool(
  args: { query: string; top_k?: number | undefined },
  ctx: ToolContext,
): ToolAnswer {
  const fault = toolFault('search', ctx);
  if (fault) return fault;
  const words = args.query.trim().split(/\s+/).filter(Boolean);
  const count = Math.min(10, Math.max(1, args.top_k ?? 3));
  const results = Array.from({ length: count }, (_, i) => ({
    title: `${words[i % Math.max(1, words.length)] ?? 'document'} notes, part ${i + 1}`,
    url: `https://docs.example/${encodeURIComponent(words.join('-') || 'index')}/${i + 1}`,
    score: Number((1 - i * 0.1).toFixed(2)),
  }));
  return { isError: false, text: JSON.stringify({ results }), structured: { results } };
}

export function countTokensTool(args: { text: string }, ctx: ToolContext): ToolAnswer {
  const fault = toolFault('count_tokens', ctx);
  if (fault) return fault;
  const tokens = countWords(args.text);
  return { isError: false, text: String(tokens), structured: { tokens } };
}

export function modelInfoTool(ctx: ToolContext): ToolAnswer {
  const fault = toolFault('model_info', ctx);
  if (fault) return fault;
  const info = {
    model: ctx.scenario.model,
    engine: ctx.scenario.engine,
    max_model_len: ctx.scenario.maxModelLen,
  };
  return { isError: false, text: JSON.stringify(info), structured: info };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
