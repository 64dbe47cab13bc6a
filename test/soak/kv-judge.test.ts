import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/memory/types.js';
import type { EngineMetricsRecord } from '../../src/soak/engine-watch.js';
import { judgeKvCache } from '../../src/soak/kv-judge.js';

function record(samples: [number, Phase, number | null, number][]): EngineMetricsRecord {
  return {
    url: 'http://127.0.0.1:8000/metrics',
    samples: samples.map(([tMs, phase, kvCacheUsage, running]) => ({
      tMs,
      phase,
      kvCacheUsage,
      running,
      waiting: 0,
    })),
    errors: [],
    failedScrapes: 0,
  };
}

const judge = (r: EngineMetricsRecord | null, expectsGauge = true) =>
  judgeKvCache({ record: r, engineLabel: 'vLLM', expectsGauge, soakEndMs: 10_000 });

describe('judgeKvCache', () => {
  it('fails when usage stays high with nothing running after the soak (vllm#27073)', () => {
    const reasons = judge(
      record([
        [1000, 'checks', 0, 0],
        [5000, 'soak', 0.7, 2],
        [40_000, 'settle', 0.98, 0],
        [130_000, 'final', 0.98, 0],
      ]),
    );
    expect(reasons).toEqual([
      {
        rule: 'kv-cache-stuck',
        severity: 'fail',
        message: expect.stringMatching(
          /^KV cache usage stuck at 98% with 0 running\/0 waiting requests 120 s after the soak \(0% before it\)\. vLLM keeps its pool reserved/,
        ),
        figures: { kvCacheUsage: 0.98, baseline: 0, samples: 2 },
      },
    ]);
  });

  it('passes when usage falls back to where it was before the soak', () => {
    const reasons = judge(
      record([
        [1000, 'checks', 0.02, 0],
        [5000, 'soak', 0.9, 3],
        [12_000, 'settle', 0.03, 0],
        [14_000, 'final', 0.02, 0],
      ]),
    );
    expect(reasons).toEqual([]);
  });

  it('fails usage that stays a margin above the pre-soak level, even below one half', () => {
    const reasons = judge(
      record([
        [1000, 'checks', 0.05, 0],
        [12_000, 'settle', 0.4, 0],
        [14_000, 'final', 0.4, 0],
      ]),
    );
    expect(reasons.map((r) => r.rule)).toEqual(['kv-cache-stuck']);
  });

  it('judges only idle readings: usage with requests still running says nothing', () => {
    const reasons = judge(record([[12_000, 'settle', 0.99, 1]]));
    expect(reasons).toEqual([]);
  });

  it('needs the high reading to stay: one high reading followed by a low one passes', () => {
    const reasons = judge(
      record([
        [12_000, 'settle', 0.9, 0],
        [14_000, 'final', 0.01, 0],
      ]),
    );
    expect(reasons).toEqual([]);
  });

  it('warns when an engine that exports the gauge could not be read', () => {
    const empty = {
      ...record([]),
      errors: ['GET http://127.0.0.1:8000/metrics: HTTP 404 Not Found'],
    };
    expect(judge(empty)).toEqual([
      expect.objectContaining({ rule: 'kv-cache-unmeasured', severity: 'warn' }),
    ]);
    expect(judge(empty, false)).toEqual([]);
    expect(judge(null)).toEqual([]);
  });
});
