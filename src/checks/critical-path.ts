/**
 * The critical path: the checks every candidate must pass before the soak, run in order,
 * each under its own deadline. Generate, stream and long-context are critical: their
 * failure fails the gate whatever else passed. Streaming is how most clients are served,
 * and an error inside a stream that began with 200 reaches them as a broken answer.
 */

import type { RopeScaling } from '../preflight/types.js';
import {
  type CheckDeps,
  checkChat,
  checkGenerate,
  checkHealth,
  checkModels,
} from './basic-checks.js';
import { checkLongContext, checkOverLimit, longContextTarget } from './context-checks.js';
import { type EngineProfile, VLLM_PROFILE } from './engine-profile.js';
import type { EngineClient } from './http.js';
import { calibratePrompt, type PromptCalibration, UNCALIBRATED } from './prompt.js';
import { ropeLimit } from './rope-limit.js';
import { runCheck } from './run-check.js';
import { checkStream } from './stream-check.js';
import type { CheckResult, CriticalPathCheckId } from './types.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
/** A 128K-token prefill takes seconds on a datacenter GPU; minutes mean something is wrong. */
export const DEFAULT_LONG_CONTEXT_TIMEOUT_MS = 180_000;
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 15_000;
const CALIBRATION_TIMEOUT_MS = 30_000;

export interface GenerateCheckOptions {
  client: EngineClient;
  profile?: EngineProfile;
  /** `generate` on the critical path; `generate-after-soak` at settle. */
  name?: string;
  model?: string | null;
  critical?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One short generate, usable at any time (the settle step repeats it after the soak). */
export function runGenerateCheck(options: GenerateCheckOptions): Promise<CheckResult> {
  const deps = { client: options.client, profile: options.profile ?? VLLM_PROFILE };
  return runCheck(
    {
      name: options.name ?? 'generate',
      critical: options.critical ?? true,
      timeoutMs: options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      signal: options.signal,
      redact: options.client.redact,
    },
    (context) => checkGenerate(deps, options.model ?? null, context),
  );
}

export interface CriticalPathOptions {
  client: EngineClient;
  profile?: EngineProfile;
  /** The served model to address; the first one listed when absent. */
  model?: string;
  /** `max-model-len` of the candidate config; compared with what the server advertises. */
  configuredMaxContext?: number;
  /** The config's rope scaling: the advertised context must not exceed what it reaches. */
  ropeScaling?: RopeScaling | null;
  /** Slots sharing the context (llama.cpp `--parallel`), to explain a per-slot context. */
  parallel?: number | null;
  /** Prompt tokens of the long-context check; near the max context when absent. */
  longContextTokens?: number;
  checkTimeoutMs?: number;
  longContextTimeoutMs?: number;
  firstTokenTimeoutMs?: number;
  overLimitCritical?: boolean;
  /** Default true: an error inside a 200 stream fails the gate. */
  streamCritical?: boolean;
  signal?: AbortSignal;
  /** Called as each check ends, for progress lines. */
  onCheckDone?: (result: CheckResult) => void;
}

export interface CriticalPathResult {
  checks: CheckResult[];
  advertisedMaxContext: number | null;
  model: string | null;
  /** Tokens per prompt word as measured on this engine; the soak sizes its prompts by it. */
  calibration: PromptCalibration;
}

export async function runCriticalPath(options: CriticalPathOptions): Promise<CriticalPathResult> {
  const deps: CheckDeps = { client: options.client, profile: options.profile ?? VLLM_PROFILE };
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const longTimeoutMs = options.longContextTimeoutMs ?? DEFAULT_LONG_CONTEXT_TIMEOUT_MS;
  const checks: CheckResult[] = [];
  let model: string | null = options.model ?? null;
  let advertisedMaxContext: number | null = null;
  let calibration = UNCALIBRATED;

  const run = async (
    name: CriticalPathCheckId,
    critical: boolean,
    timeoutMs: number,
    check: Parameters<typeof runCheck>[1],
  ) => {
    const common = { signal: options.signal, redact: deps.client.redact };
    const result = await runCheck({ name, critical, timeoutMs, ...common }, check);
    checks.push(result);
    options.onCheckDone?.(result);
  };

  await run('health', false, checkTimeoutMs, (context) => checkHealth(deps, context));

  // Critical once there is a context to hold it to: a server that serves less than the
  // config asks, or more than its rope scaling reaches, fails the gate.
  const rope = ropeLimit(options.ropeScaling);
  const modelsCritical = options.configuredMaxContext !== undefined || rope !== null;
  await run('models', modelsCritical, checkTimeoutMs, async (context) => {
    const wanted = {
      model: options.model,
      configuredMaxContext: options.configuredMaxContext,
      rope,
      parallel: options.parallel,
    };
    const found = await checkModels(deps, wanted, context);
    model = found.model ?? model;
    advertisedMaxContext = found.advertisedMaxContext;
    return found.outcome;
  });

  await run('generate', true, checkTimeoutMs, (context) => checkGenerate(deps, model, context));
  await run('chat', false, checkTimeoutMs, (context) => checkChat(deps, model, context));

  const firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;
  await run('stream', options.streamCritical ?? true, checkTimeoutMs, (context) =>
    checkStream(deps, model, { firstTokenTimeoutMs }, context),
  );

  // Sized against the config when it names a max context: a server that advertises less
  // must then refuse the long prompt, which is the fault to find.
  const maxContext = options.configuredMaxContext ?? advertisedMaxContext;
  const longContextTokens = options.longContextTokens;

  await run('long-context', true, longTimeoutMs, async (context) => {
    const input = { model, calibration, maxContext, longContextTokens };
    if (longContextTarget(input) === null) return checkLongContext(deps, input, context);

    // the probe gets a share of the deadline; the long request itself the rest
    const started = performance.now();
    const probe = await calibratePrompt(deps.client, deps.profile, {
      model,
      timeoutMs: Math.min(CALIBRATION_TIMEOUT_MS, context.timeoutMs / 4),
      signal: context.signal,
    });
    calibration = probe.calibration;
    const rest = { ...context, timeoutMs: context.timeoutMs - (performance.now() - started) };
    const long = { ...input, calibration, calibrationProblem: probe.problem };
    return checkLongContext(deps, long, rest);
  });

  // Above every max context known, so that a server enforcing more than the config asks
  // (the setting was not applied) is not mistaken for one that truncates.
  const known = [options.configuredMaxContext, advertisedMaxContext].filter(
    (n): n is number => typeof n === 'number',
  );
  const overLimitMax = known.length > 0 ? Math.max(...known) : null;
  await run('over-limit', options.overLimitCritical ?? false, longTimeoutMs, (context) =>
    checkOverLimit(deps, { model, calibration, maxContext: overLimitMax }, context),
  );

  return { checks, advertisedMaxContext, model, calibration };
}
