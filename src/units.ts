import { GateError } from './errors.js';

const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses `90s`, `10m`, `1h30m`, `500ms`, `2h`, or a bare number of seconds into ms.
 * `name` is the input or flag the text came from, so the error can name it.
 */
export function parseDuration(text: string, name: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);

  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = part.exec(trimmed); m; m = part.exec(trimmed)) {
    total += Number(m[1]) * (DURATION_MS[m[2]!] ?? 0);
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new GateError(
      'usage',
      `${name}: "${text}" is not a duration`,
      'use a number with a unit, such as 90s, 10m, 1h30m or 500ms (a bare number is seconds)',
    );
  }
  return Math.round(total);
}

const SIZE_MIB: Record<string, number> = {
  b: 1 / (1024 * 1024),
  kib: 1 / 1024,
  kb: 1000 / (1024 * 1024),
  mib: 1,
  mb: 1_000_000 / (1024 * 1024),
  gib: 1024,
  gb: 1_000_000_000 / (1024 * 1024),
  tib: 1024 * 1024,
};

/** Parses `256MiB`, `1GiB`, `1.5 GiB`, `500MB`, or a bare number of MiB, into MiB. */
export function parseSizeMiB(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = (m?.[2] || 'mib').toLowerCase();
  const factor = SIZE_MIB[unit];
  if (!m || factor === undefined) {
    throw new GateError(
      'usage',
      `${name}: "${text}" is not a size`,
      'use a number with a unit, such as 256MiB, 1GiB or 512 (MiB)',
    );
  }
  return Number(m[1]) * factor;
}

/** `1h 2m`, `45s`, `850ms`: short, for reports. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
}

/** `512 MiB`, `8.0 GiB`. */
export function formatMiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return 'n/a';
  if (Math.abs(mib) >= 1024) return `${(mib / 1024).toFixed(1)} GiB`;
  return `${Math.round(mib)} MiB`;
}
