import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMemory } from '../../analysis/analyze.js';
import {
  DEFAULT_MEMORY_POLICY,
  MEMORY_POLICY_INPUTS,
  type MemoryPolicy,
  type MemoryPolicyInput,
  parseMemoryPolicy,
} from '../../analysis/policy.js';
import { gpuLabel, metricLabel } from '../../analysis/rules.js';
import { readTrace, type TraceFormat } from '../../analysis/trace-files.js';
import type { MemoryAnalysis, SeriesAnalysis } from '../../analysis/types.js';
import { EXIT, GateError } from '../../errors.js';
import { formatMiB } from '../../units.js';
import type { CliIO, Command } from '../io.js';

export const ANALYZE_USAGE = `Usage: serving-gate analyze FILE [--json] [policy flags]

Judges GPU memory growth in FILE (- reads stdin), one of:
  a results file written by serving-gate run (its memory.samples);
  a CSV trace: header t_s,gpu,requests and any of fb_used_mib, fb_total_mib,
    bar1_used_mib, bar1_total_mib (an empty cell is unavailable; optional phase column);
  an nvidia-smi --query-gpu=timestamp,index,memory.used,memory.total --format=csv -l N log.

Policy flags (defaults in brackets):
  --max-bar1-growth SIZE      retained BAR1 growth after warm-up that fails [${DEFAULT_MEMORY_POLICY.maxBar1GrowthMiB}MiB]
  --max-fb-growth SIZE        the same for FB or process memory [${DEFAULT_MEMORY_POLICY.maxFbGrowthMiB}MiB]
  --exhaustion-horizon TIME   fail when memory runs out sooner at the soak's rate [${DEFAULT_MEMORY_POLICY.exhaustionHorizonHours}h]
  --memory-ceiling SHARE      share of a GPU's total growth may not cross [${DEFAULT_MEMORY_POLICY.memoryCeiling}]
  --warmup N|TIME             soak requests (or time) left out first [${DEFAULT_MEMORY_POLICY.warmup.requests} requests and ${DEFAULT_MEMORY_POLICY.warmup.seconds}s]
                              (a log without request counts has only the time: pass
                              --warmup 3m where the load started later in it)
  --memory required|optional  whether an unreadable GPU fails [required]

Exit codes: 0 pass, 1 fail or unmeasured, 2 usage error.
`;

interface AnalyzeArgs {
  file: string;
  json: boolean;
  help: boolean;
  policy: MemoryPolicy;
}

function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  const options = Object.fromEntries(
    MEMORY_POLICY_INPUTS.map((name) => [name, { type: 'string' as const }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...options,
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new GateError('usage', (error as Error).message, 'see serving-gate analyze --help');
  }

  const { values, positionals } = parsed;
  const help = values.help === true;
  if (!help && positionals.length !== 1) {
    throw new GateError(
      'usage',
      positionals.length === 0 ? 'no FILE given' : `one FILE expected, got ${positionals.length}`,
      'serving-gate analyze FILE [--json]; see --help',
    );
  }
  const text = (name: MemoryPolicyInput) => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    file: positionals[0] ?? '',
    json: values.json === true,
    help,
    policy: parseMemoryPolicy(
      Object.fromEntries(MEMORY_POLICY_INPUTS.map((name) => [name, text(name)])),
      DEFAULT_MEMORY_POLICY,
      (name) => `--${name}`,
    ),
  };
}

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GateError(
      'usage',
      `${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      'pass a results file, a CSV trace or an nvidia-smi log',
    );
  }
}

function num(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? String(Math.round(value)) : value.toFixed(digits);
}

function signedMiB(value: number | null): string {
  if (value === null) return 'n/a';
  return `${value >= 0 ? '+' : '−'}${formatMiB(Math.abs(value))}`;
}

function exhaustion(s: SeriesAnalysis): string {
  if (s.projectedExhaustionHours === null) return s.plateau ? 'never (plateau)' : 'never';
  const [low, high] = s.projectedExhaustionHoursRange ?? [null, null];
  const slow = high === null ? '∞' : num(high);
  const range = low !== null && num(low) !== slow ? ` (${num(low)}–${slow})` : '';
  return `${num(s.projectedExhaustionHours)} h${range}`;
}

function row(s: SeriesAnalysis): string[] {
  const gpu =
    s.gpu.gpuInstanceId === undefined ? `${s.gpu.index}` : `${s.gpu.index}/${s.gpu.gpuInstanceId}`;
  return [
    gpu,
    s.metric === 'mig-fb' ? 'MIG FB' : metricLabel(s.metric),
    s.verdict,
    formatMiB(s.baselineMiB),
    formatMiB(s.settledMiB),
    signedMiB(s.growthMiB),
    s.slopeMiBPerRequest === null
      ? 'n/a'
      : `${s.slopeMiBPerRequest >= 0 ? '+' : '−'}${num(Math.abs(s.slopeMiBPerRequest))} MiB`,
    signedMiB(s.slopeMiBPerHour),
    exhaustion(s),
    s.peakShare === null ? 'n/a' : `${Math.round(s.peakShare * 100)}%`,
  ];
}

/** The plain report: a table of series, the reasons, and the verdict last. */
export function renderAnalysis(analysis: MemoryAnalysis, format: TraceFormat): string {
  const header = [
    'GPU',
    'metric',
    'verdict',
    'baseline',
    'settled',
    'growth',
    'per request',
    'per hour',
    'exhaustion',
    'peak',
  ];
  const rows = [header, ...analysis.series.map(row)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );

  const names = [
    ...new Set(analysis.series.map((s) => gpuLabel({ ...s.gpu, gpuInstanceId: undefined }))),
  ];
  const out = [`Read ${format}: ${names.join(', ') || 'no GPU'}`, '', ...lines, ''];
  if (analysis.reasons.length > 0) {
    out.push('Reasons:');
    for (const r of analysis.reasons)
      out.push(`  ${r.severity.toUpperCase()} ${r.rule}: ${r.message}`);
    out.push('');
  }
  out.push(`Memory verdict: ${analysis.verdict}`);
  return `${out.join('\n')}\n`;
}

/** `serving-gate analyze FILE [--json] [policy flags]`. */
export const analyzeCommand: Command = async (argv, io) => {
  const args = parseAnalyzeArgs(argv);
  if (args.help) {
    io.stdout.write(ANALYZE_USAGE);
    return EXIT.pass;
  }

  const trace = readTrace(await readInput(args.file, io), args.file);
  const analysis = analyzeMemory(trace.samples, args.policy);
  if (args.json) {
    const json = {
      verdict: analysis.verdict,
      format: trace.format,
      series: analysis.series,
      reasons: analysis.reasons,
      policy: args.policy,
    };
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout.write(renderAnalysis(analysis, trace.format));
  }
  return analysis.verdict === 'pass' ? EXIT.pass : EXIT.fail;
};
