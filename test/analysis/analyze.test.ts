import { describe, expect, it } from 'vitest';
import { analyzeMemory } from '../../src/analysis/analyze.js';
import { DEFAULT_MEMORY_POLICY } from '../../src/analysis/policy.js';
import type { MemoryAnalysis } from '../../src/analysis/types.js';
import type { GpuReading, MemorySample } from '../../src/memory/types.js';
import { gateRun, levels, reading } from './runs.js';

const rules = (a: MemoryAnalysis) => a.reasons.map((r) => `${r.severity}:${r.rule}`);
const failRules = (a: MemoryAnalysis) =>
  a.reasons.filter((r) => r.severity === 'fail').map((r) => r.rule);

/** The story's GPU: 8 GiB of BAR1, 2.5 GiB of it taken by the model. */
const MODEL_MIB = 2560;

describe('analyzeMemory passes the benign shapes', () => {
  it('passes jitter of a few MiB around a flat level', () => {
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak: levels(60, () => MODEL_MIB) }));
    expect(a.verdict).toBe('pass');
    expect(failRules(a)).toEqual([]);
  });

  it('passes an allocator that grows 900 MiB and plateaus', () => {
    const soak = levels(60, (k) => MODEL_MIB + 900 * (1 - Math.exp(-k / 4)));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.plateau).toBe(true);
    expect(a.series[0]!.projectedExhaustionHours).toBeNull();
  });

  it('passes a slower allocator ramp of 1.4 GiB, the warm-up detected past the policy', () => {
    const soak = levels(60, (k) => MODEL_MIB + 1400 * (1 - Math.exp(-k / 6)));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.warmup.detected).toBe(true);
    expect(a.series[0]!.growthMiB!).toBeLessThan(100);
  });

  it('passes a one-time 800 MiB CUDA-graph step at request 15, with a warning', () => {
    const soak = levels(60, (k) => MODEL_MIB + (k >= 15 ? 800 : 0));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('pass');
    expect(rules(a)).toContain('warn:memory-warmup-rise');
    expect(a.series[0]!.warmup.absorbedMiB).toBeCloseTo(800, -1);
  });

  it('passes a cache that fills 80 MiB a request and is released every 8 requests', () => {
    const soak = levels(60, (k) => MODEL_MIB + 80 * (k % 8));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.givenBackMiB!).toBeGreaterThan(400);
  });

  it('passes memory held under load and released a little after it stops', () => {
    const soak = levels(60, (k) => MODEL_MIB + 600 * (1 - Math.exp(-k)));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak, settleMiB: MODEL_MIB + 150 }));
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.growthMiB!).toBeLessThan(0);
  });

  it('passes 400 MiB held by every long request in flight, read between requests', () => {
    const soak = levels(60, () => MODEL_MIB);
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak, inflightMiB: 400 }));
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.peakMiB!).toBeGreaterThan(MODEL_MIB + 390);
  });

  it('passes vLLM reserving 93% of FB up front and staying flat', () => {
    const soak = levels(60, () => 75850);
    const a = analyzeMemory(gateRun({ metric: 'fb', fbTotalMiB: 81559, readyMiB: 75850, soak }));
    expect(a.verdict).toBe('pass');
    expect(rules(a)).not.toContain('warn:memory-ceiling');
  });

  it('passes FB reserved at 97% from the start, with a ceiling warning only', () => {
    const soak = levels(60, () => 79100);
    const a = analyzeMemory(gateRun({ metric: 'fb', fbTotalMiB: 81559, readyMiB: 79100, soak }));
    expect(a.verdict).toBe('pass');
    expect(rules(a)).toContain('warn:memory-ceiling');
  });

  it('passes a 1 MiB-per-request FB rise that would take a week, with a trend warning', () => {
    const soak = levels(120, (k) => 20000 + k);
    const a = analyzeMemory(gateRun({ metric: 'fb', fbTotalMiB: 81559, readyMiB: 20000, soak }));
    expect(a.verdict).toBe('pass');
    expect(rules(a)).toContain('warn:memory-trend');
    expect(a.series[0]!.projectedExhaustionHours!).toBeGreaterThan(24);
  });
});

