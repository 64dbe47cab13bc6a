import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionEnv, REPO, readCommandFile, runStep, stepFiles } from './action-harness.js';

const fixture = (name: string) => join(REPO, 'test/integration/fixtures', name);
const CLI = `"${process.execPath}" "${join(REPO, 'dist/cli/index.js')}"`;
const quick = {
  'soak-duration': '4s',
  'soak-concurrency': '2',
  'long-request-share': '0.5',
  'settle-duration': '1s',
  'sample-interval': '250ms',
  warmup: '2',
};
const SECRET = 'sk-sim-suite-secret-0456';
const started = Date.now();

interface Reason {
  rule: string;
  severity: string;
  message: string;
  figures?: Record<string, unknown>;
}

function results(files: { output: string }) {
  const outputs = readCommandFile(files.output);
  return { outputs, results: JSON.parse(readFileSync(outputs.report!, 'utf8')) };
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

afterAll(() => {
  // The dirty-runner scenario leaves its GPU residue in a state file: remove ours.
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!/^serving-gate-sim-.*\.json$/.test(name) || statSync(path).mtimeMs < started) continue;
    if (readFileSync(path, 'utf8').includes('"residue":true')) rmSync(path, { force: true });
  }
});

describe('a suite of the user’s own checks', () => {
  it('fails when only the critical generate tool fails, saying 10 of 11 passed', async () => {
    const files = stepFiles();
    const env = actionEnv(
      files,
      {
        ...quick,
        simulate: fixture('mcp-generate-fails.yaml'),
        suite: fixture('suite-eleven.yaml'),
        'api-key': SECRET,
      },
      { MCP_TOKEN: SECRET },
    );
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(1);

    const { outputs, results: r } = results(files);
    expect(outputs.verdict).toBe('fail');
    const reasons = JSON.parse(outputs.reasons!) as Reason[];
    expect(reasons[0]).toMatchObject({
      rule: 'critical-check',
      figures: { check: 'mcp-generate', passed: 10, total: 11 },
    });
    expect(reasons[0]!.message).toBe(
      'Critical check mcp-generate failed (10 of 11 checks passed): MCP /mcp: tools/call ' +
        'generate → the tool returned an error: "CUDA error: an illegal memory access was encountered"',
    );
    const suiteChecks = r.checks.filter((c: { name: string }) => r.suite.checks.includes(c.name));
    expect(suiteChecks).toHaveLength(11);
    expect(suiteChecks.filter((c: { status: string }) => c.status === 'pass')).toHaveLength(10);

    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('Critical check mcp-generate failed (10 of 11 checks passed)');
    // The runner consumes every `::add-mask::` line and masks the value from then on.
    expect(run.stdout).toContain(`::add-mask::${SECRET}`);
    const printed = run.stdout.replaceAll(`::add-mask::${SECRET}`, '');
    for (const text of [printed, summary, readFileSync(outputs.report!, 'utf8')]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('catches a check that passes at idle and fails only under the soak load', async () => {
    const files = stepFiles();
    const env = actionEnv(files, {
      ...quick,
      simulate: fixture('mcp-search-under-load.yaml'),
      suite: fixture('suite-under-load.yaml'),
    });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(1);

    const { results: r } = results(files);
    const byName = Object.fromEntries(r.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName['search-idle']).toMatchObject({ status: 'pass' });
    expect(byName['search-under-load']).toMatchObject({
      status: 'fail',
      critical: true,
      figures: { during: 'soak' },
    });
    const { runs, failures } = byName['search-under-load'].figures;
    expect(failures).toBeGreaterThan(0);
    const reason = (r.reasons as Reason[]).find((x) => x.rule === 'critical-check');
    expect(reason?.message).toMatch(
      new RegExp(
        `^Critical check search-under-load failed \\(1 of 2 checks passed\\): failed ${failures} ` +
          `of ${runs} runs under soak load .*search index timed out`,
      ),
    );
  });

  it('stops before deploying when the suite file has an error, naming file and line', async () => {
    const files = stepFiles();
    const suite = join(files.dir, 'suite.yaml');
    writeFileSync(suite, 'checks:\n  - name: a\n    kind: grpc\n');
    const env = actionEnv(files, {
      ...quick,
      suite: 'suite.yaml',
      deploy: 'echo deployed > deployed.txt',
    });
    const run = await runStep('main', env, { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('suite.yaml:3:11: checks[0].kind: unknown kind "grpc"');
    expect(existsSync(join(files.dir, 'deployed.txt'))).toBe(false);
  });
});

describe('deploy: compose', () => {
  it('catches a crash loop with its restart count and exit code, and keeps the logs', async () => {
    const files = stepFiles();
    const port = await freePort();
    const state = join(files.dir, 'docker-state');
    writeFileSync(
      join(files.dir, 'compose.yml'),
      `services:
  engine:
    image: vllm/vllm-openai:v0.11.0
    restart: unless-stopped
    ports: ["127.0.0.1:${port}:8000"]
    x-serving-gate-sim:
      scenario: ${fixture('crash-loop-engine.yaml')}
      crash:
        after: 1500ms
        exitCode: 3
        log: ["RuntimeError: CUDA error: an illegal memory access was encountered"]
`,
    );
    const env = actionEnv(files, {
      ...quick,
      deploy: 'compose',
      'compose-file': 'compose.yml',
      service: 'engine',
      docker: `${CLI} simulate docker --state "${state}"`,
      endpoint: `http://127.0.0.1:${port}`,
      'nvidia-smi': `${CLI} simulate smi --scenario "${fixture('crash-loop-engine.yaml')}" --state "${join(state, 'engine.gpu-state.json')}"`,
    });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(1);

    const { outputs, results: r } = results(files);
    expect(outputs.verdict).toBe('fail');
    const died = (r.reasons as Reason[]).find((x) => x.rule === 'deployment-died');
    expect(died?.message).toMatch(
      /^Crash loop: the engine container restarted \d+ time\(s\) during the gate; last exit: exit code 3: RuntimeError: CUDA error/,
    );
    expect(died?.figures).toMatchObject({ exitCode: 3, oomKilled: false });
    expect(Number(died?.figures?.restartCount)).toBeGreaterThan(0);
    expect(r.deploy.container).toMatchObject({ service: 'engine', exitCode: 3 });
    expect(r.deploy.container.samples.length).toBeGreaterThan(1);
    expect(r.deploy.logTail).toContain(
      'RuntimeError: CUDA error: an illegal memory access was encountered',
    );

    // Torn down with argv (no --volumes unless asked), and nothing left running.
    const calls = readFileSync(join(state, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls.map((line) => JSON.parse(line))).toContainEqual([
      'compose',
      '-f',
      join(files.dir, 'compose.yml'),
      'down',
    ]);
    expect(readdirSync(join(state, 'containers'))).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('passes a healthy compose service and removes its volumes when asked', async () => {
    const files = stepFiles();
    const port = await freePort();
    const state = join(files.dir, 'docker-state');
    writeFileSync(
      join(files.dir, 'compose.yml'),
      `services:
  engine:
    ports: ["${port}:8000"]
    volumes: [model-cache:/root/.cache/huggingface]
    x-serving-gate-sim:
      scenario: ${fixture('crash-loop-engine.yaml')}
volumes:
  model-cache: {}
`,
    );
    const env = actionEnv(files, {
      ...quick,
      deploy: 'compose',
      'compose-file': 'compose.yml',
      service: 'engine',
      'compose-down-volumes': 'true',
      docker: `${CLI} simulate docker --state "${state}"`,
      endpoint: `http://127.0.0.1:${port}`,
      'nvidia-smi': `${CLI} simulate smi --scenario "${fixture('crash-loop-engine.yaml')}" --state "${join(state, 'engine.gpu-state.json')}"`,
    });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(0);
    const { results: r } = results(files);
    expect(r.deploy.container).toMatchObject({ restartCount: 0, exitCode: null });
    expect(r.deploy.logTail).toEqual([]);
    expect(r.teardown).toMatchObject({
      ok: true,
      message: 'docker compose down finished (volumes removed)',
    });
    expect(readdirSync(join(state, 'volumes'))).toEqual([]);
  });
});

describe('runner hygiene', () => {
  it('reports a runner whose GPU memory did not return after teardown', async () => {
    const files = stepFiles();
    const env = actionEnv(files, { ...quick, simulate: fixture('dirty-runner.yaml') });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(0);

    const { outputs, results: r } = results(files);
    expect(outputs.verdict).toBe('pass');
    expect(r.runner).toMatchObject({
      dirty: true,
      gpus: [
        { index: 0, fbBaselineMiB: 0, fbAfterMiB: 2048, bar1BaselineMiB: 1, bar1AfterMiB: 601 },
      ],
    });
    const reasons = JSON.parse(outputs.reasons!) as Reason[];
    expect(reasons).toContainEqual(
      expect.objectContaining({
        rule: 'runner-dirty',
        severity: 'warn',
        message: expect.stringContaining('GPU 0: FB 0 → 2048 MiB, BAR1 1 → 601 MiB'),
      }),
    );
  });

  it('finds a clean runner clean', async () => {
    const files = stepFiles();
    const env = actionEnv(files, { ...quick, simulate: fixture('healthy-fast.yaml') });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(0);
    expect(results(files).results.runner).toMatchObject({ dirty: false });
  });
});
