/**
 * The part of nvidia-smi's command line the stand-in understands. Anything else is refused
 * the way nvidia-smi refuses it: a line on stdout and exit code 2 ("a supplied argument or
 * flag is invalid" in nvidia-smi's man page).
 */

export type SmiCommand =
  | {
      kind: 'report';
      format: 'xml' | 'text';
      /** Interval of loop mode; `null` prints once. */
      loopMs: number | null;
      /** `-i`: an index or a UUID; `null` for every GPU. */
      target: string | null;
    }
  | { kind: 'list'; target: string | null }
  | { kind: 'version' }
  | { kind: 'invalid'; message: string };

export const SMI_USAGE_EXIT = 2;

const INVALID_COMBINATION =
  "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.";

export function parseSmiArgs(args: string[]): SmiCommand {
  let query = false;
  let xml = false;
  let list = false;
  let version = false;
  let loopMs: number | null = null;
  let target: string | null = null;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = splitInline(arg);
    const value = (): string | undefined => inline ?? args[++i];

    if (flag === '-q' || flag === '--query') query = true;
    else if (flag === '-x' || flag === '--xml-format') xml = true;
    else if (flag === '-L' || flag === '--list-gpus') list = true;
    else if (flag === '--version') version = true;
    else if (flag === '-l' || flag === '--loop') {
      const seconds = positive(value());
      if (seconds === null) return { kind: 'invalid', message: INVALID_COMBINATION };
      loopMs = seconds * 1000;
    } else if (flag === '-lms' || flag === '--loop-ms') {
      const ms = positive(value());
      if (ms === null) return { kind: 'invalid', message: INVALID_COMBINATION };
      loopMs = ms;
    } else if (flag === '-i' || flag === '--id') {
      const id = value();
      if (!id) return { kind: 'invalid', message: INVALID_COMBINATION };
      target = id;
    } else {
      return {
        kind: 'invalid',
        message: `ERROR: Option ${arg} is not recognized. Please run 'nvidia-smi -h' for help.`,
      };
    }
  }

  if (version) {
    return query || xml || list || loopMs !== null
      ? { kind: 'invalid', message: INVALID_COMBINATION }
      : { kind: 'version' };
  }
  if (list) {
    return query || xml || loopMs !== null
      ? { kind: 'invalid', message: INVALID_COMBINATION }
      : { kind: 'list', target };
  }
  if (!query && !xml) {
    // The summary table nvidia-smi prints without arguments is not simulated.
    return { kind: 'invalid', message: INVALID_COMBINATION };
  }
  return { kind: 'report', format: xml ? 'xml' : 'text', loopMs, target };
}

/** `--loop=5` → [`--loop`, `5`]; short flags take their value as the next argument. */
function splitInline(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function positive(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n > 0 ? n : null;
}