describe('analyzeMemory fails the leaks', () => {
  it("blocks the story's leak, 300 MiB per long request, within 10 long requests", () => {
    // Every third soak request is long-context; 27 requests hold 9 of them (10 with the
    // checks' own).
    const soak = levels(27, (k) => MODEL_MIB + 300 * Math.floor(k / 3));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('fail');
    const bar1 = a.reasons.find((r) => r.rule === 'bar1-growth')!;
    expect(bar1.severity).toBe('fail');
    expect(bar1.message).toMatch(
      /^BAR1 on GPU 0 \(NVIDIA H100 80GB HBM3\) grew 1\.8 GiB after warm-up \(limit 512 MiB\): \+100 MiB per request, projected to exhaust its 8\.0 GiB in \d+ min/,
    );
    expect(bar1.figures).toMatchObject({ limitMiB: 512, totalMiB: 8192 });
  });

  it('blocks 10 MiB per request under a few MiB of jitter within 60 requests', () => {
    const soak = levels(60, (k) => MODEL_MIB + 10 * k);
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('fail');
    expect(failRules(a)).toContain('memory-exhaustion');
    expect(a.series[0]!.slopeMiBPerRequest).toBeCloseTo(10, 1);
  });

  it('blocks 2 MiB per request over 180 requests: 7 h to exhaust 8 GiB of BAR1', () => {
    const soak = levels(180, (k) => MODEL_MIB + 2 * k);
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('fail');
    expect(a.series[0]!.projectedExhaustionHours!).toBeLessThan(24);
  });

  it('blocks 10 MiB per request hidden under a sawtooth', () => {
    const soak = levels(90, (k) => MODEL_MIB + 10 * k + 80 * (k % 8));
    const a = analyzeMemory(gateRun({ readyMiB: MODEL_MIB, soak }));
    expect(a.verdict).toBe('fail');
    expect(failRules(a)).toContain('memory-exhaustion');
  });

  it('blocks BAR1 growing into 90% of a 256 MiB consumer BAR1 (191 → 252 MiB)', () => {
    const soak = levels(40, (k) => 191 + Math.min(61, 2 * k));
    const a = analyzeMemory(gateRun({ bar1TotalMiB: 256, readyMiB: 191, soak }));
    expect(a.verdict).toBe('fail');
    const ceiling = a.reasons.find((r) => r.rule === 'memory-ceiling')!;
    expect(ceiling.severity).toBe('fail');
    expect(ceiling.message).toContain('ceiling 90%');
    expect(ceiling.message).toContain('hard-lock');
  });

  it('judges FB on its own limit: 1.2 GiB retained fails, 0.9 GiB does not', () => {
    const fb = (riseMiB: number) =>
      analyzeMemory(
        gateRun({
          metric: 'fb',
          fbTotalMiB: 81559,
          readyMiB: 20000,
          soak: levels(60, (k) => 20000 + (k >= 40 ? riseMiB : 0)),
        }),
      );
    expect(failRules(fb(1200))).toContain('fb-growth');
    expect(failRules(fb(900))).toEqual([]);
  });
});

