import type { Reason } from '../verdict/types.js';

/** Figures a reader cannot use: identifiers repeated from the message. */
const HIDDEN = new Set(['gpuUuid']);

/** `4261`, `126.98`, `4.27e-5`: numbers short enough to read in a line. */
export function figureValue(value: number | string | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && size < 0.001) return value.toExponential(2);
  if (size >= 1000) return String(Math.round(value));
  return String(Math.round(value * 100) / 100);
}

/** A reason's figures as `name value` pairs, nulls and identifiers left out. */
export function reasonFigures(reason: Reason): string[] {
  return Object.entries(reason.figures ?? {})
    .filter(
      (entry): entry is [string, number | string | boolean] =>
        entry[1] !== null && !HIDDEN.has(entry[0]),
    )
    .map(([name, value]) => `${name} ${figureValue(value)}`);
}

/** `file:line`, `file`, or null when the reason concerns no file. */
export function reasonPlace(reason: Reason): string | null {
  if (!reason.file) return null;
  return reason.line ? `${reason.file}:${reason.line}` : reason.file;
}
