/**
 * Reads a suite file into a validated `Suite`: every problem (syntax, unknown kind,
 * missing field, bad pattern, undefined secret variable) is collected and reported at
 * once, each with the file, line and column it is about.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { GateError } from '../errors.js';
import { formatKeyPath, type KeyPath, type LocatedSuite, parseLocatedSuite } from './located.js';
import { type defaultsSchema, KIND_SCHEMAS, type ParsedCheck, suiteSchema } from './schema.js';
import { SecretResolver } from './secrets.js';
import { SUITE_KINDS, type Suite, type SuiteCheck, type Target } from './types.js';

export interface SuiteLoadOptions {
  env: NodeJS.ProcessEnv;
  /** Deadline of a check that names none (the gate's request-timeout). */
  defaultTimeoutMs: number;
  /** Names the checks may not take: the built-in checks'. */
  reservedNames?: readonly string[];
}

const HELP = 'see "Suite file" in the README for every key, with an example of each kind';
export const DEFAULT_SOAK_INTERVAL_MS = 15_000;

const DEFAULT_PATHS: Partial<Record<SuiteCheck['kind'], string>> = {
  completion: '/v1/completions',
  chat: '/v1/chat/completions',
  'mcp-tool': '/mcp',
};

export function loadSuiteFile(path: string, displayName: string, options: SuiteLoadOptions) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GateError(
      'usage',
      `suite ${displayName}: cannot be read (${(error as Error).message})`,
      HELP,
    );
  }
  return parseSuiteText(text, displayName, options);
}

export function parseSuiteText(text: string, file: string, options: SuiteLoadOptions): Suite {
  const parsed = parseLocatedSuite(text, file);
  if ('problems' in parsed) return fail(file, parsed.problems);
  const src = parsed.suite;
  const problems: string[] = [];
  const report = (path: KeyPath, message: string, unknownKey?: string) =>
    problems.push(
      `${src.where(path, unknownKey)}: ${formatKeyPath([...path, ...(unknownKey ? [unknownKey] : [])])}: ${message}`,
    );
  const reportIssues = (issues: z.core.$ZodIssue[], prefix: KeyPath) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report(path, 'unknown key', key);
      } else report(path, issue.message);
    }
  };

  if (typeof src.data !== 'object' || src.data === null || Array.isArray(src.data)) {
    return fail(file, [`${file}: a suite is a mapping with a "checks" list`]);
  }
  const top = suiteSchema.safeParse(src.data);
  if (!top.success) {
    reportIssues(top.error.issues, []);
    return fail(file, problems);
  }

  const secrets = new SecretResolver(options.env);
  const defaults = top.data.defaults;
  const defaultHeaders = secrets.headers(defaults.headers, ['defaults', 'headers']);
  const checks: SuiteCheck[] = [];
  const seen = new Map<string, number>();

  for (const [index, raw] of top.data.checks.entries()) {
    const at: KeyPath = ['checks', index];
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      report(at, 'a check is a mapping with a name and a kind');
      continue;
    }
    if (!SUITE_KINDS.includes(kind as SuiteCheck['kind'])) {
      const what =
        kind === undefined ? 'required: the kind' : `unknown kind ${JSON.stringify(kind)}`;
      report([...at, 'kind'], `${what}; use ${SUITE_KINDS.join(', ')}`);
      continue;
    }
    // Names are compared before validation, so a duplicate is found even in a broken check.
    const name = (raw as { name?: unknown }).name;
    if (typeof name === 'string') {
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        report([...at, 'name'], `"${name}" is also the name of checks[${earlier}]`);
        continue;
      }
      seen.set(name, index);
    }
    const result = KIND_SCHEMAS[kind as SuiteCheck['kind']].safeParse(raw);
    if (!result.success) {
      reportIssues(result.error.issues, at);
      continue;
    }

    const check = buildCheck(result.data, at, src, report, secrets, {
      ...options,
      defaults,
      defaultHeaders,
    });
    if (!check) continue;
    if ((options.reservedNames ?? []).includes(check.name)) {
      report([...at, 'name'], `"${check.name}" is a built-in check's name; choose another`);
      continue;
    }
    checks.push(check);
  }

  for (const problem of secrets.problems) report(problem.path, problem.message);
  if (problems.length > 0) return fail(file, problems);
  return { file, checks, secrets: secrets.values };
}

