import type { PreflightResult } from './evaluate.js';
import { formatBytes, formatTokens } from './format-figures.js';

const ENGINE_NAMES: Record<string, string> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  tgi: 'TGI',
  llamacpp: 'llama.cpp server',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
};

/** The preflight result as a person reads it: verdict, figures, then one block per finding. */
export function formatPreflight(result: PreflightResult): string {
  const d = result.details;
  const lines: string[] = [];
  const where = d.service ? `${d.file} (service ${d.service})` : d.file;
  lines.push(`preflight ${result.verdict.toUpperCase()}: ${where}`);

  const row = (label: string, value: string | null) => {
    if (value !== null) lines.push(`  ${label.padEnd(20)}${value}`);
  };
  row('engine', result.engine ? (ENGINE_NAMES[result.engine] ?? result.engine) : 'unknown');
  row('model', result.model);
  row('architecture', d.architectureSource);
  row(
    'max context',
    result.maxContextTokens === null ? null : `${formatTokens(result.maxContextTokens)} tokens`,
  );
  if (d.tensorParallelSize > 1) row('tensor parallel', String(d.tensorParallelSize));
  if (result.kvBytesPerToken !== null) {
    row(
      'KV cache per token',
      `${formatBytes(result.kvBytesPerToken)} (${d.kvCacheDtype ?? 'default dtype'})`,
    );
  }
  if (result.kvBytesAtMaxContext !== null)
    row('KV at max context', formatBytes(result.kvBytesAtMaxContext));
  if (result.weightsBytes !== null)
    row('weights', `${formatBytes(result.weightsBytes)} (${d.weightsSource})`);

  const b = d.budget;
  if (b) {
    row('GPU', `${formatBytes(b.gpuTotalBytes)} FB (${d.gpuSource})`);
    row(
      'KV budget per GPU',
      `${formatBytes(b.kvBudgetPerGpuBytes)} = ${formatBytes(b.usableBytes)} (${b.utilizationSource}) − ` +
        `${formatBytes(b.weightsPerGpuBytes)} weights − ${formatBytes(b.allowanceBytes)} runtime allowance`,
    );
    row('KV needed per GPU', formatBytes(b.kvAtMaxContextPerGpuBytes));
    if (b.bar1) {
      row(
        'BAR1',
        `${formatBytes(b.bar1.totalBytes)} total, ${formatBytes(b.bar1.usedBytes)} mapped, ` +
          `${formatBytes(b.bar1.availableBytes)} left after the runtime allowance`,
      );
    }
    row(
      'largest context',
      d.largestContextTokens === null
        ? 'none fits'
        : `${formatTokens(d.largestContextTokens)} tokens`,
    );
  } else if (d.gpuSource) {
    row('GPU', d.gpuSource);
  }

  if (result.findings.length === 0) {
    lines.push('no findings');
  } else {
    lines.push('findings:');
    for (const f of result.findings) {
      const at = f.line === null ? f.file : `${f.file}:${f.line}`;
      lines.push(`  ${f.severity.padEnd(8)}${f.rule}  ${at}`);
      lines.push(`          ${f.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
