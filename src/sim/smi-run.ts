import { gpuBusId, type SimState, type SmiView, smiView } from './gpu-state.js';
import type { Scenario, SmiFault } from './scenario/schema.js';
import { sleep } from './sleep.js';
import { parseSmiArgs, SMI_USAGE_EXIT, type SmiCommand } from './smi-args.js';
import { renderSmiList, renderSmiText } from './smi-text.js';
import { renderSmiXml } from './smi-xml.js';

/**
 * The nvidia-smi stand-in: reads the simulator's GPU state and prints it as nvidia-smi
 * would, once or in loop mode, or misbehaves as the scenario's `smi.fault` says. Errors go
 * to stdout as nvidia-smi writes them there, with its exit codes (6 not found, 18 version
 * mismatch, 255 unknown error).
 */

export interface SmiStandInOptions {
  scenario: Scenario;
  args: string[];
  stdout: { write(text: string): unknown };
  /** Ends loop mode and a hang, as SIGINT/SIGTERM end nvidia-smi. */
  signal: AbortSignal;
  /** The live state, or `null` when no simulator holds the GPU. */
  readState: () => SimState | null;
  /** The state file even when stale: its start time still dates the faults. */
  readAnyState: () => SimState | null;
  now?: () => number;
}

interface FaultOutput {
  text: string;
  exitCode: number | null;
}

export async function runSmiStandIn(options: SmiStandInOptions): Promise<number> {
  const { scenario, stdout, signal } = options;
  const now = options.now ?? Date.now;
  const launchedAtMs = now();
  const command = parseSmiArgs(options.args);

  if (command.kind === 'invalid') {
    stdout.write(`${command.message}\n`);
    return SMI_USAGE_EXIT;
  }
  if (command.kind === 'version') {
    const driver = scenario.driver.version;
    stdout.write(
      `NVIDIA-SMI version  : ${driver}\nNVML version        : ${driver.split('.').slice(0, 2).join('.')}\n` +
        `DRIVER version      : ${driver}\nCUDA Version        : ${scenario.driver.cudaVersion}\n`,
    );
    return 0;
  }

  const loopMs = command.kind === 'report' ? command.loopMs : null;
  for (;;) {
    const fault = activeFault(scenario, options.readAnyState(), launchedAtMs, now());
    if (fault === 'hang') {
      await untilAborted(signal);
      return 1;
    }

    const view = smiView(scenario, options.readState(), new Date(now()));
    const output = fault === 'none' ? null : faultOutput(fault, scenario, command, view);
    if (output) {
      stdout.write(output.text);
      if (output.exitCode !== null) return output.exitCode;
    } else {
      const printed = printReport(command, view);
      stdout.write(printed.text);
      if (printed.exitCode !== 0) return printed.exitCode;
    }

    if (loopMs === null) return 0;
    await sleep(loopMs, signal);
    if (signal.aborted) return 0;
  }
}

function activeFault(
  scenario: Scenario,
  state: SimState | null,
  launchedAtMs: number,
  nowMs: number,
): SmiFault {
  const { fault, faultAfter } = scenario.smi;
  if (fault === 'none') return 'none';
  const sinceMs = state?.startedAtMs ?? launchedAtMs;
  return nowMs - sinceMs >= faultAfter ? fault : 'none';
}

function faultOutput(
  fault: SmiFault,
  scenario: Scenario,
  command: SmiCommand,
  view: SmiView,
): FaultOutput {
  switch (fault) {
    case 'no-devices':
      return { text: 'No devices were found\n', exitCode: 6 };
    case 'nvml-unknown':
      return { text: 'Failed to initialize NVML: Unknown Error\n', exitCode: 255 };
    case 'driver-mismatch':
      return { text: 'Failed to initialize NVML: Driver/library version mismatch\n', exitCode: 18 };
    case 'gpu-lost':
      return {
        text: `Unable to determine the device handle for GPU ${gpuBusId(scenario, 0)}: Unknown Error\n`,
        exitCode: 255,
      };
    case 'garbage':
      return { text: '\u001b[?25l#\u0000\u0007 NVSMI ??? 0x7f3a9c21 ----\n<<<<\n', exitCode: null };
    case 'truncated': {
      const whole = printReport(command, view).text;
      return { text: whole.slice(0, Math.floor(whole.length / 2)), exitCode: null };
    }
    default:
      return { text: '', exitCode: null };
  }
}

function printReport(command: SmiCommand, view: SmiView): { text: string; exitCode: number } {
  const target = command.kind === 'report' || command.kind === 'list' ? command.target : null;
  const gpus =
    target === null
      ? view.gpus
      : view.gpus.filter((gpu) => String(gpu.index) === target || gpu.uuid === target);
  if (gpus.length === 0) return { text: 'No devices were found\n', exitCode: 6 };

  const shown = { ...view, gpus };
  if (command.kind === 'list') return { text: renderSmiList(shown), exitCode: 0 };
  if (command.kind === 'report' && command.format === 'text') {
    return { text: renderSmiText(shown), exitCode: 0 };
  }
  return { text: renderSmiXml(shown), exitCode: 0 };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    // The timer only keeps the process alive while it hangs; the abort ends the wait.
    const keepAlive = setInterval(() => {}, 60_000);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    );
  });
}