interface BuildContext extends SuiteLoadOptions {
  defaults: z.output<typeof defaultsSchema>;
  defaultHeaders: Record<string, string>;
}

function buildCheck(
  parsed: ParsedCheck,
  at: KeyPath,
  src: LocatedSuite,
  report: (path: KeyPath, message: string) => void,
  secrets: SecretResolver,
  ctx: BuildContext,
): SuiteCheck | null {
  const target = targetOf(parsed, at, report);
  if (parsed.during === 'once' && parsed.interval !== undefined) {
    report([...at, 'interval'], 'interval applies to checks with during: soak');
  }
  if (!target) return null;
  const common = {
    name: parsed.name,
    critical: parsed.critical,
    timeoutMs: parsed.timeout ?? ctx.defaults.timeout ?? ctx.defaultTimeoutMs,
    retries: parsed.retries ?? ctx.defaults.retries ?? 0,
    during: parsed.during,
    intervalMs: parsed.interval ?? ctx.defaults.interval ?? DEFAULT_SOAK_INTERVAL_MS,
    line: src.line(at) ?? 0,
    target,
    headers: { ...ctx.defaultHeaders, ...secrets.headers(parsed.headers, [...at, 'headers']) },
  };

  switch (parsed.kind) {
    case 'http':
      return {
        ...common,
        kind: 'http',
        method: parsed.method,
        ...(parsed.body === undefined
          ? {}
          : { body: secrets.resolve(parsed.body, [...at, 'body']) }),
        expect: {
          status: parsed.expect.status ?? null,
          json: parsed.expect.json,
          body: { matches: parsed.expect.bodyMatches, notMatches: parsed.expect.bodyNotMatches },
        },
      };
    case 'completion':
    case 'chat': {
      const generate = {
        model: parsed.model ?? null,
        maxTokens: parsed.maxTokens,
        params: secrets.resolve(parsed.params, [...at, 'params']) as Record<string, unknown>,
        expect: {
          status: parsed.expect.status ?? null,
          text: { matches: parsed.expect.textMatches, notMatches: parsed.expect.textNotMatches },
          finishReason: parsed.expect.finishReason ?? null,
          promptTokens: parsed.expect.promptTokens,
          completionTokens: parsed.expect.completionTokens,
          json: parsed.expect.json,
        },
      };
      if (parsed.kind === 'completion') {
        return { ...common, ...generate, kind: 'completion', prompt: parsed.prompt };
      }
      if ((parsed.prompt === undefined) === (parsed.messages === undefined)) {
        report(at, 'give either prompt (one user message) or messages');
        return null;
      }
      const messages = parsed.messages ?? [{ role: 'user', content: parsed.prompt ?? '' }];
      return { ...common, ...generate, kind: 'chat', messages };
    }
    case 'mcp-tool':
      if (parsed.tool === undefined && parsed.expect.tools.length === 0) {
        report(
          at,
          'required: tool (the tool to call), or expect.tools (tools that must be listed)',
        );
        return null;
      }
      return {
        ...common,
        kind: 'mcp-tool',
        tool: parsed.tool ?? null,
        arguments: secrets.resolve(parsed.arguments, [...at, 'arguments']) as Record<
          string,
          unknown
        >,
        expect: {
          tools: parsed.expect.tools,
          isError: parsed.expect.isError,
          text: { matches: parsed.expect.textMatches, notMatches: parsed.expect.textNotMatches },
          error: { matches: parsed.expect.errorMatches },
          json: parsed.expect.json,
        },
      };
  }
}

function targetOf(
  parsed: ParsedCheck,
  at: KeyPath,
  report: (path: KeyPath, message: string) => void,
): Target | null {
  if (parsed.path !== undefined && parsed.url !== undefined) {
    report([...at, 'url'], 'give path (on the endpoint) or url, not both');
    return null;
  }
  if (parsed.url !== undefined) return { url: parsed.url };
  const path = parsed.path ?? DEFAULT_PATHS[parsed.kind];
  if (path === undefined) {
    report(at, 'required: path (on the endpoint, such as /health) or url');
    return null;
  }
  return { path };
}

function fail(file: string, problems: string[]): never {
  throw new GateError('usage', `suite ${file} is not valid\n${problems.join('\n')}`, HELP);
}
