/**
 * Everything the checks know about one engine's dialect, kept in one object of data and
 * small pure functions, so that each engine (vLLM, SGLang, TGI, llama.cpp server, Ollama,
 * any other OpenAI-compatible server) is a profile in `engines/`, not new checks.
 */
import type { EngineName } from '../preflight/types.js';
import type { ModelCard, StreamEvent } from './openai-format.js';

export type { EngineName };

/** What a health answer says of the engine, beyond its status code. */
export type HealthState = 'ready' | 'loading' | 'dead' | 'unhealthy';

export interface EnginePaths {
  /** Liveness; a 200 here proves nothing about generation. */
  health: string;
  /** The served models, and the max context where the engine puts it in the same answer. */
  models: string;
  /** Where the max context is read when the model list does not carry it; null: nowhere. */
  context: string | null;
  /** The generate route of the critical path, the long-context checks and the soak. */
  completions: string;
  /** OpenAI-compatible chat completions. */
  chat: string;
  /** The route of the streaming check, in the engine's own stream format. */
  stream: string;
  /** Prometheus metrics; null when the engine exports none. */
  metrics: string | null;
}

export interface EngineProfile {
  name: EngineName;
  /** As people write it: `vLLM`, `llama.cpp server`. */
  label: string;
  paths: EnginePaths;
  completionBody(model: string | null, prompt: string, maxTokens: number): unknown;
  chatBody(model: string | null, content: string, maxTokens: number, stream: boolean): unknown;
  streamBody(model: string | null, content: string, maxTokens: number): unknown;
  /** `sse`: `data:` events; `ndjson`: one JSON object per line (Ollama). */
  streamFraming: 'sse' | 'ndjson';
  /** What ends a finished stream, in the words of a check's detail. */
  streamEnd: string;
  readModelCards(body: unknown): ModelCard[];
  /** The max context in the answer of `paths.context` for `model`; null when absent. */
  readContext(body: unknown, model: string | null): number | null;
  /** Tokens the engine says it processed for the prompt; null when it does not say. */
  readPromptTokens(body: unknown): number | null;
  /** True when the engine itself admits it cut the prompt; null when it does not say. */
  readTruncated(body: unknown): boolean | null;
  readGeneratedText(body: unknown): string | null;
  readStreamData(data: string): StreamEvent;
  /** The message of an error body; null when the body is not one of the engine's errors. */
  readErrorMessage(json: unknown): string | null;
  summarizeError(json: unknown, text: string): string;
  /** What a non-2xx (or odd 2xx) health answer means. */
  healthState(status: number, json: unknown, text: string): HealthState;
  /** Statuses with which the engine refuses a prompt above its max context. */
  overLimitStatuses: readonly number[];
  /**
   * The engine answers an over-limit prompt with 200 after dropping part of it, by design
   * (Ollama): the over-limit check then warns instead of expecting a refusal.
   */
  truncatesOverLimit: boolean;
  /** Why the advertised max context may differ from the configured one, if the engine knows. */
  contextNote?(advertised: number, configured: number, parallel: number | null): string | null;
}

export { VLLM_PROFILE } from './engines/vllm.js';
