import { generateTrace } from './detect.js';
import { analyzeMemory } from '../src/analysis/analyze.js';
const NOISE = [
  { name: 'σ1', sigmaMiB: 1, spikeRate: 0.005 },
  { name: 'σ3', sigmaMiB: 3, spikeRate: 0.01 },
  { name: 'σ8', sigmaMiB: 8, spikeRate: 0.03 },
];
const [lr, ll, shape, soak] = process.argv.slice(2).map((x, i) => (i === 2 ? x : Number(x)));
for (let seed = 1000; seed < 1600; seed++) for (const noise of NOISE) {
  const tr = generateTrace({ shape: (shape as any) ?? 'flat', noise, leakPerRequestMiB: lr as number, leakPerLongMiB: ll as number, seed }, soak as number);
  const a = analyzeMemory(tr);
  if (a.verdict !== 'fail') { const s = a.series[0]!; console.log(seed, noise.name, s.growthMiB, s.slopeMiBPerRequest, s.trendPValue, s.plateau, JSON.stringify(s.warmup), s.trendPoints); }
}
