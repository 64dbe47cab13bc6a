import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionEnv, REPO, readCommandFile, runStep, stepFiles } from './action-harness.js';

const fixture = (name: string) => join(REPO, 'test/integration/fixtures', name);
const quick = {
  'soak-duration': '4s',
  'soak-concurrency': '2',
  'long-request-share': '0.5',
  'settle-duration': '1s',
  'sample-interval': '200ms',
  warmup: '2',
};

describe('the bundled action against the simulator', () => {
  it('passes a healthy deployment and reports it', async () => {
    const files = stepFiles();
    const env = actionEnv(files, {
      ...quick,
      simulate: fixture('healthy-fast.yaml'),
      teardown: 'echo torn down > teardown.txt',
      'api-key': 'sk-test-secret-0123',
    });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code, run.stdout).toBe(0);

    const outputs = readCommandFile(files.output);
    expect(outputs.verdict).toBe('pass');
    expect(JSON.parse(outputs.reasons!)).toEqual([]);
    expect(outputs.report).toBe(join(files.dir, 'serving-gate-report/serving-gate-results.json'));

    const results = JSON.parse(readFileSync(outputs.report!, 'utf8'));
    expect(results).toMatchObject({ schemaVersion: 1, verdict: 'pass', config: null });
    expect(results.checks.map((c: { name: string }) => c.name)).toEqual([
      'health',
      'models',
      'generate',
      'chat',
      'stream',
      'long-context',
      'over-limit',
      'generate-after-soak',
    ]);
    expect(results.memory.samples.length).toBeGreaterThan(5);
    expect(results.memory.series.map((s: { metric: string }) => s.metric).sort()).toEqual([
      'bar1',
      'fb',
    ]);

    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toMatch(/^## serving-gate: PASS/);
    expect(summary).toContain('### Checks (8 of 8 passed)');
    expect(summary).toContain('| GPU 0 (NVIDIA L40S) | BAR1 |');

    // Teardown ran, the simulator is gone, and the key never reached a log or report.
    expect(readFileSync(join(files.dir, 'teardown.txt'), 'utf8').trim()).toBe('torn down');
    await expect(fetch(`${results.endpoint}/health`)).rejects.toThrow();
    // The runner consumes `::add-mask::` and masks the value in everything printed after.
    expect(run.stdout).toContain('::add-mask::sk-test-secret-0123');
    const printed = run.stdout.replace('::add-mask::sk-test-secret-0123', '');
    for (const text of [printed, summary, readFileSync(outputs.report!, 'utf8')]) {
      expect(text).not.toContain('sk-test-secret-0123');
    }
  });

  it('fails a leaking deployment whose long-context generate fails, and says why', async () => {
    const files = stepFiles();
    const config = join(files.dir, 'candidate.yaml');
    writeFileSync(
      config,
      'model: example/leaky-30b\nmax-model-len: 8192\ngpu-memory-utilization: 0.9\n',
    );
    const env = actionEnv(files, {
      ...quick,
      config: 'candidate.yaml',
      simulate: fixture('leaky-failing.yaml'),
    });
    const run = await runStep('main', env, { timeoutMs: 90_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::serving-gate: FAIL: Critical check long-context');

    const outputs = readCommandFile(files.output);
    expect(outputs.verdict).toBe('fail');
    const reasons = JSON.parse(outputs.reasons!) as {
      rule: string;
      file?: string;
      line?: number;
    }[];
    expect(reasons[0]).toMatchObject({ rule: 'critical-check', file: 'candidate.yaml', line: 2 });
    const rules = reasons.map((r) => r.rule);
    expect(rules).toContain('soak-failures');
    expect(rules.some((r) => r === 'bar1-growth' || r === 'memory-ceiling')).toBe(true);
    expect(Number(outputs['bar1-growth-mib'])).toBeGreaterThan(0);

    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toMatch(/^## serving-gate: FAIL: Critical check long-context/);
    expect(summary).toContain('(candidate.yaml:2)');
    expect(summary).toContain('<summary>Engine log (last lines)</summary>');
  });

  it('names an nvidia-smi that cannot run as infra and deploys nothing', async () => {
    const files = stepFiles();
    const env = actionEnv(files, {
      ...quick,
      deploy: 'echo deployed > deployed.txt',
      endpoint: 'http://127.0.0.1:9',
      'nvidia-smi': 'no-such-nvidia-smi-binary',
    });
    const run = await runStep('main', env, { timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(readCommandFile(files.output).verdict).toBe('infra');
    expect(run.stdout).toContain('no-such-nvidia-smi-binary');
    expect(existsSync(join(files.dir, 'deployed.txt'))).toBe(false);
  });
});

describe('the post step', () => {
  it('tears down after main was killed mid-run', async () => {
    const files = stepFiles();
    const smi = `"${process.execPath}" "${join(REPO, 'dist/cli/index.js')}" simulate smi`;
    const env = actionEnv(files, {
      deploy: 'echo $$ > server.pid; exec sleep 300',
      teardown: 'echo ran > teardown.txt',
      endpoint: 'http://127.0.0.1:9',
      'ready-timeout': '60s',
      'nvidia-smi': smi,
    });
    const pidFile = join(files.dir, 'server.pid');
    const main = await runStep('main', env, {
      timeoutMs: 30_000,
      onStart: (child) => {
        const poll = setInterval(() => {
          if (existsSync(pidFile) && readFileSync(files.state, 'utf8').includes('pid')) {
            clearInterval(poll);
            child.kill('SIGKILL');
          }
        }, 50);
      },
    });
    expect(main.signal).toBe('SIGKILL');
    const serverPid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(serverPid, 0)).not.toThrow();

    const state = readCommandFile(files.state);
    const postEnv = { ...env, 'STATE_serving-gate-teardown': state['serving-gate-teardown'] };
    const post = await runStep('post', postEnv, { timeoutMs: 30_000 });
    expect(post.code, post.stdout).toBe(0);
    expect(readFileSync(join(files.dir, 'teardown.txt'), 'utf8').trim()).toBe('ran');
    expect(() => process.kill(serverPid, 0)).toThrow();
  });

  it('does nothing when main already tore down', async () => {
    const files = stepFiles();
    const state = JSON.stringify({ pid: null, teardown: null, cwd: files.dir, tornDown: true });
    const env = actionEnv(files, {}, { 'STATE_serving-gate-teardown': state });
    const post = await runStep('post', env, { timeoutMs: 10_000 });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('nothing left to tear down');
  });
});
