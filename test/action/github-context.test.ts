import { describe, expect, it } from 'vitest';
import { COMMENT_MODES, parseCommentMode } from '../../src/github/comment-mode.js';
import { commentMarker, describeIdentity, gateIdentity } from '../../src/github/marker.js';
import { findPullRequest, runUrl } from '../../src/github/pull-request.js';

const ENV = {
  GITHUB_REPOSITORY: 'example/serving-configs',
  GITHUB_EVENT_PATH: '/event.json',
  GITHUB_EVENT_NAME: 'pull_request',
};

function eventFile(event: unknown) {
  return (path: string) => {
    if (path !== '/event.json') throw new Error(`ENOENT: ${path}`);
    return JSON.stringify(event);
  };
}

const samePr = {
  pull_request: {
    number: 17,
    head: { repo: { full_name: 'example/serving-configs' } },
    base: { repo: { full_name: 'example/serving-configs' } },
  },
};

describe('findPullRequest', () => {
  it('reads the PR of a pull_request event', () => {
    expect(findPullRequest(ENV, eventFile(samePr))).toEqual({
      kind: 'pull-request',
      pr: {
        owner: 'example',
        repo: 'serving-configs',
        number: 17,
        fromFork: false,
        eventName: 'pull_request',
      },
    });
  });

  it('knows a PR from a fork, and one whose fork was deleted', () => {
    const fork = {
      pull_request: { ...samePr.pull_request, head: { repo: { full_name: 'someone/fork' } } },
    };
    const gone = { pull_request: { ...samePr.pull_request, head: { repo: null } } };
    for (const event of [fork, gone]) {
      const found = findPullRequest(ENV, eventFile(event));
      expect(found.kind === 'pull-request' && found.pr.fromFork).toBe(true);
    }
  });

  it('reads the PR of a comment on a PR, but not of a comment on an issue', () => {
    const onPr = { issue: { number: 5, pull_request: { url: 'x' } } };
    const found = findPullRequest({ ...ENV, GITHUB_EVENT_NAME: 'issue_comment' }, eventFile(onPr));
    expect(found).toMatchObject({ kind: 'pull-request', pr: { number: 5, fromFork: false } });
    const onIssue = { issue: { number: 5 } };
    expect(findPullRequest(ENV, eventFile(onIssue)).kind).toBe('none');
  });

  it('finds none on a push, without an event file, or without a repository', () => {
    expect(findPullRequest(ENV, eventFile({ ref: 'refs/heads/main' }))).toMatchObject({
      kind: 'none',
      why: 'this run is not about a pull request (pull_request)',
    });
    expect(findPullRequest({ ...ENV, GITHUB_EVENT_PATH: '/gone.json' }, eventFile({})).kind).toBe(
      'none',
    );
    expect(findPullRequest({ GITHUB_EVENT_PATH: '/event.json' }, eventFile(samePr)).kind).toBe(
      'none',
    );
  });
});

describe('runUrl', () => {
  it('points at the run on the server the workflow runs on', () => {
    expect(runUrl({ ...ENV, GITHUB_SERVER_URL: 'https://ghe.example', GITHUB_RUN_ID: '99' })).toBe(
      'https://ghe.example/example/serving-configs/actions/runs/99',
    );
    expect(runUrl({})).toBeNull();
  });
});

describe('commentMarker', () => {
  const id = gateIdentity({ GITHUB_WORKFLOW: 'gate', GITHUB_JOB: 'serving' }, 'a--b.yaml');

  it('is a hidden HTML comment that no config path can break', () => {
    const marker = commentMarker(id);
    expect(marker).toMatch(/^<!-- serving-gate comment [0-9a-f]{16} -->$/);
    expect(marker.slice(4, -3)).not.toContain('--');
  });

  it('differs per job and per config, and is stable for the same gate', () => {
    expect(commentMarker(id)).toBe(commentMarker({ ...id }));
    expect(commentMarker({ ...id, job: 'other' })).not.toBe(commentMarker(id));
    expect(commentMarker({ ...id, config: 'c.yaml' })).not.toBe(commentMarker(id));
  });

  it('is described in words for the comment footer', () => {
    expect(describeIdentity(id)).toBe('workflow gate, job serving, config a--b.yaml');
  });
});

describe('parseCommentMode', () => {
  it('accepts the three modes and defaults to on-failure', () => {
    for (const mode of COMMENT_MODES) expect(parseCommentMode(mode)).toBe(mode);
    expect(parseCommentMode('')).toBe('on-failure');
    expect(parseCommentMode(undefined)).toBe('on-failure');
  });

  it('refuses anything else, naming the input', () => {
    expect(() => parseCommentMode('sometimes')).toThrow(/^comment: "sometimes" is not one of/);
  });
});
