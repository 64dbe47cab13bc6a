import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishComment } from '../../src/action/pr-comment.js';
import type { CommentMode } from '../../src/github/comment-mode.js';
import { hasNextLink, octokitCommentsApi } from '../../src/github/comments-api.js';
import { commentMarker, gateIdentity } from '../../src/github/marker.js';
import type { PullRequestRef } from '../../src/github/pull-request.js';
import { upsertComment } from '../../src/github/upsert-comment.js';
import type { GateResults } from '../../src/report/results.js';
import { fixture } from '../report/load-fixture.js';
import { FakeGitHub } from './fake-github.js';

const TOKEN = 'ghs_test0123456789abcdef';
const PR: PullRequestRef = {
  owner: 'example',
  repo: 'serving-configs',
  number: 17,
  fromFork: false,
  eventName: 'pull_request',
};

let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub();
  await github.start();
});

afterEach(async () => {
  await github.stop();
});

describe('the comments API against a local GitHub', () => {
  it('sends the token as a header, never in the URL', async () => {
    await octokitCommentsApi(TOKEN, github.baseUrl, PR).list(1, 100);
    const [request] = github.requests;
    expect(request).toMatchObject({
      method: 'GET',
      url: '/repos/example/serving-configs/issues/17/comments?per_page=100&page=1',
    });
    expect(request!.authorization).toBe(`token ${TOKEN}`);
  });

  it('reads the Link header to know there is a next page', async () => {
    github.seed(
      17,
      Array.from({ length: 150 }, (_, i) => `comment ${i}`),
    );
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR);
    expect((await api.list(1, 100)).hasNext).toBe(true);
    const last = await api.list(2, 100);
    expect(last.hasNext).toBe(false);
    expect(last.comments).toHaveLength(50);
  });

  it('gives up on a hung API at its deadline', async () => {
    github.options.hang = true;
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR, 200);
    await expect(api.list(1, 100)).rejects.toThrow();
  });
});

describe('hasNextLink', () => {
  it('finds rel="next" among the other relations only', () => {
    expect(hasNextLink('<https://x/?page=2>; rel="next", <https://x/?page=5>; rel="last"')).toBe(
      true,
    );
    expect(hasNextLink('<https://x/?page=1>; rel="first", <https://x/?page=4>; rel="prev"')).toBe(
      false,
    );
    expect(hasNextLink(undefined)).toBe(false);
  });
});

describe('upsertComment', () => {
  const marker = '<!-- serving-gate comment 0123456789abcdef -->';

  it('creates the comment when there is none', async () => {
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR);
    const outcome = await upsertComment(api, marker, `${marker}\nfirst`, { create: true });
    expect(outcome).toMatchObject({ action: 'created', pagesRead: 1 });
    expect(github.on(17).map((c) => c.body)).toEqual([`${marker}\nfirst`]);
  });

  it('updates its own comment in place, found on the third page', async () => {
    github.seed(
      17,
      Array.from({ length: 230 }, (_, i) => `review note ${i}`),
    );
    github.seed(17, [`${marker}\nold verdict`]);
    github.seed(17, ['a later note']);
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR);
    const outcome = await upsertComment(api, marker, `${marker}\nnew verdict`, { create: true });
    expect(outcome).toMatchObject({ action: 'updated', pagesRead: 3 });
    expect(github.on(17)).toHaveLength(232);
    expect(github.on(17)[230]!.body).toBe(`${marker}\nnew verdict`);
  });

  it('does not take another gate’s comment, or a quote of the marker, for its own', async () => {
    github.seed(17, [
      '<!-- serving-gate comment fedcba9876543210 -->\nother gate',
      `> quoting ${marker}`,
    ]);
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR);
    expect(await upsertComment(api, marker, `${marker}\nmine`, { create: true })).toMatchObject({
      action: 'created',
    });
    expect(github.on(17)).toHaveLength(3);
  });

  it('opens no comment when asked not to, but still updates one left before', async () => {
    const api = octokitCommentsApi(TOKEN, github.baseUrl, PR);
    expect(await upsertComment(api, marker, `${marker}\npass`, { create: false })).toMatchObject({
      action: 'skipped',
    });
    expect(github.on(17)).toHaveLength(0);
    github.seed(17, [`${marker}\nfail`]);
    expect(await upsertComment(api, marker, `${marker}\npass`, { create: false })).toMatchObject({
      action: 'updated',
    });
    expect(github.on(17)[0]!.body).toBe(`${marker}\npass`);
  });
});

