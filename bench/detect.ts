/**
 * How well the growth analysis tells leaks from benign memory shapes, against the naive
 * rule people write by hand (last sample minus first above a threshold).
 *
 *   npx tsx bench/detect.ts [--seeds N] [--quick]
 *
 * A seeded generator builds gate runs on the story's GPU: an 8 GiB BAR1 with 2.5 GiB
 * taken by the model; checks (one near-maximum long-context request among short ones), a
 * soak of mixed long and short requests at concurrency 1, sampled once a second, then a
 * minute of settle and one last generate. Benign shapes and leaks are drawn from ranges
 * written down below, before and independently of the detector's settings.
 */
import { analyzeMemory } from '../src/analysis/analyze.js';
import { DEFAULT_MEMORY_POLICY } from '../src/analysis/policy.js';
import type { GpuReading, MemorySample, Phase } from '../src/memory/types.js';

// ---------------------------------------------------------------------------------------
// Random numbers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function uniform(rand: () => number, low: number, high: number): number {
  return low + (high - low) * rand();
}

// ---------------------------------------------------------------------------------------
// The GPU and the run

const BAR1_TOTAL_MIB = 8192;
const MODEL_MIB = 2560;
const IDLE_BEFORE_DEPLOY_MIB = 1;
/** Long-context requests are a third of the soak; the checks send one near the maximum. */
const LONG_SHARE = 1 / 3;
const MAX_SOAK_REQUESTS = 180;
const SOAK_LENGTHS = [30, 60, 180];
const SETTLE_S = 60;

/**
 * Noise levels. gpu-telemetry.md §1.3: BAR1 reads 1 MiB when FB reads 0 at idle, and the
 * RTX 4080's BAR1 moved 30 → 35 MiB and the RTX 2080's 36 → 41 MiB between idle and load,
 * so reading-to-reading jitter is a few MiB. σ 1 and 3 MiB cover that; σ 8 MiB with more
 * spikes is a busy runner (other processes, a monitoring agent mapping memory).
 */
const NOISE_LEVELS = [
  { name: 'σ1', sigmaMiB: 1, spikeRate: 0.005 },
  { name: 'σ3', sigmaMiB: 3, spikeRate: 0.01 },
  { name: 'σ8', sigmaMiB: 8, spikeRate: 0.03 },
];

type Shape = 'flat' | 'plateau' | 'step' | 'sawtooth' | 'release' | 'mixed';

interface TraceSpec {
  shape: Shape;
  noise: (typeof NOISE_LEVELS)[number];
  leakPerRequestMiB: number;
  leakPerLongMiB: number;
  seed: number;
}

interface Request {
  long: boolean;
  durationS: number;
  gapS: number;
}

interface Drawn {
  checks: Request[];
  soak: Request[];
  final: Request;
  /** Memory that long and short requests hold while in flight (0 for preallocating engines). */
  inflightLongMiB: number;
  inflightShortMiB: number;
  background: (soakDone: number, tSinceSoakEndS: number | null, tSinceSoakS: number) => number;
  noise: (sampleIndex: number) => number;
}

function request(rand: () => number, long: boolean): Request {
  return {
    long,
    durationS: long ? uniform(rand, 15, 40) : uniform(rand, 1, 4),
    gapS: uniform(rand, 0, 1.5),
  };
}

/**
 * The benign shapes, in the soak's own terms:
 * - plateau: the caching allocator keeps growing for new batch shapes and stops, A·(1−e^(−k/τ))
 *   over k soak requests, A 100–1500 MiB, τ 1–6 requests;
 * - step: a one-time CUDA-graph capture of 100–1000 MiB when concurrency first reaches a new
 *   batch size, within the first 10 soak requests;
 * - sawtooth: a cache that fills by A/P per request and is released every P requests,
 *   A 100–800 MiB, P 4–15;
 * - release: load holds 100–1000 MiB from the soak's start, 20–100% of which is released
 *   5–40 s after the load stops;
 * - mixed: a smaller plateau, step and sawtooth together.
 */