describe('analyzeMemory falls back and never passes what it cannot read', () => {
  const sampled = (gpus: GpuReading[][]): MemorySample[] =>
    gpus.map((g, i) => ({ tMs: i * 10_000, requests: i, phase: 'soak', gpus: g }));

  it('judges FB with a warning where BAR1 is unreadable', () => {
    const gpu = (used: number) =>
      reading({
        fb: { totalMiB: 4096, usedMiB: used, reservedMiB: null },
        bar1: { totalMiB: 256, usedMiB: null },
      });
    const a = analyzeMemory(sampled(levels(30, () => 161).map((v) => [gpu(v)])));
    expect(a.verdict).toBe('pass');
    expect(a.series.map((s) => s.metric)).toEqual(['fb']);
    expect(a.reasons[0]).toMatchObject({ rule: 'bar1-unavailable', severity: 'warn' });
    expect(a.reasons[0]!.message).toContain('FB is judged instead');
  });

  it('judges the sum of process memory where FB is unreadable too', () => {
    const gpu = reading({
      fb: { totalMiB: 81559, usedMiB: null, reservedMiB: null },
      processes: [{ pid: 11345, name: './gpu_burn', usedMiB: 15690, gpuInstanceId: null }],
    });
    const a = analyzeMemory(sampled(levels(30, () => 0).map(() => [gpu])));
    expect(a.verdict).toBe('pass');
    expect(a.series.map((s) => [s.metric, s.baselineMiB])).toEqual([['process-sum', 15690]]);
    expect(rules(a)).toEqual(['warn:bar1-unavailable', 'warn:fb-unavailable']);
  });

  it('is unmeasured, never a pass, where nothing can be read and memory is required', () => {
    const a = analyzeMemory(sampled(levels(10, () => 0).map(() => [reading()])));
    expect(a.verdict).toBe('unmeasured');
    expect(a.series).toHaveLength(1);
    expect(a.series[0]!.verdict).toBe('unmeasured');
    expect(a.reasons).toEqual([
      expect.objectContaining({ rule: 'memory-unmeasured', severity: 'fail' }),
    ]);
  });

  it('only warns about an unreadable GPU when memory is optional', () => {
    const policy = { ...DEFAULT_MEMORY_POLICY, memoryRequired: false };
    const a = analyzeMemory(sampled(levels(10, () => 0).map(() => [reading()])), policy);
    expect(a.verdict).toBe('pass');
    expect(a.series[0]!.verdict).toBe('unmeasured');
    expect(a.reasons[0]).toMatchObject({ rule: 'memory-unmeasured', severity: 'warn' });
  });

  it('is unmeasured with no sample at all', () => {
    expect(analyzeMemory([]).verdict).toBe('unmeasured');
    expect(analyzeMemory([], { ...DEFAULT_MEMORY_POLICY, memoryRequired: false }).verdict).toBe(
      'pass',
    );
  });

  it('is unmeasured when one of two GPUs cannot be read, and names it', () => {
    const ok = reading({
      index: 0,
      uuid: 'GPU-A',
      fb: { totalMiB: 24576, usedMiB: 9000, reservedMiB: 0 },
    });
    const blind = reading({ index: 1, uuid: 'GPU-B', name: 'NVIDIA L40S' });
    const a = analyzeMemory(sampled(levels(20, () => 0).map(() => [ok, blind])));
    expect(a.verdict).toBe('unmeasured');
    expect(a.reasons.find((r) => r.rule === 'memory-unmeasured')!.message).toContain(
      'GPU 1 (NVIDIA L40S)',
    );
  });

  it('judges MIG instances on their own FB: a leaking instance fails, the other passes', () => {
    const gpu = (k: number) =>
      reading({
        name: 'NVIDIA A100-SXM4-80GB',
        migEnabled: true,
        bar1: { totalMiB: 131072, usedMiB: 81081 },
        fb: { totalMiB: 81920, usedMiB: 59, reservedMiB: 0 },
        mig: [
          {
            gpuInstanceId: 1,
            computeInstanceId: 0,
            fb: { totalMiB: 19968, usedMiB: 4000 + 40 * k },
            bar1: { totalMiB: 32767, usedMiB: 0 },
          },
          {
            gpuInstanceId: 2,
            computeInstanceId: 0,
            fb: { totalMiB: 19968, usedMiB: 4000 },
            bar1: { totalMiB: 32767, usedMiB: 0 },
          },
        ],
      });
    const a = analyzeMemory(sampled(levels(60, (k) => k).map((k) => [gpu(k)])));
    expect(a.series.map((s) => [s.metric, s.gpu.gpuInstanceId, s.verdict])).toEqual([
      ['mig-fb', 1, 'fail'],
      ['mig-fb', 2, 'pass'],
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.reasons[0]!.message).toContain('GPU 0 (NVIDIA A100-SXM4-80GB), MIG instance 1');
  });
});
