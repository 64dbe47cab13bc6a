import type { MemorySample, Phase, SamplerEvent, SmiReading } from '../memory/types.js';

/**
 * Keeps every GPU reading with the gate's clock, the phase it was taken in and the number
 * of requests completed by then, so the analysis can judge growth per request as well as
 * per hour. Broken readings are kept as events: a GPU lost mid-run is the runner's fault.
 */
export class MemoryRecorder {
  readonly samples: MemorySample[] = [];
  readonly events: SamplerEvent[] = [];
  phase: Phase = 'baseline';
  requests = 0;

  constructor(private readonly since: () => number) {}

  /** Milliseconds since the gate started. */
  now(): number {
    return Math.round(this.since());
  }

  record(reading: SmiReading): void {
    const tMs = Math.round(this.since());
    if (reading.kind === 'broken') {
      this.events.push({ tMs, state: reading.state, message: reading.message });
      return;
    }
    this.samples.push({ tMs, requests: this.requests, phase: this.phase, gpus: reading.gpus });
  }

  /** The newest reading of BAR1 on the first GPU, for the progress line. */
  latestBar1(): string {
    const gpu = this.samples.at(-1)?.gpus[0];
    if (!gpu || gpu.bar1.usedMiB === null) return 'BAR1 n/a';
    return `BAR1 ${gpu.bar1.usedMiB}/${gpu.bar1.totalMiB ?? '?'} MiB`;
  }

  /** Waits until a sample newer than now has arrived, or the deadline passes. */
  async nextSample(timeoutMs: number): Promise<boolean> {
    const count = this.samples.length;
    const end = Date.now() + timeoutMs;
    while (this.samples.length === count && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.samples.length > count;
  }
}