function background(shape: Shape, rand: () => number): Drawn['background'] {
  const plateau = (maxA: number) => {
    const a = uniform(rand, 100, maxA);
    const tau = uniform(rand, 1, 6);
    return (k: number) => a * (1 - Math.exp(-k / tau));
  };
  const step = (maxS: number) => {
    const s = uniform(rand, 100, maxS);
    const at = Math.floor(uniform(rand, 0, 11));
    return (k: number) => (k >= at ? s : 0);
  };
  const sawtooth = (maxA: number) => {
    const a = uniform(rand, 100, maxA);
    const period = Math.floor(uniform(rand, 4, 16));
    const offset = Math.floor(uniform(rand, 0, period));
    return (k: number) => (a / period) * ((k + offset) % period);
  };
  switch (shape) {
    case 'flat':
      return () => 0;
    case 'plateau': {
      const f = plateau(1500);
      return (k) => f(k);
    }
    case 'step': {
      const f = step(1000);
      return (k) => f(k);
    }
    case 'sawtooth': {
      const f = sawtooth(800);
      return (k) => f(k);
    }
    case 'release': {
      const held = uniform(rand, 100, 1000);
      const released = uniform(rand, 0.2, 1);
      const delayS = uniform(rand, 5, 40);
      return (_k, sinceEnd, sinceSoak) => {
        if (sinceEnd !== null && sinceEnd >= delayS) return held * (1 - released);
        return held * (1 - Math.exp(-sinceSoak / 20));
      };
    }
    case 'mixed': {
      const p = plateau(600);
      const s = step(400);
      const t = sawtooth(300);
      return (k) => p(k) + s(k) + t(k);
    }
  }
}

function draw(spec: TraceSpec): Drawn {
  const rand = mulberry32(spec.seed);
  const checks = [false, false, true, false, false, false].map((long) => request(rand, long));
  const soak = Array.from({ length: MAX_SOAK_REQUESTS }, () => request(rand, rand() < LONG_SHARE));
  const final = request(rand, false);
  const inflightLongMiB = rand() < 0.5 ? 0 : uniform(rand, 50, 400);
  const inflightShortMiB = rand() < 0.5 ? 0 : uniform(rand, 0, 40);
  const bg = background(spec.shape, rand);

  // Noise comes from its own stream, indexed by sample, so a shorter soak is an exact prefix.
  const noiseRand = mulberry32(spec.seed ^ 0x9e3779b9);
  const noiseTable = Array.from({ length: 4000 }, () => {
    const spike = noiseRand() < spec.noise.spikeRate ? uniform(noiseRand, 20, 150) : 0;
    return Math.round(spec.noise.sigmaMiB * gaussian(noiseRand) + spike);
  });
  return {
    checks,
    soak,
    final,
    inflightLongMiB,
    inflightShortMiB,
    background: bg,
    noise: (i) => noiseTable[i % noiseTable.length]!,
  };
}

interface Span {
  startS: number;
  endS: number;
  long: boolean;
  phase: Phase;
  soakIndex: number | null;
}

function gpu(usedMiB: number): GpuReading {
  return {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000001',
    name: 'Story GPU (8 GiB BAR1)',
    busId: null,
    fb: { totalMiB: null, usedMiB: null, reservedMiB: null },
    bar1: { totalMiB: BAR1_TOTAL_MIB, usedMiB },
    migEnabled: false,
    mig: [],
    processes: [],
  };
}

