import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../action/fake-github.js';
import {
  actionEnv,
  REPO,
  readCommandFile,
  runStep,
  type StepFiles,
  stepFiles,
} from './action-harness.js';

const fixture = (name: string) => join(REPO, 'test/integration/fixtures', name);
const TOKEN = 'ghs_integration0123456789';
const PR = 17;
const quick = {
  'soak-duration': '4s',
  'soak-concurrency': '2',
  'long-request-share': '0.5',
  'settle-duration': '1s',
  'sample-interval': '200ms',
  warmup: '2',
};

let github: FakeGitHub;

beforeAll(async () => {
  github = new FakeGitHub();
  await github.start();
});

afterAll(async () => {
  await github.stop();
});

/** A step on a pull_request run of PR #17, with the API at the local server. */
function prStep(files: StepFiles, inputs: Record<string, string>) {
  const event = join(files.dir, 'event.json');
  const repo = { full_name: 'example/serving-configs' };
  writeFileSync(
    event,
    JSON.stringify({ pull_request: { number: PR, head: { repo }, base: { repo } } }),
  );
  writeFileSync(
    join(files.dir, 'candidate.yaml'),
    'model: example/leaky-30b\nmax-model-len: 8192\ngpu-memory-utilization: 0.9\n',
  );
  return actionEnv(
    files,
    { ...quick, config: 'candidate.yaml', 'github-token': TOKEN, ...inputs },
    {
      GITHUB_API_URL: github.baseUrl,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_WORKFLOW: 'serving configs',
      GITHUB_JOB: 'gate',
      GITHUB_RUN_ID: '4242',
    },
  );
}

function writes(): string[] {
  return github.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
}

describe('the bundled action and the PR comment', () => {
  it('comments on a failing gate after paging, then updates that comment when it passes', async () => {
    github.comments.clear();
    github.requests.length = 0;
    github.options = {};
    github.seed(
      PR,
      Array.from({ length: 230 }, (_, i) => `review note ${i}`),
    );

    const failing = stepFiles();
    const first = await runStep(
      'main',
      prStep(failing, { simulate: fixture('leaky-failing.yaml') }),
      { timeoutMs: 90_000 },
    );
    expect(first.code, first.stdout).toBe(1);
    expect(first.stdout).toContain(`PR comment created on #${PR}`);
    const pages = github.requests.filter((r) => r.method === 'GET').map((r) => r.url);
    expect(pages).toEqual(
      [1, 2, 3].map(
        (p) => `/repos/example/serving-configs/issues/${PR}/comments?per_page=100&page=${p}`,
      ),
    );
    expect(writes()).toEqual([`POST /repos/example/serving-configs/issues/${PR}/comments`]);
    const ours = github.on(PR)[230]!;
    expect(ours.body).toMatch(
      /^<!-- serving-gate comment [0-9a-f]{16} -->\n## serving-gate: FAIL: Critical check long-context/,
    );
    expect(ours.body).toContain(
      '[Job summary and logs](https://github.example/example/serving-configs/actions/runs/4242)',
    );

    // The reports written before the step failed: annotations on the config line, the
    // summary with its chart, the JUnit file and the outputs.
    expect(first.stdout).toMatch(
      /::error title=serving-gate critical-check,file=candidate\.yaml,line=2::Critical check long-context/,
    );
    const summary = readFileSync(failing.summary, 'utf8');
    expect(summary).toContain('```mermaid\n%%{init:');
    const outputs = readCommandFile(failing.output);
    expect(outputs.junit).toBe(join(failing.dir, 'serving-gate-report/serving-gate-junit.xml'));
    expect(readFileSync(outputs.junit!, 'utf8')).toContain('<testsuite name="serving-gate.checks"');
    expect(Number(outputs['bar1-growth-mib'])).toBeGreaterThan(0);
    // The slope is a plain number, or empty when no trend could be fitted. It may be 0: the
    // leak fills this BAR1 within seconds and the series then lies flat at the top.
    expect(outputs['bar1-slope-mib-per-hour']).toMatch(/^$|^-?\d+(\.\d+)?$/);
    expect(outputs).toHaveProperty('projected-exhaustion-hours');

    github.requests.length = 0;
    const passing = stepFiles();
    const second = await runStep(
      'main',
      prStep(passing, { simulate: fixture('healthy-fast.yaml') }),
      { timeoutMs: 90_000 },
    );
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).toContain(`PR comment updated on #${PR}`);
    expect(writes()).toEqual([`PATCH /repos/example/serving-configs/issues/comments/${ours.id}`]);
    expect(github.on(PR)).toHaveLength(231);
    expect(github.on(PR)[230]!.body).toMatch(/\n## serving-gate: PASS/);

    // The token reached GitHub as a header, and nothing printed or written holds it.
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    for (const run of [first, second]) {
      expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
      expect(run.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    }
    expect(github.on(PR).some((c) => c.body.includes(TOKEN))).toBe(false);
    expect(readFileSync(passing.summary, 'utf8')).not.toContain(TOKEN);
  }, 180_000);

  it('keeps a passing verdict when the token may not comment (403), with a warning', async () => {
    github.comments.clear();
    github.requests.length = 0;
    github.options = { denyWrites: true };

    const files = stepFiles();
    const run = await runStep(
      'main',
      prStep(files, { simulate: fixture('healthy-fast.yaml'), comment: 'always' }),
      { timeoutMs: 90_000 },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `::warning::The PR comment on #${PR} was not posted: the token may not comment on this pull request \\(403`,
      ),
    );
    expect(writes()).toEqual([`POST /repos/example/serving-configs/issues/${PR}/comments`]);
    expect(readCommandFile(files.output).verdict).toBe('pass');
    expect(readFileSync(files.summary, 'utf8')).toMatch(/^## serving-gate: PASS/);
    expect(existsSync(join(files.dir, 'serving-gate-report/serving-gate-results.json'))).toBe(true);
  }, 120_000);

  it('rejects a comment mode it does not know before deploying anything', async () => {
    const files = stepFiles();
    const run = await runStep(
      'main',
      prStep(files, { simulate: fixture('healthy-fast.yaml'), comment: 'sometimes' }),
      { timeoutMs: 30_000 },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::comment: "sometimes" is not one of always, on-failure, never',
    );
    expect(existsSync(join(files.dir, 'serving-gate-report'))).toBe(false);
  });
});
