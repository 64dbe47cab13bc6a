/**
 * What a suite file may say, as zod schemas. Patterns, paths and durations are compiled
 * here, so a bad one is reported with its line before anything runs; secret references
 * (`{env: NAME}`) are left in place and resolved by `secrets.ts`.
 */
import { z } from 'zod';
import { parseDuration } from '../units.js';
import type { JsonExpectation } from './expect.js';
import { parseJsonPath } from './json-path.js';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const required =
  (what: string) =>
  (issue: { input: unknown }): string =>
    issue.input === undefined ? `required: ${what}` : `expected ${what}`;

const durationMs = z
  .union([z.number().positive(), z.string()], {
    error: 'expected a duration such as 500ms, 20s or 2m',
  })
  .transform((value, ctx) => {
    try {
      const ms = parseDuration(String(value), 'duration');
      if (ms > 0) return ms;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 500ms or 20s` });
    return z.NEVER;
  });

/** A JavaScript regular expression: its source, or `{pattern, flags}`. */
const pattern = z
  .union(
    [
      z.string(),
      z.strictObject({
        pattern: z.string(),
        flags: z
          .string()
          .regex(/^[imsu]*$/, 'flags are any of i, m, s, u')
          .optional(),
      }),
    ],
    { error: 'expected a regular expression, or {pattern, flags}' },
  )
  .transform((value, ctx) => {
    const [source, flags] = typeof value === 'string' ? [value, ''] : [value.pattern, value.flags];
    try {
      return new RegExp(source, flags);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `not a valid regular expression: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
  });

const jsonPath = z
  .string({ error: required('a JSON path such as $.data[0].id') })
  .transform((text, ctx) => {
    try {
      return { text, steps: parseJsonPath(text) };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a JSON path: ${(error as Error).message}` });
      return z.NEVER;
    }
  });

const jsonExpectation = z
  .strictObject({
    path: jsonPath,
    equals: z.unknown().optional(),
    exists: z.boolean().optional(),
    matches: pattern.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .transform(
    ({ path, ...rest }): JsonExpectation => ({ path: path.text, steps: path.steps, ...rest }),
  );

const jsonExpectations = z.array(jsonExpectation).default([]);

/** `{env: NAME}` or `{env: NAME, prefix: "Bearer "}`: a secret read from the environment. */
export const envRef = z.strictObject({
  env: z.string().regex(ENV_NAME, 'an environment variable name such as GATEWAY_TOKEN'),
  prefix: z.string().optional(),
});
export type EnvRef = z.output<typeof envRef>;

const headerValue = z.union([z.string(), z.number().transform(String), envRef], {
  error: 'a header value is text, or {env: NAME} for a secret',
});

export const headers = z.record(
  z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a header name'),
  headerValue,
);

const status = z
  .union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)], {
    error: 'expected an HTTP status such as 200, or a list of them',
  })
  .transform((value) => (Array.isArray(value) ? value : [value]));

const range = z
  .strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min is above max',
  });

const common = {
  name: z
    .string({ error: required('a name') })
    .regex(/^[A-Za-z0-9][\w.-]*$/, 'a name is letters, digits, ".", "_" and "-"'),
  critical: z.boolean().default(false),
  timeout: durationMs.optional(),
  retries: z.int().min(0).max(10).optional(),
  during: z.enum(['once', 'soak'], { error: 'expected once or soak' }).default('once'),
  interval: durationMs.optional(),
  path: z.string().startsWith('/', 'a path starts with "/"; give url for another host').optional(),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  headers: headers.optional(),
};

/** Body fields a generate check sets itself. */
const RESERVED_PARAMS = ['model', 'prompt', 'messages', 'max_tokens', 'stream'];
const params = z
  .record(z.string(), z.unknown())
  .default({})
  .refine((p) => !RESERVED_PARAMS.some((key) => key in p), {
    message: `params may not set ${RESERVED_PARAMS.join(', ')}: use the check's own keys`,
  });

const generateExpect = z
  .strictObject({
    status: status.optional(),
    textMatches: pattern.optional(),
    textNotMatches: pattern.optional(),
    finishReason: z
      .union([z.string(), z.array(z.string()).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .optional(),
    promptTokens: range.optional(),
    completionTokens: range.optional(),
    json: jsonExpectations,
  })
  .prefault({});

const generateCommon = {
  ...common,
  model: z.string().min(1).optional(),
  maxTokens: z.int().min(1).max(10_000_000).default(16),
  params,
  expect: generateExpect,
};

export const httpSchema = z.strictObject({
  ...common,
  kind: z.literal('http'),
  method: z
    .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], {
      error: 'expected GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS',
    })
    .default('GET'),
  body: z.unknown().optional(),
  expect: z
    .strictObject({
      status: status.optional(),
      json: jsonExpectations,
      bodyMatches: pattern.optional(),
      bodyNotMatches: pattern.optional(),
    })
    .prefault({}),
});

export const completionSchema = z.strictObject({
  ...generateCommon,
  kind: z.literal('completion'),
  prompt: z.string({ error: required('the prompt text') }),
});

const message = z.strictObject({
  role: z.string({ error: required('a role: system, user or assistant') }).min(1),
  content: z.string({ error: required('the message text') }),
});

export const chatSchema = z.strictObject({
  ...generateCommon,
  kind: z.literal('chat'),
  prompt: z.string().optional(),
  messages: z.array(message).min(1, 'give at least one message').optional(),
});

export const mcpToolSchema = z.strictObject({
  ...common,
  kind: z.literal('mcp-tool'),
  tool: z.string().min(1).optional(),
  arguments: z.record(z.string(), z.unknown()).default({}),
  expect: z
    .strictObject({
      tools: z.array(z.string().min(1)).default([]),
      isError: z.boolean().default(false),
      textMatches: pattern.optional(),
      textNotMatches: pattern.optional(),
      errorMatches: pattern.optional(),
      json: jsonExpectations,
    })
    .prefault({}),
});

export const KIND_SCHEMAS = {
  http: httpSchema,
  completion: completionSchema,
  chat: chatSchema,
  'mcp-tool': mcpToolSchema,
} as const;

export type ParsedCheck =
  | z.output<typeof httpSchema>
  | z.output<typeof completionSchema>
  | z.output<typeof chatSchema>
  | z.output<typeof mcpToolSchema>;

export const defaultsSchema = z
  .strictObject({
    timeout: durationMs.optional(),
    retries: z.int().min(0).max(10).optional(),
    interval: durationMs.optional(),
    headers: headers.optional(),
  })
  .prefault({});

/** The file's top level; each check is validated on its own against its kind. */
export const suiteSchema = z.strictObject({
  defaults: defaultsSchema,
  checks: z.array(z.unknown(), { error: required('a list of checks') }).min(1, 'no checks'),
});