/** A whole gate run with a soak of `soakRequests` requests, sampled once a second. */
export function generateTrace(spec: TraceSpec, soakRequests: number): MemorySample[] {
  const d = draw(spec);
  const spans: Span[] = [];
  let t = 60; // the model loads for a minute after deploy
  const readyS = t;
  t += 3;
  const push = (r: Request, phase: Phase, soakIndex: number | null) => {
    spans.push({ startS: t, endS: t + r.durationS, long: r.long, phase, soakIndex });
    t += r.durationS + r.gapS;
  };
  for (const r of d.checks) push(r, 'checks', null);
  const soakStartS = t;
  d.soak.slice(0, soakRequests).forEach((r, i) => {
    push(r, 'soak', i);
  });
  const soakEndS = t;
  const finalS = soakEndS + SETTLE_S;
  t = finalS;
  push(d.final, 'final', null);
  const endS = t + 5;

  const samples: MemorySample[] = [];
  let index = 0;
  for (let s = 0; s <= endS; s += 1, index += 1) {
    if (s >= 5 && s < readyS) continue; // the sampler starts again once the engine is ready
    const done = spans.filter((x) => x.endS <= s);
    const inflight = spans.find((x) => x.startS <= s && s < x.endS);
    const soakDone = done.filter((x) => x.phase === 'soak').length;
    const phase: Phase =
      s < 5
        ? 'baseline'
        : s < readyS + 3
          ? 'ready'
          : s < soakStartS
            ? 'checks'
            : s < soakEndS
              ? 'soak'
              : s < finalS
                ? 'settle'
                : 'final';

    let used = IDLE_BEFORE_DEPLOY_MIB + Math.max(0, d.noise(index) > 2 ? 1 : 0);
    if (phase !== 'baseline') {
      const leaked =
        spec.leakPerRequestMiB * done.length +
        spec.leakPerLongMiB * done.filter((x) => x.long).length;
      const sinceSoak = Math.max(0, s - soakStartS);
      const sinceEnd = s >= soakEndS ? s - soakEndS : null;
      const held = inflight ? (inflight.long ? d.inflightLongMiB : d.inflightShortMiB) : 0;
      used =
        MODEL_MIB + leaked + d.background(soakDone, sinceEnd, sinceSoak) + held + d.noise(index);
    }
    samples.push({
      tMs: s * 1000,
      requests: done.length,
      phase,
      gpus: [gpu(Math.max(0, Math.min(BAR1_TOTAL_MIB, Math.round(used))))],
    });
  }
  return samples;
}

// ---------------------------------------------------------------------------------------
// The two detectors

const LIMIT_MIB = DEFAULT_MEMORY_POLICY.maxBar1GrowthMiB;

function analysisBlocks(samples: MemorySample[]): boolean {
  return analyzeMemory(samples, DEFAULT_MEMORY_POLICY).verdict === 'fail';
}

/** Last reading minus the first once the engine is ready, above a threshold. */
function naiveBlocks(samples: MemorySample[], thresholdMiB = LIMIT_MIB): boolean {
  const ready = samples.filter((s) => s.phase !== 'baseline');
  const first = ready[0]?.gpus[0]?.bar1.usedMiB ?? 0;
  const last = ready[ready.length - 1]?.gpus[0]?.bar1.usedMiB ?? 0;
  return last - first > thresholdMiB;
}

// ---------------------------------------------------------------------------------------
// The corpus

interface LeakClass {
  name: string;
  perRequestMiB: number;
  perLongMiB: number;
  shape: Shape;
  story?: boolean;
  tenPerRequest?: boolean;
}

const BENIGN_SHAPES: Shape[] = ['flat', 'plateau', 'step', 'sawtooth', 'release', 'mixed'];

