import { generateTrace } from './detect.js';
const tr = generateTrace({ shape: 'flat', noise: { name: 'x', sigmaMiB: 0, spikeRate: 0 }, leakPerRequestMiB: 0, leakPerLongMiB: 200, seed: Number(process.argv[2]) }, Number(process.argv[3]));
let last = -1;
const out: string[] = [];
for (const s of tr) { const v = s.gpus[0]!.bar1.usedMiB; if (s.requests !== last) { out.push(`\n${s.phase}:${s.requests}:`); last = s.requests; } out.push(String(v)); }
console.log(out.join(' '));