describe('publishComment', () => {
  const PR_EVENT = {
    pull_request: {
      number: 17,
      head: { repo: { full_name: 'example/serving-configs' } },
      base: { repo: { full_name: 'example/serving-configs' } },
    },
  };

  function run(
    results: GateResults,
    mode: CommentMode,
    options: { event?: unknown; eventName?: string; token?: string } = {},
  ) {
    const lines: { level: 'info' | 'warning'; text: string }[] = [];
    const done = publishComment(results, {
      env: {
        GITHUB_REPOSITORY: 'example/serving-configs',
        GITHUB_EVENT_PATH: '/event.json',
        GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
        GITHUB_API_URL: github.baseUrl,
        GITHUB_WORKFLOW: 'gate',
        GITHUB_JOB: 'serving',
        GITHUB_RUN_ID: '42',
      },
      mode,
      token: options.token ?? TOKEN,
      readFile: () => JSON.stringify(options.event ?? PR_EVENT),
      api: octokitCommentsApi,
      log: {
        info: (text) => lines.push({ level: 'info', text }),
        warning: (text) => lines.push({ level: 'warning', text }),
      },
    });
    return done.then((outcome) => ({ outcome, lines }));
  }

  it('comments on a failing gate, marked so the next run finds it', async () => {
    const { outcome, lines } = await run(fixture('fail'), 'on-failure');
    expect(outcome).toBe('created');
    const marker = commentMarker(
      gateIdentity({ GITHUB_WORKFLOW: 'gate', GITHUB_JOB: 'serving' }, fixture('fail').config),
    );
    expect(github.on(17)[0]!.body.startsWith(`${marker}\n## serving-gate: FAIL`)).toBe(true);
    expect(lines).toEqual([
      { level: 'info', text: expect.stringMatching(/^PR comment created on #17: https:/) },
    ]);
  });

  it('updates that comment when the next run passes, and opens none for a first pass', async () => {
    expect((await run(fixture('pass'), 'on-failure')).outcome).toBe('skipped');
    expect(github.on(17)).toHaveLength(0);
    await run(fixture('fail'), 'on-failure');
    const pass = { ...fixture('pass'), config: fixture('fail').config };
    expect((await run(pass, 'on-failure')).outcome).toBe('updated');
    expect(github.on(17)).toHaveLength(1);
    expect(github.on(17)[0]!.body).toContain('## serving-gate: PASS');
  });

  it('comments on a pass under comment: always, and never under comment: never', async () => {
    expect((await run(fixture('pass'), 'always')).outcome).toBe('created');
    expect((await run(fixture('fail'), 'never')).outcome).toBe('comment: never');
    expect(github.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('warns, and does not throw, when the token may not write (403)', async () => {
    github.options.denyWrites = true;
    const { outcome, lines } = await run(fixture('fail'), 'on-failure');
    expect(outcome).toBe('failed');
    expect(lines).toEqual([
      {
        level: 'warning',
        text: expect.stringMatching(
          /^The PR comment on #17 was not posted: the token may not comment on this pull request \(403: Resource not accessible by integration/,
        ),
      },
    ]);
    expect(lines[0]!.text).toContain('pull-requests: write');
    expect(lines[0]!.text).not.toContain(TOKEN);
  });

  it('warns on an API outage', async () => {
    github.options.failWith = 503;
    const { outcome, lines } = await run(fixture('fail'), 'always');
    expect(outcome).toBe('failed');
    expect(lines[0]).toMatchObject({
      level: 'warning',
      text: expect.stringContaining('the GitHub API is unavailable (503'),
    });
  });

  it('does not try a fork’s PR, whose token is read-only, and says why', async () => {
    const fork = {
      pull_request: { ...PR_EVENT.pull_request, head: { repo: { full_name: 'someone/fork' } } },
    };
    const { outcome, lines } = await run(fixture('fail'), 'always', { event: fork });
    expect(outcome).toBe('fork');
    expect(lines[0]).toMatchObject({ level: 'warning', text: expect.stringContaining('fork') });
    expect(github.requests).toHaveLength(0);
  });

  it('tries a fork’s PR under pull_request_target, whose token can write', async () => {
    const fork = {
      pull_request: { ...PR_EVENT.pull_request, head: { repo: { full_name: 'someone/fork' } } },
    };
    const { outcome } = await run(fixture('fail'), 'always', {
      event: fork,
      eventName: 'pull_request_target',
    });
    expect(outcome).toBe('created');
  });

  it('only logs when the run is not about a PR', async () => {
    const { outcome, lines } = await run(fixture('fail'), 'always', {
      event: { ref: 'refs/heads/main' },
      eventName: 'push',
    });
    expect(outcome).toBe('this run is not about a pull request (push)');
    expect(lines.map((l) => l.level)).toEqual(['info']);
    expect(github.requests).toHaveLength(0);
  });

  it('warns when there is no token', async () => {
    const { outcome, lines } = await run(fixture('fail'), 'always', { token: '' });
    expect(outcome).toBe('no token');
    expect(lines[0]?.level).toBe('warning');
  });
});