const LEAKS: LeakClass[] = [
  { name: '2 MiB/request', perRequestMiB: 2, perLongMiB: 0, shape: 'flat' },
  { name: '5 MiB/request', perRequestMiB: 5, perLongMiB: 0, shape: 'flat' },
  { name: '10 MiB/request', perRequestMiB: 10, perLongMiB: 0, shape: 'flat', tenPerRequest: true },
  { name: '20 MiB/request', perRequestMiB: 20, perLongMiB: 0, shape: 'flat' },
  { name: '50 MiB/request', perRequestMiB: 50, perLongMiB: 0, shape: 'flat' },
  { name: '100 MiB/long', perRequestMiB: 0, perLongMiB: 100, shape: 'flat' },
  { name: '200 MiB/long', perRequestMiB: 0, perLongMiB: 200, shape: 'flat', story: true },
  { name: '350 MiB/long', perRequestMiB: 0, perLongMiB: 350, shape: 'flat', story: true },
  { name: '500 MiB/long', perRequestMiB: 0, perLongMiB: 500, shape: 'flat', story: true },
  {
    name: '10 MiB/req + plateau',
    perRequestMiB: 10,
    perLongMiB: 0,
    shape: 'plateau',
    tenPerRequest: true,
  },
  {
    name: '10 MiB/req + sawtooth',
    perRequestMiB: 10,
    perLongMiB: 0,
    shape: 'sawtooth',
    tenPerRequest: true,
  },
  {
    name: '10 MiB/req + step',
    perRequestMiB: 10,
    perLongMiB: 0,
    shape: 'step',
    tenPerRequest: true,
  },
  {
    name: '200 MiB/long + plateau',
    perRequestMiB: 0,
    perLongMiB: 200,
    shape: 'plateau',
    story: true,
  },
  { name: '200 MiB/long + mixed', perRequestMiB: 0, perLongMiB: 200, shape: 'mixed', story: true },
];

function parseArgs(): { seeds: number } {
  const args = process.argv.slice(2);
  const at = args.indexOf('--seeds');
  return { seeds: at >= 0 ? Number(args[at + 1]) : args.includes('--quick') ? 10 : 40 };
}

function pct(n: number, of: number): string {
  return of === 0 ? 'n/a' : `${((100 * n) / of).toFixed(1)}%`;
}

/** The q-quantile of a list that may hold Infinity (never detected). */
function quantileOf(values: readonly number[], q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? null;
}

/** The smallest soak (in requests) at which a detector blocks, or Infinity. */
function requestsToDetect(spec: TraceSpec, blocks: (s: MemorySample[]) => boolean): number {
  for (let n = 1; n <= MAX_SOAK_REQUESTS; n += n < 80 ? 1 : 5) {
    if (blocks(generateTrace(spec, n))) return n;
  }
  return Number.POSITIVE_INFINITY;
}

function longRequestsIn(spec: TraceSpec, soakRequests: number): number {
  const d = draw(spec);
  return 1 + d.soak.slice(0, soakRequests).filter((r) => r.long).length; // + the checks' long one
}

/**
 * The same run as a plain nvidia-smi log would show it: no request counts, no phases, and
 * nothing before the engine was ready.
 */
function timeOnly(samples: MemorySample[]): MemorySample[] {
  return samples
    .filter((s) => s.phase !== 'baseline')
    .map((s) => ({ ...s, requests: 0, phase: 'soak' as Phase }));
}

/** Seeds depend only on the class, noise level and draw, so a run with more shares traces. */
function seedOf(classIndex: number, noiseIndex: number, i: number): number {
  return 1_000_000 * (classIndex + 1) + 10_000 * noiseIndex + i;
}

interface Tally {
  n: number;
  ours: number;
  naive: number;
  naive128: number;
  timeOnly: number;
}

const tally = (): Tally => ({ n: 0, ours: 0, naive: 0, naive128: 0, timeOnly: 0 });

function count(t: Tally, trace: MemorySample[]): void {
  t.n += 1;
  if (analysisBlocks(trace)) t.ours += 1;
  if (naiveBlocks(trace)) t.naive += 1;
  if (naiveBlocks(trace, 128)) t.naive128 += 1;
  if (analysisBlocks(timeOnly(trace))) t.timeOnly += 1;
}

