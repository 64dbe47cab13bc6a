import { generateTrace } from './detect.js';
import { analyzeMemory } from '../src/analysis/analyze.js';
const NOISE = [
  { name: 'σ1', sigmaMiB: 1, spikeRate: 0.005 },
  { name: 'σ3', sigmaMiB: 3, spikeRate: 0.01 },
  { name: 'σ8', sigmaMiB: 8, spikeRate: 0.03 },
];
const [lr, ll, shape, soak, from, to] = process.argv.slice(2);
for (let seed = Number(from ?? 1000); seed < Number(to ?? 3000); seed++) for (const noise of NOISE) {
  const tr = generateTrace({ shape: (shape as any) ?? 'flat', noise, leakPerRequestMiB: Number(lr), leakPerLongMiB: Number(ll), seed }, Number(soak));
  const a = analyzeMemory(tr);
  if (a.verdict !== 'fail') { const s = a.series[0]!; console.log(seed, noise.name, 'growth', s.growthMiB, 'back', s.givenBackMiB, 'slope', s.slopeMiBPerRequest?.toFixed(2), 'p', s.trendPValue?.toExponential(1), 'plat', s.plateau, JSON.stringify(s.warmup), s.trendPoints, a.reasons.filter(r=>r.rule!=='fb-unavailable').map(r=>r.rule).join(',')); }
}
