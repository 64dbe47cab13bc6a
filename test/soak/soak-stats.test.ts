import { describe, expect, it } from 'vitest';
import { addFailure, kindOfRequest, summarizeLatency } from '../../src/soak/soak-stats.js';

function kinds(count: number, mix: Parameters<typeof kindOfRequest>[1]): string {
  return Array.from({ length: count }, (_, i) =>
    kindOfRequest(i, mix) === 'long' ? 'L' : 's',
  ).join('');
}

describe('kindOfRequest', () => {
  it('makes every Nth request long, starting with the first', () => {
    expect(kinds(7, { longEvery: 3 })).toBe('LssLssL');
  });

  it('spreads a share of long requests evenly, starting with the first', () => {
    expect(kinds(8, { longShare: 0.25 })).toBe('LsssLsss');
    expect(kinds(4, { longShare: 0.5 })).toBe('LsLs');
  });

  it('sends only short requests with no share, only long ones with all', () => {
    expect(kinds(4, {})).toBe('ssss');
    expect(kinds(3, { longShare: 1 })).toBe('LLL');
  });
});

describe('summarizeLatency', () => {
  it('gives min, median, p95, max and mean', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatency(ms)).toEqual({
      count: 100,
      minMs: 1,
      p50Ms: 50,
      p95Ms: 95,
      maxMs: 100,
      meanMs: 51,
    });
  });

  it('has no figures without completed requests', () => {
    expect(summarizeLatency([])).toBeNull();
  });
});

describe('addFailure', () => {
  it('counts failures that differ only in numbers as one', () => {
    let samples = addFailure([], {
      kind: 'long',
      message: '400 "request has 65521 tokens"',
      atMs: 1,
    });
    samples = addFailure(samples, {
      kind: 'long',
      message: '400 "request has 65530 tokens"',
      atMs: 2,
    });
    expect(samples).toEqual([
      { kind: 'long', message: '400 "request has 65521 tokens"', count: 2, firstAtMs: 1 },
    ]);
  });

  it('keeps the same message apart by request kind', () => {
    let samples = addFailure([], { kind: 'long', message: '500', atMs: 1 });
    samples = addFailure(samples, { kind: 'short', message: '500', atMs: 2 });
    expect(samples).toHaveLength(2);
  });

  it('keeps only the first few distinct failures', () => {
    let samples = addFailure([], { kind: 'short', message: 'a', atMs: 0 });
    for (const message of ['b', 'c', 'd']) {
      samples = addFailure(samples, { kind: 'short', message, atMs: 0 }, 2);
    }
    expect(samples.map((s) => s.message)).toEqual(['a', 'b']);
  });
});
