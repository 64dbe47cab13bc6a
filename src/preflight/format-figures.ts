const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** `131,072` */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}

/** `6.00 GiB`, `512 MiB`, `48 KiB`, `96 B`: bytes the way a person reads memory. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= GIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  if (abs >= MIB) return `${Math.round(bytes / MIB)} MiB`;
  if (abs >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}
