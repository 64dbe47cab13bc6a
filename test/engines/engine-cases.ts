/**
 * The five cases every engine's flavour must give the gate: a healthy server passes; health
 * fine but generation failing, a long prompt refused or truncated below the configured
 * context, and an error inside a stream that began with 200 each fail with a reason a
 * person understands; a long prefill that slows health passes with a warning. Each engine's
 * test file states what its own answers look like.
 */
import { describe, expect, it } from 'vitest';
import type { EngineName } from '../../src/checks/engine-profile.js';
import { CONFIGS, GATE_TIMEOUT_MS, gateOn, reason, summary } from './gate-run.js';

export interface EngineCases {
  engine: EngineName;
  label: string;
  /** Route of the generate checks and the stream check. */
  generatePath: string;
  streamPath: string;
  /** Status of a failed generation (TGI: 424). */
  failureStatus: number;
  /** How the long-context check's failure reads on this engine. */
  shortContext: RegExp;
}

export function describeEngineCases(cases: EngineCases): void {
  const config = CONFIGS[cases.engine];
  const file = (name: string) => `${cases.engine}-${name}.yaml`;

  // Each case runs its own simulator; together they wait on the clock, not the CPU.
  describe.concurrent(`the gate against the ${cases.label} flavour`, () => {
    it(
      `passes a healthy ${cases.label}, recognised from its endpoints`,
      async () => {
        const results = await gateOn(file('healthy'), { config });
        expect(results.verdict, summary(results)).toBe('pass');
        expect(results.engine).toBe(cases.engine);
        expect(results.checks.filter((c) => c.status === 'fail')).toEqual([]);
        const stream = results.checks.find((c) => c.name === 'stream');
        expect(stream?.detail).toContain(`POST ${cases.streamPath} (stream) → 200`);
      },
      GATE_TIMEOUT_MS,
    );

    it(
      'fails when health answers 200 but generation fails with a CUDA error',
      async () => {
        const results = await gateOn(file('generate-fails'), { config });
        expect(results.verdict, summary(results)).toBe('fail');
        const generate = reason(results, 'critical-check', /^Critical check generate failed/);
        expect(generate?.message).toContain(
          `POST ${cases.generatePath} (8 max tokens) → ${cases.failureStatus} "`,
        );
        expect(generate?.message).toContain('CUDA error: an illegal memory access');
        expect(generate?.message).toMatch(
          /while GET \/\S* → 200: .* only shows the process is alive/,
        );
        expect(reason(results, 'engine-log')?.message).toContain('illegal memory access');
      },
      GATE_TIMEOUT_MS,
    );

    it(
      'fails when a long prompt is refused or truncated below the configured context',
      async () => {
        const results = await gateOn(file('context-short'), { config });
        expect(results.verdict, summary(results)).toBe('fail');
        const long = reason(results, 'critical-check', /long-context/);
        expect(long?.message).toMatch(cases.shortContext);
        expect(long?.message).toContain('with 1,991 prompt tokens');
      },
      GATE_TIMEOUT_MS,
    );

    it(
      'fails on an error sent inside a stream that began with HTTP 200',
      async () => {
        const results = await gateOn(file('stream-error'), { config });
        expect(results.verdict, summary(results)).toBe('fail');
        const stream = reason(results, 'critical-check', /^Critical check stream/);
        expect(stream?.message).toContain(
          `POST ${cases.streamPath} (stream) → 200, 2 token events, then an error inside the stream`,
        );
      },
      GATE_TIMEOUT_MS,
    );

    it(
      'passes with a warning when a long prefill slows health',
      async () => {
        const results = await gateOn(file('slow-health'), { config });
        expect(results.verdict, summary(results)).toBe('pass');
        const slow = reason(results, 'health-slow-during-prefill');
        expect(slow?.severity).toBe('warn');
        expect(slow?.message).toMatch(/prefill.* in flight; requests? completed 200\. Not counted/);
        expect(reason(results, 'health-lost')).toBeUndefined();
      },
      GATE_TIMEOUT_MS,
    );
  });
}
