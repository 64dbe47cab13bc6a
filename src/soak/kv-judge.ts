/**
 * Judges the engine's KV cache after the load is over: with nothing running or waiting, its
 * usage must fall back to where it was before the soak. Usage that stays high with an idle
 * queue is a leak inside the engine's pool (vllm-project/vllm#27073, failure-kinds #6), which
 * FB cannot show on an engine that reserves its memory up front.
 */
import type { Reason } from '../verdict/types.js';
import type { EngineMetricsRecord, EngineMetricsSample } from './engine-watch.js';

/** Usage above this with an idle queue is stuck whatever it was before. */
export const KV_STUCK_USAGE = 0.5;
/** Usage this far above the pre-soak level with an idle queue is stuck too. */
export const KV_STUCK_MARGIN = 0.2;

const percent = (share: number) => `${Math.round(share * 100)}%`;

function idle(sample: EngineMetricsSample): boolean {
  return sample.running === 0 && (sample.waiting ?? 0) === 0 && sample.kvCacheUsage !== null;
}

export interface KvJudgeInput {
  record: EngineMetricsRecord | null;
  /** `vLLM`: the engine whose pool is judged, for the message. */
  engineLabel: string;
  /** True where the engine is known to export a KV gauge: its absence is then a finding. */
  expectsGauge: boolean;
  /** When the soak ended, gate clock; idle samples after it are the settled ones. */
  soakEndMs: number | null;
}

export function judgeKvCache(input: KvJudgeInput): Reason[] {
  const { record } = input;
  if (!record) return [];
  const withGauge = record.samples.filter((s) => s.kvCacheUsage !== null);
  if (withGauge.length === 0) {
    if (!input.expectsGauge) return [];
    const why = record.errors[0] ?? 'no KV cache usage gauge in its answer';
    return [
      {
        rule: 'kv-cache-unmeasured',
        severity: 'warn',
        message:
          `${input.engineLabel}'s KV cache usage could not be read from ${record.url} (${why}); ` +
          'a leak inside its pre-reserved pool would not show in FB.',
      },
    ];
  }

  const before = record.samples.filter(
    (s) => idle(s) && (s.phase === 'checks' || s.phase === 'ready'),
  );
  const baseline = before.at(-1)?.kvCacheUsage ?? 0;
  const soakEnd = input.soakEndMs ?? Number.NEGATIVE_INFINITY;
  const settled = record.samples.filter(
    (s) => idle(s) && (s.phase === 'settle' || s.phase === 'final') && s.tMs >= soakEnd,
  );
  // "Stays": the last two settled readings, or the only one there is.
  const last = settled.slice(-2);
  if (last.length === 0) return [];
  const floor = Math.min(...last.map((s) => s.kvCacheUsage ?? 0));
  const stuck = floor > KV_STUCK_USAGE || floor - baseline > KV_STUCK_MARGIN;
  if (!stuck) return [];

  const seconds = Math.round((last.at(-1)!.tMs - soakEnd) / 1000);
  const after = Number.isFinite(soakEnd) ? ` ${seconds} s after the soak` : ' after the soak';
  return [
    {
      rule: 'kv-cache-stuck',
      severity: 'fail',
      message:
        `KV cache usage stuck at ${percent(floor)} with 0 running/0 waiting requests${after} ` +
        `(${percent(baseline)} before it). ${input.engineLabel} keeps its pool reserved, so ` +
        "nvidia-smi's FB stays flat: this leak shows only in the engine's metrics.",
      figures: {
        kvCacheUsage: Number(floor.toFixed(4)),
        baseline: Number(baseline.toFixed(4)),
        samples: settled.length,
      },
    },
  ];
}