function benignCorpus(seeds: number): Map<number, Tally> {
  console.log('Benign corpus: false-block rate (lower is better)');
  console.log(
    `${'shape'.padEnd(10)} ${'soak'.padStart(5)} ${'analysis'.padStart(9)} ${'time-only'.padStart(10)} ${'naive512'.padStart(9)} ${'naive128'.padStart(9)}`,
  );
  const totals = new Map(SOAK_LENGTHS.map((soak) => [soak, tally()]));
  const falseBlocks: string[] = [];
  for (const [shapeIndex, shape] of BENIGN_SHAPES.entries()) {
    for (const soak of SOAK_LENGTHS) {
      const t = tally();
      for (const [noiseIndex, noise] of NOISE_LEVELS.entries()) {
        for (let i = 0; i < seeds; i++) {
          const seed = seedOf(shapeIndex, noiseIndex, soak * 1000 + i);
          const spec: TraceSpec = { shape, noise, leakPerRequestMiB: 0, leakPerLongMiB: 0, seed };
          const trace = generateTrace(spec, soak);
          const before = t.ours;
          count(t, trace);
          if (t.ours > before) {
            const reasons = analyzeMemory(trace).reasons.filter((r) => r.severity === 'fail');
            falseBlocks.push(
              `${shape} ${noise.name} soak ${soak} seed ${seed}: ${reasons.map((r) => r.message).join(' | ')}`,
            );
          }
        }
      }
      const all = totals.get(soak)!;
      for (const key of ['n', 'ours', 'naive', 'naive128', 'timeOnly'] as const) all[key] += t[key];
      console.log(
        `${shape.padEnd(10)} ${String(soak).padStart(5)} ${pct(t.ours, t.n).padStart(9)} ${pct(t.timeOnly, t.n).padStart(10)} ${pct(t.naive, t.n).padStart(9)} ${pct(t.naive128, t.n).padStart(9)}`,
      );
    }
  }
  for (const [soak, t] of totals) {
    console.log(
      `${'ALL'.padEnd(10)} ${String(soak).padStart(5)} ${pct(t.ours, t.n).padStart(9)} ${pct(t.timeOnly, t.n).padStart(10)} ${pct(t.naive, t.n).padStart(9)} ${pct(t.naive128, t.n).padStart(9)}   (${t.n} traces)`,
    );
  }
  if (falseBlocks.length > 0) {
    console.log(`\nAnalysis false blocks (${falseBlocks.length}):`);
    for (const line of falseBlocks.slice(0, 10)) console.log(`  ${line}`);
  }
  return totals;
}

interface LeakOutcome {
  totals: Map<number, Tally>;
  storyLongP90: number;
  tenPerRequestP90: number;
}

