import { z } from 'zod';
import { parseDuration, parseSizeMiB } from '../../units.js';

/**
 * What a simulator scenario may say. Every key has a default, so an empty file is a small
 * healthy vLLM server on one H100-like GPU (the figures come from the real H100 capture in
 * the shared fixtures). `examples/sim/healthy.yaml` spells the defaults out.
 *
 * Sizes are MiB as a number or text with a unit (`2.5GiB`, `300MiB`); durations are seconds
 * as a number or text with a unit (`500ms`, `20s`), as everywhere else in serving-gate.
 */

/** The engines the simulator can imitate; each is a flavour in `src/sim/engines/`. */
export const ENGINE_IDS = ['vllm', 'sglang', 'tgi', 'llamacpp', 'ollama', 'openai'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/** Start-up failures an engine prints before it exits (failure-kinds #9). */
export const STARTUP_ERRORS = ['kv-cache-too-small', 'free-memory', 'cuda-oom'] as const;
export type StartupError = (typeof STARTUP_ERRORS)[number];

/** What the nvidia-smi stand-in can be told to do instead of printing a report. */
export const SMI_FAULTS = [
  'none',
  'garbage',
  'truncated',
  'hang',
  'no-devices',
  'nvml-unknown',
  'driver-mismatch',
  'gpu-lost',
] as const;
export type SmiFault = (typeof SMI_FAULTS)[number];

const sizeMiB = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  try {
    return parseSizeMiB(value, 'size');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a size; use a number of MiB or text such as 300MiB or 2.5GiB`,
    });
    return z.NEVER;
  }
});

const durationMs = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(String(value), 'duration');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration; use a number of seconds or text such as 500ms or 20s`,
    });
    return z.NEVER;
  }
});

/** `[min, max]` in MiB; a draw is uniform between them. */
const rangeMiB = z
  .tuple([sizeMiB, sizeMiB])
  .refine(([min, max]) => min <= max, { message: 'a range is [min, max] with min <= max' });

const fraction = z.number().min(0).max(1);

const tokenCount = z.int().min(0);

