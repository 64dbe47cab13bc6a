import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { loadSuiteFile, parseSuiteText } from '../../src/suite/load.js';

const options = { env: { GATEWAY_TOKEN: 'gw-secret-1' }, defaultTimeoutMs: 30_000 };

/** The error's lines, without the heading. */
function problems(text: string, env: NodeJS.ProcessEnv = options.env): string[] {
  try {
    parseSuiteText(text, 'suite.yaml', { ...options, env, reservedNames: ['generate'] });
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe('usage');
    return (error as Error).message.split('\n').slice(1);
  }
  throw new Error('the suite was accepted');
}

describe('parseSuiteText', () => {
  it('reads one check of each kind with its defaults', () => {
    const suite = parseSuiteText(
      `defaults:
  timeout: 5s
  headers:
    X-Tenant: qa
checks:
  - name: health
    kind: http
    path: /health
  - name: complete
    kind: completion
    prompt: Say OK
  - name: talk
    kind: chat
    prompt: Say OK
    during: soak
    interval: 2s
  - name: tool
    kind: mcp-tool
    url: http://127.0.0.1:9100/mcp
    tool: search
    arguments: {query: x}
    retries: 2
    critical: true
`,
      'suite.yaml',
      options,
    );
    expect(suite.checks.map((c) => [c.name, c.kind, c.during])).toEqual([
      ['health', 'http', 'once'],
      ['complete', 'completion', 'once'],
      ['talk', 'chat', 'soak'],
      ['tool', 'mcp-tool', 'once'],
    ]);
    const [health, complete, talk, tool] = suite.checks;
    expect(health).toMatchObject({ timeoutMs: 5000, retries: 0, critical: false, line: 6 });
    expect(health?.headers).toEqual({ 'X-Tenant': 'qa' });
    expect(complete?.target).toEqual({ path: '/v1/completions' });
    expect(talk).toMatchObject({
      target: { path: '/v1/chat/completions' },
      intervalMs: 2000,
      messages: [{ role: 'user', content: 'Say OK' }],
    });
    expect(tool).toMatchObject({ target: { url: 'http://127.0.0.1:9100/mcp' }, retries: 2 });
  });

  it('resolves secrets from the environment and lists them for redaction', () => {
    const suite = parseSuiteText(
      `checks:
  - name: gw
    kind: http
    path: /gw
    headers:
      Authorization: {env: GATEWAY_TOKEN, prefix: "Bearer "}
`,
      'suite.yaml',
      options,
    );
    expect(suite.checks[0]?.headers).toEqual({ Authorization: 'Bearer gw-secret-1' });
    expect(suite.secrets).toContain('gw-secret-1');
  });

  it('names the file and line of an unknown kind', () => {
    expect(problems('checks:\n  - name: a\n    kind: grpc\n    path: /x\n')).toEqual([
      'suite.yaml:3:11: checks[0].kind: unknown kind "grpc"; use http, completion, chat, mcp-tool',
    ]);
  });

  it('names the file and line of a missing field', () => {
    expect(problems('checks:\n  - name: a\n    kind: completion\n')).toEqual([
      'suite.yaml:2:5: checks[0].prompt: required: the prompt text',
    ]);
    expect(problems('checks:\n  - kind: http\n    path: /x\n')).toEqual([
      'suite.yaml:2:5: checks[0].name: required: a name',
    ]);
    expect(problems('checks:\n  - name: a\n    kind: http\n')).toEqual([
      'suite.yaml:2:5: checks[0]: required: path (on the endpoint, such as /health) or url',
    ]);
  });

  it('names the file and line of a bad regular expression', () => {
    const lines = problems(
      'checks:\n  - name: a\n    kind: chat\n    prompt: hi\n    expect:\n      textMatches: "(open"\n',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^suite\.yaml:6:20: checks\[0\]\.expect\.textMatches: not a valid regular expression: /,
    );
  });

  it('names the file and line of an undefined secret variable, and never its value', () => {
    const lines = problems(
      `checks:
  - name: a
    kind: mcp-tool
    tool: generate
    headers:
      Authorization: {env: MCP_TOKEN}
`,
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /^suite\.yaml:6:22: checks\[0\]\.headers\.Authorization: environment variable MCP_TOKEN is not set/,
      ),
    ]);
  });

  it('refuses a credential written into the file', () => {
    expect(
      problems(
        'checks:\n  - name: a\n    kind: http\n    path: /x\n    headers:\n      Authorization: Bearer abc\n',
      ),
    ).toEqual([expect.stringMatching(/^suite\.yaml:6:22: checks\[0\]\.headers\.Authorization: /)]);
  });

  it('reports every problem at once, unknown keys included', () => {
    const lines = problems(
      `checks:
  - name: a
    kind: http
    path: /x
    bogus: 1
  - name: a
    kind: http
    path: /y
  - name: generate
    kind: completion
    prompt: hi
  - name: b
    kind: http
    path: /z
    during: always
`,
    );
    expect(lines).toEqual([
      'suite.yaml:5:5: checks[0].bogus: unknown key',
      'suite.yaml:6:11: checks[1].name: "a" is also the name of checks[0]',
      `suite.yaml:9:11: checks[2].name: "generate" is a built-in check's name; choose another`,
      'suite.yaml:15:13: checks[3].during: expected once or soak',
    ]);
  });

  it('names the line of a YAML syntax error', () => {
    expect(problems('checks:\n  - name: a\n    kind: [http\n')[0]).toMatch(
      /^suite\.yaml:\d+:\d+: not valid YAML/,
    );
  });

  it('refuses a file without checks', () => {
    expect(problems('defaults: {}\n')).toEqual([
      'suite.yaml:1:1: checks: required: a list of checks',
    ]);
  });
});

describe('loadSuiteFile', () => {
  it('names a file that cannot be read', () => {
    expect(() => loadSuiteFile('/no/such/suite.yaml', 'suite.yaml', options)).toThrow(
      /suite suite\.yaml: cannot be read/,
    );
  });

  it('reads a file from disk under the name it was given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-suite-'));
    const path = join(dir, 'suite.yaml');
    writeFileSync(path, 'checks:\n  - {name: h, kind: http, path: /health}\n');
    expect(loadSuiteFile(path, 'checks/suite.yaml', options).file).toBe('checks/suite.yaml');
  });
});