function leakCorpus(seeds: number): LeakOutcome {
  console.log(
    '\nLeak corpus: detection rate by soak length (higher is better), and the soak requests needed to block (median/p90)',
  );
  console.log(
    `${'leak'.padEnd(24)} ${SOAK_LENGTHS.map((s) => `ours@${s}`.padStart(8)).join(' ')} ${SOAK_LENGTHS.map((s) => `naive@${s}`.padStart(9)).join(' ')} ${'ours req'.padStart(9)} ${'naive req'.padStart(9)} ${'ours long'.padStart(9)}`,
  );
  const totals = new Map(SOAK_LENGTHS.map((soak) => [soak, tally()]));
  const storyLong: number[] = [];
  const tenPerRequest: number[] = [];
  for (const [leakIndex, leak] of LEAKS.entries()) {
    const bySoak = SOAK_LENGTHS.map(() => tally());
    const oursNeed: number[] = [];
    const naiveNeed: number[] = [];
    const oursLong: number[] = [];
    for (const [noiseIndex, noise] of NOISE_LEVELS.entries()) {
      for (let i = 0; i < seeds; i++) {
        const spec: TraceSpec = {
          shape: leak.shape,
          noise,
          leakPerRequestMiB: leak.perRequestMiB,
          leakPerLongMiB: leak.perLongMiB,
          seed: seedOf(100 + leakIndex, noiseIndex, i),
        };
        SOAK_LENGTHS.forEach((soak, j) => {
          count(bySoak[j]!, generateTrace(spec, soak));
        });
        const need = requestsToDetect(spec, analysisBlocks);
        const long = Number.isFinite(need) ? longRequestsIn(spec, need) : need;
        oursNeed.push(need);
        oursLong.push(long);
        naiveNeed.push(requestsToDetect(spec, (s) => naiveBlocks(s)));
        if (leak.story) storyLong.push(long);
        if (leak.tenPerRequest && noise.sigmaMiB <= 3) tenPerRequest.push(need);
      }
    }
    SOAK_LENGTHS.forEach((soak, j) => {
      const all = totals.get(soak)!;
      for (const key of ['n', 'ours', 'naive', 'naive128', 'timeOnly'] as const) {
        all[key] += bySoak[j]![key];
      }
    });
    const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : String(v));
    const need = (xs: number[]) => `${fmt(quantileOf(xs, 0.5))}/${fmt(quantileOf(xs, 0.9))}`;
    console.log(
      `${leak.name.padEnd(24)} ${bySoak.map((t) => pct(t.ours, t.n).padStart(8)).join(' ')} ${bySoak.map((t) => pct(t.naive, t.n).padStart(9)).join(' ')} ${need(oursNeed).padStart(9)} ${need(naiveNeed).padStart(9)} ${need(oursLong).padStart(9)}`,
    );
  }
  console.log(
    `\n${'all leaks'.padEnd(10)} ${'soak'.padStart(5)} ${'analysis'.padStart(9)} ${'time-only'.padStart(10)} ${'naive512'.padStart(9)} ${'naive128'.padStart(9)}`,
  );
  for (const [soak, t] of totals) {
    console.log(
      `${''.padEnd(10)} ${String(soak).padStart(5)} ${pct(t.ours, t.n).padStart(9)} ${pct(t.timeOnly, t.n).padStart(10)} ${pct(t.naive, t.n).padStart(9)} ${pct(t.naive128, t.n).padStart(9)}   (${t.n} traces)`,
    );
  }
  return {
    totals,
    storyLongP90: quantileOf(storyLong, 0.9) ?? Number.POSITIVE_INFINITY,
    tenPerRequestP90: quantileOf(tenPerRequest, 0.9) ?? Number.POSITIVE_INFINITY,
  };
}

function main(): void {
  const { seeds } = parseArgs();
  const started = Date.now();
  console.log(
    `Corpus: ${seeds} draws per class × ${NOISE_LEVELS.length} noise levels (${NOISE_LEVELS.map((n) => n.name).join(', ')} MiB); soaks of ${SOAK_LENGTHS.join(', ')} requests (about ${SOAK_LENGTHS.map((n) => Math.round(n / 5.2)).join(', ')} min)`,
  );
  console.log(
    `Analysis: default policy. Naive rule: last − first reading after ready above ${LIMIT_MIB} MiB (naive512) or 128 MiB (naive128). Time-only: the analysis on the same runs with no request counts or phases, as an nvidia-smi log.\n`,
  );

  const benign = benignCorpus(seeds);
  const leaks = leakCorpus(seeds);

  const worstFalseBlock = Math.max(...[...benign.values()].map((t) => t.ours / t.n));
  const beatsNaive = SOAK_LENGTHS.every((soak) => {
    const b = benign.get(soak)!;
    const l = leaks.totals.get(soak)!;
    return b.ours < b.naive && l.ours > l.naive;
  });
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('\nTargets');
  console.log(
    `  ≤1% false blocks at every soak length: ${(100 * worstFalseBlock).toFixed(1)}% at worst — ${verdict(worstFalseBlock <= 0.01)}`,
  );
  console.log(
    `  story leak (200–500 MiB per long request) blocked within 10 long requests: p90 ${leaks.storyLongP90} — ${verdict(leaks.storyLongP90 <= 10)}`,
  );
  console.log(
    `  10 MiB/request with σ ≤ 3 MiB blocked within 60 requests: p90 ${leaks.tenPerRequestP90} — ${verdict(leaks.tenPerRequestP90 <= 60)}`,
  );
  console.log(
    `  fewer false blocks and more detections than naive512 at every soak length — ${verdict(beatsNaive)}`,
  );
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1]?.endsWith('detect.ts')) main();
