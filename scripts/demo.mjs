// npm run demo: the gate, through its CLI, against the simulator on both example configs.
// The 131072-token YaRN config is expected to FAIL (generate fails at long context, BAR1
// grows with every long request); the 32768-token config is expected to PASS.
import { spawnSync } from 'node:child_process';

const runs = [
  { name: '131k', config: 'examples/qwen3-30b-a3b-fp8-131k.yaml', expect: 1 },
  { name: '32k', config: 'examples/qwen3-30b-a3b-fp8-32k.yaml', expect: 0 },
];
const VERDICT = { 0: 'PASS', 1: 'FAIL', 2: 'USAGE ERROR', 3: 'INFRA' };

const lines = [];
let surprises = 0;
for (const run of runs) {
  console.log(`\n=== serving-gate run --config ${run.config} (simulator)\n`);
  const result = spawnSync(
    process.execPath,
    [
      'dist/cli/index.js',
      'run',
      '--config',
      run.config,
      '--simulate',
      run.config.replace('examples/', 'examples/sim/'),
      '--soak-duration',
      '25s',
      '--soak-concurrency',
      '2',
      '--long-request-share',
      '0.5',
      '--settle-duration',
      '4s',
      '--sample-interval',
      '500ms',
      '--report-dir',
      `demo-results/${run.name}`,
    ],
    { stdio: 'inherit', timeout: 110_000 },
  );
  const code = result.status ?? -1;
  if (code !== run.expect) surprises += 1;
  lines.push(
    `${run.config}: ${VERDICT[code] ?? `exit ${code}`} ` +
      `(expected ${VERDICT[run.expect]}), results in demo-results/${run.name}/`,
  );
}
console.log(`\n=== Verdicts\n${lines.join('\n')}`);
process.exitCode = surprises === 0 ? 0 : 1;
