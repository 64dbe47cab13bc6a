import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { parseSuiteText } from '../../src/suite/load.js';
import { type SoakCheckRun, startSoakChecks, summarize } from '../../src/suite/soak-runner.js';
import { startServer } from './servers.js';

const check = (critical = true) =>
  parseSuiteText(
    `checks:\n  - {name: under-load, kind: http, path: /x, during: soak, interval: 50ms, critical: ${critical}}\n`,
    'suite.yaml',
    { env: {}, defaultTimeoutMs: 2000 },
  ).checks[0]!;

const run = (tMs: number, status: CheckResult['status'], detail: string): SoakCheckRun => ({
  tMs,
  result: { name: 'under-load', critical: true, status, durationMs: 10, detail },
});

describe('summarize', () => {
  it('fails a check with any failed run, counting them and quoting the first', () => {
    const result = summarize(
      check(),
      [run(1500, 'pass', 'ok'), run(3200, 'fail', 'GET /x → 503'), run(4000, 'fail', 'later')],
      1000,
    );
    expect(result).toMatchObject({
      name: 'under-load',
      critical: true,
      status: 'fail',
      durationMs: 30,
      figures: { kind: 'http', during: 'soak', runs: 3, failures: 2 },
    });
    expect(result.detail).toBe(
      'failed 2 of 3 runs under soak load (first at soak +2s): GET /x → 503',
    );
  });

  it('passes a check whose every run passed', () => {
    const result = summarize(check(), [run(10, 'pass', 'GET /x → 200')], 0);
    expect(result.status).toBe('pass');
    expect(result.detail).toBe('passed 1 of 1 runs under soak load; last: GET /x → 200');
  });

  it('skips a check that never ran, saying why', () => {
    const result = summarize(check(), [], 0, 'the soak was skipped (soak-duration 0)');
    expect(result).toMatchObject({
      status: 'skip',
      detail: 'not run: the soak was skipped (soak-duration 0)',
    });
  });
});

describe('startSoakChecks', () => {
  it('runs a check at its interval until stopped and counts every failure', async () => {
    // Every other answer is an error, as a server under load might give.
    const server = await startServer((_req, res, index) => {
      res.writeHead(index % 2 === 1 ? 503 : 200);
      res.end('{}');
    });
    let runs = 0;
    let enough: () => void = () => {};
    const fourRuns = new Promise<void>((resolve) => {
      enough = resolve;
    });
    try {
      const soak = startSoakChecks([check()], {
        endpoint: server.url,
        apiKey: null,
        model: null,
        redact: (text) => text,
        now: () => Date.now(),
        onRun: () => {
          runs += 1;
          if (runs === 4) enough();
        },
      });
      await fourRuns;
      const [result] = await soak.stop();
      expect(result?.status).toBe('fail');
      const figures = result?.figures as { runs: number; failures: number };
      expect(figures.runs).toBeGreaterThanOrEqual(4);
      expect(figures.failures).toBe(Math.floor(figures.runs / 2));
      expect(result?.detail).toMatch(/^failed \d+ of \d+ runs under soak load/);
    } finally {
      await server.close();
    }
  });

  it('reports a check as skipped when stopped before its first run', async () => {
    const soak = startSoakChecks([check(false)], {
      endpoint: 'http://127.0.0.1:1',
      apiKey: null,
      model: null,
      redact: (text) => text,
      now: () => 0,
    });
    const [result] = await soak.stop('the soak was skipped (soak-duration 0)');
    expect(result).toMatchObject({ status: 'skip', critical: false });
  });
});
