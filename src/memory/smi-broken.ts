import type { SmiBroken, SmiBrokenState } from './types.js';

/**
 * The lines a broken driver or a broken nvidia-smi prints instead of a report. Order matters:
 * the version mismatch is also an NVML initialisation failure, but a more useful name.
 */
const KNOWN_LINES: ReadonlyArray<[RegExp, SmiBrokenState]> = [
  [/No devices were found/i, 'no-devices'],
  [/Driver\/library version mismatch/i, 'driver-mismatch'],
  [/Failed to initialize NVML/i, 'nvml-init-failed'],
  // Printed when the kernel module is not loaded at all; for the gate it is the same as
  // NVML failing to start.
  [
    /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/i,
    'nvml-init-failed',
  ],
  [/Unable to determine the device handle/i, 'gpu-lost'],
  [/GPU is lost/i, 'gpu-lost'],
  [/fallen off the bus/i, 'gpu-lost'],
];

/** Long garbage lines are cut so one bad line cannot flood a log or a JSON result. */
const MAX_MESSAGE_CHARS = 500;

export function broken(state: SmiBrokenState, message: string): SmiBroken {
  return { kind: 'broken', state, message: clip(message) };
}

/** A known broken-driver line, named, with the raw line as its message; `null` otherwise. */
export function classifyBrokenLine(line: string): SmiBroken | null {
  const raw = line.trim();
  if (raw === '') return null;
  for (const [pattern, state] of KNOWN_LINES) {
    if (pattern.test(raw)) return broken(state, raw);
  }
  return null;
}

/**
 * The one reading that best names a text that holds no report: the first known
 * broken-driver line, else `garbage` with the first line that is not blank.
 */
export function brokenFromText(text: string, source = 'nvidia-smi'): SmiBroken {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  for (const line of lines) {
    const known = classifyBrokenLine(line);
    if (known) return known;
  }
  const first = lines.find((line) => line !== '');
  if (first === undefined) return broken('garbage', `${source} printed nothing`);
  return broken('garbage', first);
}

export function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** A command that could not be started: `missing`, naming it. */
export function missingCommand(command: string, error: NodeJS.ErrnoException): SmiBroken {
  const why = error.code === 'ENOENT' ? 'not found' : `could not be started (${error.message})`;
  return broken('missing', `nvidia-smi command "${command}" ${why}`);
}

/** The last line that is not blank, trimmed: usually the one that says why. */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.at(-1)?.trim() ?? '';
}
