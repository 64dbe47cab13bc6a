import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { MEMORY_POLICY_INPUTS, type MemoryPolicy, parseMemoryPolicy } from '../analysis/policy.js';
import { GateError } from '../errors.js';
import { splitCommand } from '../memory/command-argv.js';
import { parseDuration } from '../units.js';
import { type ComposeDeploySpec, composeDeploySpec } from './compose-plan.js';
import { INPUTS, type RawInputs } from './inputs.js';

/** How the candidate gets deployed. */
export type DeploySpec =
  | { kind: 'command'; command: string }
  | ComposeDeploySpec
  | { kind: 'simulator'; scenario: string | null }
  | { kind: 'none' };

/** Everything the gate needs, validated. Built from action inputs or CLI flags alike. */
export interface Plan {
  configPath: string | null;
  deploy: DeploySpec;
  teardown: string | null;
  /** Set when the endpoint was given; the simulator picks its own port otherwise. */
  endpoint: string | null;
  model: string | null;
  apiKey: string | null;
  readyTimeoutMs: number;
  requestTimeoutMs: number;
  soakDurationMs: number;
  soakConcurrency: number;
  longContextTokens: number | null;
  longRequestShare: number;
  settleMs: number;
  sampleIntervalMs: number;
  nvidiaSmi: string[];
  memorySource: string;
  teardownTimeoutMs: number;
  reportDir: string;
  memoryPolicy: MemoryPolicy;
  preflight: 'error' | 'warn' | 'off';
  modelConfigPath: string | null;
  /** The user's suite file (absolute); null when none. */
  suitePath: string | null;
  /** argv of docker (or a stand-in), for `deploy: compose`. */
  docker: string[];
  /** `auto`: recognised from the endpoints once deployed. */
  engine: EngineSetting;
  /** Shell command that prints the engine's logs; null: only the deploy output is scanned. */
  logsCommand: string | null;
  cwd: string;
}

const DEFAULT_ENDPOINT = 'http://127.0.0.1:8000';

function wholeNumber(name: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, { message: `${name}: expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, {
      message: `${name}: expected a whole number from ${min} to ${max}`,
    });
}

const endpointSchema = z
  .string()
  .refine((text) => /^https?:\/\/[^\s/]+/.test(text) && URL.canParse(text), {
    message: 'endpoint: expected an http(s) URL such as http://127.0.0.1:8000',
  })
  .transform((text) => text.replace(/\/+$/, ''))
  // The gate adds /v1/... itself; a base URL copied from an OpenAI client would double it.
  .refine((text) => new URL(text).pathname !== '/v1', {
    message: "endpoint: give the server's base URL without /v1 (the gate adds /v1/... itself)",
  });

export const ENGINE_SETTINGS = [
  'auto',
  'vllm',
  'sglang',
  'tgi',
  'llamacpp',
  'ollama',
  'openai',
] as const;
export type EngineSetting = (typeof ENGINE_SETTINGS)[number];

const engineSchema = z.enum(ENGINE_SETTINGS, {
  message: `engine: expected one of ${ENGINE_SETTINGS.join(', ')}`,
});

const preflightSchema = z.enum(['error', 'warn', 'off'], {
  message: 'preflight: expected error, warn or off',
});

const shareSchema = z
  .string()
  .transform(Number)
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= 1, {
    message: 'long-request-share: expected a number from 0 to 1',
  });

/** Takes the user's value, else the documented default. */
export function withDefaults(raw: RawInputs): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const spec of INPUTS) {
    const given = raw[spec.name]?.trim();
    out[spec.name] = given ? given : spec.default;
  }
  return out;
}

function parse<T>(schema: z.ZodType<T>, value: string, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? `${name}: invalid value`;
    throw new GateError('usage', `${message} (got "${value}")`);
  }
  return result.data;
}

/** Validates raw settings into a Plan. Throws GateError('usage') naming the input. */
export function buildPlan(raw: RawInputs, cwd: string): Plan {
  const known = new Set(INPUTS.filter((spec) => !spec.actionOnly).map((spec) => spec.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw new GateError(
        'usage',
        `unknown setting "${name}"`,
        `valid settings: ${[...known].join(', ')}`,
      );
    }
  }
  const v = withDefaults(raw);
  const given = (name: string) => (raw[name]?.trim() ? raw[name]!.trim() : null);
  const path = (p: string | null) => (p === null ? null : isAbsolute(p) ? p : resolve(cwd, p));

  const deployCommand = given('deploy');
  const endpointGiven = given('endpoint');
  let deploy: DeploySpec;
  const compose = composeDeploySpec(deployCommand, given, path);
  if (compose) deploy = compose;
  else if (deployCommand) deploy = { kind: 'command', command: deployCommand };
  else if (endpointGiven && !given('simulate')) deploy = { kind: 'none' };
  else deploy = { kind: 'simulator', scenario: path(given('simulate')) };

  if (deploy.kind === 'simulator' && endpointGiven) {
    throw new GateError(
      'usage',
      'simulate and endpoint were both given',
      'the simulator picks its own local port: drop endpoint, or drop simulate to gate a real server',
    );
  }

  const longContext = given('long-context-tokens');
  const nvidiaSmi = splitCommand(v['nvidia-smi']!, 'nvidia-smi');
  if (nvidiaSmi.length === 0) {
    throw new GateError('usage', 'nvidia-smi: the command is empty', 'e.g. nvidia-smi');
  }

  const policyInputs: RawInputs = {};
  for (const name of MEMORY_POLICY_INPUTS) policyInputs[name] = v[name];

  return {
    configPath: path(given('config')),
    deploy,
    teardown: given('teardown'),
    endpoint:
      deploy.kind === 'simulator'
        ? null
        : parse(endpointSchema, endpointGiven ?? DEFAULT_ENDPOINT, 'endpoint'),
    model: given('model'),
    apiKey: given('api-key'),
    readyTimeoutMs: parseDuration(v['ready-timeout']!, 'ready-timeout'),
    requestTimeoutMs: parseDuration(v['request-timeout']!, 'request-timeout'),
    soakDurationMs: parseDuration(v['soak-duration']!, 'soak-duration'),
    soakConcurrency: parse(wholeNumber('soak-concurrency', 1, 256), v['soak-concurrency']!, ''),
    longContextTokens:
      longContext === null
        ? null
        : parse(wholeNumber('long-context-tokens', 1, 10_000_000), longContext, ''),
    longRequestShare: parse(shareSchema, v['long-request-share']!, 'long-request-share'),
    settleMs: parseDuration(v['settle-duration']!, 'settle-duration'),
    sampleIntervalMs: Math.max(100, parseDuration(v['sample-interval']!, 'sample-interval')),
    nvidiaSmi,
    memorySource: v['memory-source']!,
    teardownTimeoutMs: parseDuration(v['teardown-timeout']!, 'teardown-timeout'),
    reportDir: path(v['report-dir']!)!,
    memoryPolicy: parseMemoryPolicy(policyInputs),
    preflight: parse(preflightSchema, v.preflight!, 'preflight'),
    modelConfigPath: path(given('model-config')),
    suitePath: path(given('suite')),
    docker: splitCommand(v.docker!, 'docker'),
    engine: parse(engineSchema, v.engine!, 'engine'),
    logsCommand: given('logs'),
    cwd,
  };
}
