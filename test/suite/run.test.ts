import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { parseSuiteText } from '../../src/suite/load.js';
import { runOnceChecks, runSuiteCheck } from '../../src/suite/run.js';
import { redactor } from '../../src/suite/secrets.js';
import type { Suite } from '../../src/suite/types.js';
import { startMcpSimulator, startServer } from './servers.js';

const KEY = 'sk-suite-test-0789';
const env = { MCP_TOKEN: KEY, ECHO_TOKEN: 'echo-secret-4242' };
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startMcpSimulator(mkdtempSync(join(tmpdir(), 'sg-suite-run-')));
});
afterAll(() => sim.close());

function suite(yaml: string): Suite {
  return parseSuiteText(yaml, 'suite.yaml', { env, defaultTimeoutMs: 5000 });
}

function options(s: Suite, endpoint = sim.url) {
  return { endpoint, apiKey: KEY, model: null, redact: redactor([...s.secrets, KEY]) };
}

async function runOne(yaml: string, endpoint?: string) {
  const s = suite(`checks:\n${yaml}`);
  return runSuiteCheck(s.checks[0]!, options(s, endpoint));
}

describe('http checks', () => {
  it('passes when status and JSON paths hold, sending the gate key to the endpoint', async () => {
    const result = await runOne(`  - name: models
    kind: http
    path: /v1/models
    expect:
      status: 200
      json:
        - {path: '$.data[0].max_model_len', equals: 4096}
`);
    expect(result).toMatchObject({ name: 'models', status: 'pass', critical: false });
    expect(result.detail).toMatch(/^GET \/v1\/models → 200 in \d+ ms$/);
  });

  it('fails with what it found when an expectation does not hold', async () => {
    const result = await runOne(`  - name: models
    kind: http
    path: /v1/models
    expect:
      json:
        - {path: '$.data[0].id', equals: other/model}
`);
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('$.data[0].id is "example/mcp-7b", expected "other/model"');
  });

  it('keeps the gate key from other origins', async () => {
    const other = await startServer((_req, res) => res.end('{}'));
    try {
      const result = await runOne(`  - name: other
    kind: http
    url: ${other.url}/status
`);
      expect(result.status).toBe('pass');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('cuts a secret the server echoed out of the detail', async () => {
    const echo = await startServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bad token ${req.headers['x-token']}` } }));
    });
    try {
      const result = await runOne(
        `  - name: echo
    kind: http
    url: ${echo.url}/x
    headers:
      X-Token: {env: ECHO_TOKEN}
`,
      );
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('bad token [redacted]');
      expect(JSON.stringify(result)).not.toContain('echo-secret-4242');
    } finally {
      await echo.close();
    }
  });

  it('fails at its deadline when the server never answers', async () => {
    const silent = await startServer(() => {});
    try {
      const result = await runOne(`  - name: silent
    kind: http
    url: ${silent.url}/x
    timeout: 300ms
`);
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('no answer within 300ms');
    } finally {
      await silent.close();
    }
  });

  it('retries and says on which attempt it passed', async () => {
    const flaky = await startServer((_req, res, index) => {
      res.writeHead(index === 0 ? 503 : 200);
      res.end('{}');
    });
    try {
      const result = await runOne(`  - name: flaky
    kind: http
    url: ${flaky.url}/x
    retries: 2
`);
      expect(result.status).toBe('pass');
      expect(result.detail).toContain('(passed on attempt 2 of 3)');
      expect(result.figures).toMatchObject({ attempts: 2, kind: 'http' });
    } finally {
      await flaky.close();
    }
  });

  it('says how many attempts failed', async () => {
    const down = await startServer((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    try {
      const result = await runOne(`  - name: down
    kind: http
    url: ${down.url}/x
    retries: 1
`);
      expect(result.status).toBe('fail');
      expect(result.detail).toMatch(/^all 2 attempts failed; the last: GET .* → 503/);
      expect(down.requests).toHaveLength(2);
    } finally {
      await down.close();
    }
  });
});

describe('completion and chat checks', () => {
  it('judges text, finish reason and token counts', async () => {
    const result = await runOne(`  - name: complete
    kind: completion
    prompt: Say OK
    maxTokens: 4
    expect:
      finishReason: length
      completionTokens: {min: 4, max: 4}
      promptTokens: {max: 10}
`);
    expect(result.status, result.detail).toBe('pass');
    expect(result.detail).toMatch(/^POST \/v1\/completions \(4 max tokens\) → 200 ".+" in \d+ ms$/);
  });

  it('fails a chat answer that misses its pattern', async () => {
    const result = await runOne(`  - name: talk
    kind: chat
    messages:
      - {role: system, content: Be brief.}
      - {role: user, content: Say OK}
    expect:
      textMatches: '^OK$'
`);
    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(/text ".+" does not match \/\^OK\$\//);
  });
});

describe('mcp-tool checks', () => {
  const auth = `    headers:\n      Authorization: {env: MCP_TOKEN, prefix: 'Bearer '}\n`;

  it('lists the tools and calls one, judging its structured result', async () => {
    const result = await runOne(`  - name: search
    kind: mcp-tool
${auth}    tool: search
    arguments: {query: kv cache, top_k: 2}
    expect:
      tools: [generate, count_tokens]
      json:
        - {path: $.results, min: 2, max: 2}
`);
    expect(result.status, result.detail).toBe('pass');
    expect(result.detail).toMatch(/^MCP \/mcp: tools\/call search → ".+" in \d+ ms$/);
  });

  it('fails a tool that returns an error, quoting it', async () => {
    const result = await runOne(`  - name: generate-tool
    kind: mcp-tool
    critical: true
${auth}    tool: generate
    arguments: {prompt: hello}
`);
    expect(result).toMatchObject({ status: 'fail', critical: true });
    expect(result.detail).toBe(
      'MCP /mcp: tools/call generate → the tool returned an error: ' +
        '"CUDA error: an illegal memory access was encountered"',
    );
  });

  it('passes a tool error the check expects', async () => {
    const result = await runOne(`  - name: generate-error
    kind: mcp-tool
${auth}    tool: generate
    arguments: {prompt: hello}
    expect:
      isError: true
      errorMatches: CUDA
`);
    expect(result.status, result.detail).toBe('pass');
  });

  it('fails when the tool is not listed', async () => {
    const result = await runOne(`  - name: missing
    kind: mcp-tool
${auth}    tool: translate
`);
    expect(result.status).toBe('fail');
    expect(result.detail).toContain(
      'tools/list has no translate (it lists generate, search, count_tokens, model_info)',
    );
  });

  it('fails, without the key, when the server refuses the token', async () => {
    const result = await runOne(`  - name: unauthorised
    kind: mcp-tool
    headers:
      Authorization: {env: ECHO_TOKEN, prefix: 'Bearer '}
    tool: search
    arguments: {query: x}
`);
    expect(result.status).toBe('fail');
    expect(result.detail).toBe('MCP /mcp: connect → 401 "Unauthorized"');
    expect(result.detail).not.toContain('echo-secret-4242');
  });

  it('names a server that is not there', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const port = new URL(gone.url).port;
    const result = await runOne(`  - name: nothing
    kind: mcp-tool
    url: ${gone.url}/mcp
    tool: search
`);
    expect(result.status).toBe('fail');
    expect(result.detail).toBe(
      `MCP ${gone.url}/mcp: connect → nothing listens on 127.0.0.1:${port} (connection refused)`,
    );
  });
});

describe('runOnceChecks', () => {
  it('runs the once checks in file order and leaves the soak ones', async () => {
    const s = suite(`checks:
  - {name: b, kind: http, path: /health}
  - {name: a, kind: http, path: /health, during: soak}
  - {name: c, kind: http, path: /version}
`);
    const seen: string[] = [];
    const results = await runOnceChecks(s, {
      ...options(s),
      onCheckDone: (result) => seen.push(result.name),
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['b', 'pass'],
      ['c', 'pass'],
    ]);
    expect(seen).toEqual(['b', 'c']);
  });
});
