import { describe, expect, it } from 'vitest';
import {
  BAR1_CEILING,
  DEFAULT_MEMORY_POLICY,
  parseMemoryPolicy,
  parseShare,
  parseWarmup,
} from '../../src/analysis/policy.js';
import { GateError } from '../../src/errors.js';

function usageError(run: () => unknown): GateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe('usage');
    return error as GateError;
  }
  throw new Error('expected a usage error');
}

describe('DEFAULT_MEMORY_POLICY', () => {
  it('holds the documented defaults', () => {
    expect(DEFAULT_MEMORY_POLICY).toEqual({
      maxBar1GrowthMiB: 512,
      maxFbGrowthMiB: 1024,
      exhaustionHorizonHours: 24,
      memoryCeiling: 0.95,
      warmup: { requests: 10, seconds: 60 },
      memoryRequired: true,
    });
    expect(BAR1_CEILING).toBe(0.9);
  });
});

describe('parseMemoryPolicy', () => {
  it('reads every input in its usual spelling', () => {
    const policy = parseMemoryPolicy({
      'max-bar1-growth': '256MiB',
      'max-fb-growth': '2GiB',
      'exhaustion-horizon': '12h',
      'memory-ceiling': '90%',
      warmup: '30s',
      memory: 'optional',
    });
    expect(policy).toEqual({
      maxBar1GrowthMiB: 256,
      maxFbGrowthMiB: 2048,
      exhaustionHorizonHours: 12,
      memoryCeiling: 0.9,
      warmup: { seconds: 30 },
      memoryRequired: false,
    });
  });

  it('keeps the defaults for missing and empty inputs (an unset action input is "")', () => {
    expect(parseMemoryPolicy({ 'max-bar1-growth': '', warmup: '  ' })).toEqual(
      DEFAULT_MEMORY_POLICY,
    );
  });

  it('reads a bare size as MiB and a horizon in minutes as hours', () => {
    const policy = parseMemoryPolicy({ 'max-bar1-growth': '512', 'exhaustion-horizon': '90m' });
    expect(policy.maxBar1GrowthMiB).toBe(512);
    expect(policy.exhaustionHorizonHours).toBe(1.5);
  });

  it('names the input and what is valid when a value is bad', () => {
    const size = usageError(() => parseMemoryPolicy({ 'max-fb-growth': 'lots' }));
    expect(size.message).toContain('max-fb-growth');
    expect(size.help).toContain('MiB');

    const memory = usageError(() => parseMemoryPolicy({ memory: 'maybe' }));
    expect(memory.message).toBe('memory: "maybe" is neither required nor optional');

    const horizon = usageError(() => parseMemoryPolicy({ 'exhaustion-horizon': '0h' }));
    expect(horizon.message).toContain('exhaustion-horizon');

    const growth = usageError(() => parseMemoryPolicy({ 'max-bar1-growth': '0MiB' }));
    expect(growth.message).toContain('must be above 0');
  });

  it('names a flag as the CLI spells it', () => {
    const error = usageError(() =>
      parseMemoryPolicy({ warmup: 'soon' }, DEFAULT_MEMORY_POLICY, (input) => `--${input}`),
    );
    expect(error.message).toBe('--warmup: "soon" is not a warm-up');
  });
});

describe('parseShare', () => {
  it('reads fractions and percentages', () => {
    expect(parseShare('0.95', 'memory-ceiling')).toBe(0.95);
    expect(parseShare('90%', 'memory-ceiling')).toBe(0.9);
    expect(parseShare('1', 'memory-ceiling')).toBe(1);
  });

  it('refuses 0, more than all of it, and a percentage without its sign', () => {
    for (const text of ['0', '1.5', '90', 'most']) {
      const error = usageError(() => parseShare(text, 'memory-ceiling'));
      expect(error.message).toContain('memory-ceiling');
      expect(error.help).toContain('95%');
    }
  });
});

describe('parseWarmup', () => {
  it('reads a count as requests and a duration as seconds', () => {
    expect(parseWarmup('5', 'warmup')).toEqual({ requests: 5 });
    expect(parseWarmup('8 requests', 'warmup')).toEqual({ requests: 8 });
    expect(parseWarmup('30s', 'warmup')).toEqual({ seconds: 30 });
    expect(parseWarmup('2m', 'warmup')).toEqual({ seconds: 120 });
    expect(parseWarmup('0', 'warmup')).toEqual({ requests: 0 });
  });

  it('refuses a bare fraction and words', () => {
    for (const text of ['0.5', 'soon', '-3']) {
      const error = usageError(() => parseWarmup(text, 'warmup'));
      expect(error.message).toBe(`warmup: "${text}" is not a warm-up`);
    }
  });
});
