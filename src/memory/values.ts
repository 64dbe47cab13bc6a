/**
 * Reads a memory figure as nvidia-smi and friends print it: `19818 MiB`, `19818`, or
 * `[N/A]`, `N/A`, `Not Supported`, `[Insufficient Permissions]`, error text. Anything that is
 * not a plain number (with an optional MiB unit) is unavailable: `null`, never 0.
 */
export function parseMiB(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(MiB)?\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Like parseMiB for a bare integer field (pid, gpu_instance_id): `N/A` is null. */
export function parseInteger(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const m = /^\s*(\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}