const gpusSchema = z.strictObject({
  count: z.int().min(1).max(16).default(1),
  name: z.string().min(1).default('NVIDIA H100 80GB HBM3'),
  brand: z.string().min(1).default('NVIDIA'),
  architecture: z.string().min(1).default('Hopper'),
  fbTotal: sizeMiB.default(81559),
  fbReserved: sizeMiB.default(479),
  bar1Total: sizeMiB.default(131072),
  // An idle H100 reads FB 0 / BAR1 1 MiB (shared telemetry notes, table 1.3).
  idleFbUsed: sizeMiB.default(0),
  idleBar1Used: sizeMiB.default(1),
  uuids: z.array(z.string().regex(/^GPU-[0-9a-f-]+$/i, 'a GPU UUID looks like GPU-…')).optional(),
  busIds: z
    .array(
      z.string().regex(/^[0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\.[0-9A-F]$/i, 'like 00000000:01:00.0'),
    )
    .optional(),
});

const memorySchema = z.strictObject({
  /** Taken on every GPU once the model is loaded (vLLM reserves its whole pool up front). */
  model: z.strictObject({ fb: sizeMiB.default(19818), bar1: sizeMiB.default(19818) }).prefault({}),
  /** Transient use while a request runs, per 1000 tokens of prompt plus planned output. */
  perRequest: z
    .strictObject({ fbPer1kTokens: sizeMiB.default(0), bar1Per1kTokens: sizeMiB.default(0) })
    .prefault({}),
  /** How long the allocator keeps a finished request's transient use before releasing it. */
  settle: durationMs.default(2000),
  /** Left behind by every request whose prompt is longer than `aboveTokens`. */
  leak: z
    .strictObject({
      aboveTokens: tokenCount.default(32768),
      fb: rangeMiB.default([0, 0]),
      bar1: rangeMiB.default([0, 0]),
      kvCacheFraction: z.tuple([fraction, fraction]).default([0, 0]),
    })
    .prefault({}),
  /** ± amplitude added to every sample, as real readings wobble. */
  noise: sizeMiB.default(0),
  /** Benign allocator growth that reaches its full size after `requests` and stays there. */
  ramp: z
    .strictObject({
      fb: sizeMiB.default(0),
      bar1: sizeMiB.default(0),
      requests: z.int().min(1).default(20),
    })
    .prefault({}),
  /** Tokens the KV cache holds; the usage gauge is tokens in flight over this. */
  kvCacheTokens: z.int().positive().optional(),
});

const timingSchema = z.strictObject({
  prefillMsPer1kTokens: z.number().min(0).default(0.5),
  decodeMsPerToken: z.number().min(0).default(1),
});

const generationSchema = z.strictObject({
  /** Tokens the model says before its end-of-sequence when max_tokens does not stop it. */
  answerTokens: z.int().min(1).default(16),
});

const faultsSchema = z.strictObject({
  /** HTTP 500 with a CUDA error body; /health stays 200 (failure-kinds #1). */
  generateFails: z
    .strictObject({
      abovePromptTokens: tokenCount.optional(),
      /** Once this many generate requests have finished, every later one fails. */
      afterRequests: tokenCount.optional(),
      message: z.string().min(1).optional(),
    })
    .optional(),
  /** An error event inside a stream that began with HTTP 200. */
  streamError: z
    .strictObject({
      afterTokens: tokenCount.default(0),
      abovePromptTokens: tokenCount.default(0),
      message: z.string().min(1).optional(),
    })
    .optional(),
  /** /health answers 503 (down) or every other probe 503 (flap) past this BAR1 share. */
  healthFlap: z
    .strictObject({
      aboveBar1Share: fraction,
      mode: z.enum(['flap', 'down']).default('flap'),
    })
    .optional(),
  /** /health waits while a prompt longer than this is in prefill (failure-kinds #3). */
  healthWaitsForPrefill: z.strictObject({ abovePromptTokens: tokenCount }).optional(),
  /** Accept the connection and never answer (all paths, or only those listed). */
  neverAnswer: z
    .union([z.literal(true), z.strictObject({ paths: z.array(z.string().startsWith('/')) })], {
      error: 'use true for every path, or { paths: [/v1/chat/completions] }',
    })
    .transform((value) => ({ paths: value === true ? null : value.paths }))
    .optional(),
  /** The engine dies after this many generate requests: /health 503, generate 500. */
  engineDeadAfterRequests: z.int().min(1).optional(),
  /** The whole server process exits after this many generate requests. */
  exitAfterRequests: z.int().min(1).optional(),
  /**
   * The engine serves fewer tokens per request than `maxModelLen` (the configured context):
   * a setting not applied, a default `num_ctx`. `advertise` says which figure its model list
   * or info route shows; `overflow` what it does with a longer prompt (default: the
   * engine's own way, refusing, or for Ollama dropping the prompt's start).
   */
  contextLimit: z
    .strictObject({
      tokens: z.int().min(2),
      advertise: z.enum(['real', 'configured']).default('real'),
      overflow: z.enum(['refuse', 'truncate']).optional(),
    })
    .optional(),
  /** The engine prints this start-up error and exits before it serves (failure-kinds #9). */
  startupError: z.enum(STARTUP_ERRORS).optional(),
});

const smiSchema = z.strictObject({
  fault: z.enum(SMI_FAULTS).default('none'),
  /** Seconds after the simulator started before the fault shows; 0 = from the start. */
  faultAfter: durationMs.default(0),
  /**
   * Memory the GPU keeps once the server has gone (an orphaned mapping, a stuck process):
   * what nvidia-smi shows after teardown, so the gate can find a dirty runner.
   */
  residueAfterExit: z.strictObject({ fb: sizeMiB.default(0), bar1: sizeMiB.default(0) }).optional(),
});

/** The tools of the simulator's MCP server (`src/sim/mcp/`). */
export const MCP_TOOLS = ['generate', 'search', 'count_tokens', 'model_info'] as const;
export type McpToolName = (typeof MCP_TOOLS)[number];

const mcpToolFaultSchema = z.strictObject({
  /** Every call ends in an error result (a CUDA error unless `message` says otherwise). */
  fails: z.boolean().default(false),
  /** Calls fail while this many generate requests are running: fine at idle, not under load. */
  failsUnderLoad: z.strictObject({ requestsRunning: z.int().min(1) }).optional(),
  message: z.string().min(1).optional(),
});

/** An MCP server (Streamable HTTP) beside the engine, its tools backed by the model. */
const mcpSchema = z.strictObject({
  path: z.string().startsWith('/').default('/mcp'),
  tools: z.partialRecord(z.enum(MCP_TOOLS), mcpToolFaultSchema).default({}),
});

export const scenarioSchema = z
  .strictObject({
    engine: z.enum(ENGINE_IDS).default('vllm'),
    engineVersion: z.string().min(1).default('0.11.0'),
    model: z.string().min(1).default('Qwen/Qwen3-0.6B'),
    maxModelLen: z.int().min(2).default(8192),
    /** llama.cpp only: `--parallel` slots, each holding `maxModelLen / slots` tokens. */
    slots: z.int().min(1).max(64).default(1),
    seed: z.int().default(0),
    /** Before it the port refuses connections, as vLLM does while it loads the model. */
    startupDelay: durationMs.default(0),
    apiKey: z.string().min(1).optional(),
    driver: z
      .strictObject({
        version: z.string().min(1).default('590.48.01'),
        cudaVersion: z.string().min(1).default('13.1'),
      })
      .prefault({}),
    gpus: gpusSchema.prefault({}),
    memory: memorySchema.prefault({}),
    timing: timingSchema.prefault({}),
    generation: generationSchema.prefault({}),
    faults: faultsSchema.prefault({}),
    smi: smiSchema.prefault({}),
    /** Absent: no MCP server. `mcp: {}` serves every tool, healthy. */
    mcp: mcpSchema.optional(),
  })
  .superRefine((scenario, ctx) => {
    const { gpus, memory } = scenario;
    if (memory.model.fb > gpus.fbTotal - gpus.fbReserved) {
      ctx.addIssue({
        code: 'custom',
        path: ['memory', 'model', 'fb'],
        message: `the model takes ${memory.model.fb} MiB but the GPU has ${gpus.fbTotal - gpus.fbReserved} MiB`,
      });
    }
    if (memory.model.bar1 > gpus.bar1Total) {
      ctx.addIssue({
        code: 'custom',
        path: ['memory', 'model', 'bar1'],
        message: `the model maps ${memory.model.bar1} MiB of BAR1 but BAR1 is ${gpus.bar1Total} MiB`,
      });
    }
    for (const key of ['uuids', 'busIds'] as const) {
      const list = gpus[key];
      if (list && list.length !== gpus.count) {
        ctx.addIssue({
          code: 'custom',
          path: ['gpus', key],
          message: `${list.length} given for ${gpus.count} GPU(s)`,
        });
      }
    }
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The healthy default scenario: what an empty scenario file means. */
export function defaultScenario(): Scenario {
  return scenarioSchema.parse({});
}
