import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, GateError } from '../../errors.js';
import type { Bar1Check } from '../../preflight/budget.js';
import { formatPreflight } from '../../preflight/format-report.js';
import {
  type GpuTotals,
  gpuTotalsFromSizes,
  gpuTotalsFromSmiFile,
} from '../../preflight/gpu-totals.js';
import { runPreflight } from '../../preflight/run-preflight.js';
import { parseSizeMiB } from '../../units.js';
import type { Command } from '../io.js';

export const PREFLIGHT_USAGE = `Usage: serving-gate preflight CONFIG [--model-config FILE]
         [--gpu-memory 80GiB | --smi FILE] [--json] [options]

Checks on paper, without a GPU, that a candidate serving config can work: the KV cache of
one sequence at the configured context against the GPU memory left beside the weights
(and against BAR1 where the aperture is smaller than FB), and the rope scaling against the
context. CONFIG is a vLLM config (YAML or JSON), a docker compose file or an Ollama
Modelfile.

  --model-config FILE      the model's Hugging Face config.json (default: the HF cache
                           under $HF_HOME, then a built-in table of common models)
  --gpu-memory SIZE        framebuffer per GPU, such as 80GiB
  --smi FILE               a saved \`nvidia-smi -q -x\`: FB and BAR1 of the smallest GPU
  --bar1 SIZE              BAR1 aperture per GPU (with --gpu-memory)
  --bar1-used SIZE         BAR1 already mapped, such as the model's share once loaded
  --bar1-check MODE        error (default), warn or off: how a config that does not fit
                           BAR1 is reported
  --weights-gib N          the weights' size; wins over the safetensors index and the
                           estimate
  --runtime-allowance SIZE memory per GPU for activations, CUDA graphs and workspaces
                           (default 2GiB)
  --concurrency N          requests the soak will run at once
  --service NAME           compose: the service to check
  --json                   the result as one JSON object
  -h, --help

Exit codes: 0 pass or warnings only, 1 a finding is an error, 2 usage error.
`;

export const preflightCommand: Command = async (argv, io) => {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    io.stdout.write(PREFLIGHT_USAGE);
    return EXIT.pass;
  }
  if (positionals.length !== 1) {
    throw new GateError(
      'usage',
      `preflight: give one CONFIG, got ${positionals.length}`,
      'serving-gate preflight CONFIG [--gpu-memory 80GiB | --smi FILE] [--json]',
    );
  }
  const file = positionals[0]!;

  const result = runPreflight({
    config: resolve(io.cwd, file),
    displayName: file,
    ...(values.service === undefined ? {} : { service: values.service }),
    ...(values['model-config'] === undefined
      ? {}
      : { modelConfigPath: resolve(io.cwd, values['model-config']) }),
    env: io.env,
    gpu: gpuTotals(values, io.cwd),
    weightsBytes: values['weights-gib'] === undefined ? null : weightsBytes(values['weights-gib']),
    ...(values['runtime-allowance'] === undefined
      ? {}
      : {
          runtimeAllowanceBytes:
            parseSizeMiB(values['runtime-allowance'], '--runtime-allowance') * 1024 * 1024,
        }),
    soakConcurrency: values.concurrency === undefined ? null : concurrency(values.concurrency),
    bar1Check: bar1Check(values['bar1-check']),
  });

  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatPreflight(result));
  return result.verdict === 'fail' ? EXIT.fail : EXIT.pass;
};

type Flags = ReturnType<typeof parseFlags>['values'];

function gpuTotals(values: Flags, cwd: string): GpuTotals | null {
  const sizes = values['gpu-memory'];
  if (sizes !== undefined && values.smi !== undefined) {
    throw new GateError(
      'usage',
      'preflight: --gpu-memory and --smi both give the GPU; pass one',
      'use --smi for a saved nvidia-smi -q -x, or --gpu-memory (with --bar1) by hand',
    );
  }
  if (values.smi !== undefined) {
    if (values.bar1 !== undefined) {
      throw new GateError('usage', 'preflight: --bar1 goes with --gpu-memory; --smi has its own');
    }
    const totals = gpuTotalsFromSmiFile(resolve(cwd, values.smi));
    if (values['bar1-used'] === undefined) return totals;
    return {
      ...totals,
      bar1UsedBytes: parseSizeMiB(values['bar1-used'], '--bar1-used') * 1024 * 1024,
    };
  }
  if (sizes === undefined) {
    if (values.bar1 !== undefined || values['bar1-used'] !== undefined) {
      throw new GateError('usage', 'preflight: --bar1 and --bar1-used need --gpu-memory too');
    }
    return null;
  }
  return gpuTotalsFromSizes({
    gpuMemory: sizes,
    ...(values.bar1 === undefined ? {} : { bar1: values.bar1 }),
    ...(values['bar1-used'] === undefined ? {} : { bar1Used: values['bar1-used'] }),
  });
}

function weightsBytes(text: string): number {
  const gib = Number(text);
  if (!Number.isFinite(gib) || gib <= 0) {
    throw new GateError(
      'usage',
      `--weights-gib: "${text}" is not a positive number of GiB`,
      'such as --weights-gib 29',
    );
  }
  return gib * 1024 ** 3;
}

function concurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new GateError(
      'usage',
      `--concurrency: "${text}" is not a whole number of requests`,
      'such as --concurrency 4',
    );
  }
  return n;
}

function bar1Check(text: string | undefined): Bar1Check {
  if (text === undefined || text === 'error') return 'error';
  if (text === 'warn' || text === 'warning') return 'warning';
  if (text === 'off') return 'off';
  throw new GateError('usage', `--bar1-check: "${text}" is not error, warn or off`);
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        'model-config': { type: 'string' },
        'gpu-memory': { type: 'string' },
        smi: { type: 'string' },
        bar1: { type: 'string' },
        'bar1-used': { type: 'string' },
        'bar1-check': { type: 'string' },
        'weights-gib': { type: 'string' },
        'runtime-allowance': { type: 'string' },
        concurrency: { type: 'string' },
        service: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new GateError(
      'usage',
      `preflight: ${(error as Error).message}`,
      'serving-gate preflight --help lists the options',
    );
  }
}
