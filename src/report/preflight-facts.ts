import type { PreflightResult } from '../preflight/evaluate.js';
import { formatBytes, formatTokens } from '../preflight/format-figures.js';

/**
 * The preflight figures a reviewer weighs, as label and value: what the config asks for
 * against what the GPU has. Rows whose figure preflight could not work out are left out.
 */
export function preflightFacts(p: PreflightResult): [string, string][] {
  const d = p.details;
  const b = d.budget;
  const rows: [string, string | null][] = [
    ['model', p.model],
    [
      'max context',
      p.maxContextTokens === null ? null : `${formatTokens(p.maxContextTokens)} tokens`,
    ],
    [
      'KV cache per token',
      p.kvBytesPerToken === null
        ? null
        : `${formatBytes(p.kvBytesPerToken)} (${d.kvCacheDtype ?? 'default dtype'})`,
    ],
    [
      'KV cache at max context',
      p.kvBytesAtMaxContext === null ? null : formatBytes(p.kvBytesAtMaxContext),
    ],
    ['weights', p.weightsBytes === null ? null : formatBytes(p.weightsBytes)],
    ['tensor parallel', d.tensorParallelSize > 1 ? String(d.tensorParallelSize) : null],
    ['GPU FB', b ? formatBytes(b.gpuTotalBytes) : null],
    [
      'KV budget per GPU',
      b
        ? `${formatBytes(b.kvBudgetPerGpuBytes)} (${b.utilizationSource}, ` +
          `${formatBytes(b.allowanceBytes)} runtime allowance)`
        : null,
    ],
    ['KV needed per GPU', b ? formatBytes(b.kvAtMaxContextPerGpuBytes) : null],
    ['full-length sequences at once', b ? String(b.fullLengthSequences) : null],
    [
      'BAR1',
      b?.bar1
        ? `${formatBytes(b.bar1.totalBytes)} total, ${formatBytes(b.bar1.usedBytes)} mapped, ` +
          `${formatBytes(b.bar1.availableBytes)} left after the allowance`
        : null,
    ],
    [
      'largest context that fits',
      b
        ? d.largestContextTokens === null
          ? 'none'
          : `${formatTokens(d.largestContextTokens)} tokens`
        : null,
    ],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null);
}
