import type { ModelArchitecture } from './architecture.js';
import { formatTokens } from './format-figures.js';
import type { Finding, Located, RopeScaling, ServingConfig } from './types.js';

/** Rope types that carry their own reach (the model's trained window) rather than stretch it. */
const SELF_CONTAINED = new Set(['llama3', 'longrope', 'su']);
/** Rope types applied to every position: they change short prompts too. */
const STATIC = new Set(['yarn', 'linear']);

/**
 * The longest context a model reaches without extra rope scaling: its position limit,
 * or, when its own config already scales rope (DeepSeek's YaRN), what that scaling reaches.
 */
export function modelWindow(arch: ModelArchitecture): number | null {
  const base = arch.maxPositionEmbeddings;
  const rope = arch.ropeScaling;
  if (!rope || SELF_CONTAINED.has(rope.type) || rope.factor === null) return base;
  const reach = ropeReach(rope, base);
  return reach === null ? base : Math.max(base ?? 0, reach);
}

/**
 * What a rope scaling stretches the model to, as vLLM derives its limit: YaRN from
 * `original_max_position_embeddings × factor`, other types from the model's position limit
 * × factor (llama.cpp's `--yarn-orig-ctx` left out reads as the model's training context).
 */
export function ropeReach(rope: RopeScaling, maxPositionEmbeddings: number | null): number | null {
  if (rope.factor === null) return null;
  if (SELF_CONTAINED.has(rope.type)) return maxPositionEmbeddings;
  const base =
    rope.type === 'yarn'
      ? (rope.originalMaxPositionEmbeddings ?? maxPositionEmbeddings)
      : maxPositionEmbeddings;
  return base === null ? null : Math.floor(base * rope.factor);
}

/**
 * The first vLLM release known to refuse `--rope-scaling` and `--rope-theta`: deprecated
 * since late 2024 (vLLM PR #5836), removed in November 2025 (PR #28006); an image of 0.13.0
 * was reported refusing it (gpustack#4236). Releases between the removal and 0.12 may
 * refuse it too; those get the warning.
 */
const VLLM_ROPE_FLAG_REMOVED = [0, 12, 0];

export interface RopeCheckInput {
  config: ServingConfig;
  arch: ModelArchitecture;
  /** The context the deployment will serve, and the line that sets it (null: the default). */
  maxContextTokens: number;
  contextAt: Located<number> | null;
}

/**
 * Rope findings: a context beyond the model's window with no scaling, scaling that does not
 * reach the context, scaling far larger than needed (static scaling degrades short
 * prompts), an incomplete YaRN, and vLLM's removed `--rope-scaling` flag.
 */
export function ropeFindings(input: RopeCheckInput): Finding[] {
  const { config, arch, maxContextTokens: context, contextAt } = input;
  const findings: Finding[] = [];
  const file = config.file;
  const contextLine = contextAt?.line ?? null;
  const contextKey = contextAt?.key ?? 'the default context';
  const window = modelWindow(arch);
  const rope = config.ropeScaling;

  if (rope) findings.push(...removedFlag(config, rope));

  if (!rope) {
    if (window !== null && context > window) {
      const env = allowLongEnv(config);
      findings.push({
        rule: 'context-beyond-model',
        severity: 'error',
        message:
          `${contextKey} ${formatTokens(context)} is beyond the model's ${formatTokens(window)}-token window and no rope scaling is set: ` +
          (env
            ? `${env} lets the engine start, but positions past ${formatTokens(window)} give garbage. `
            : 'the engine refuses to start (vLLM: "User-specified max_model_len is greater than the derived max_model_len"). ') +
          `Lower it to ${formatTokens(window)}, or add rope scaling (YaRN) whose factor × original_max_position_embeddings reaches ${formatTokens(context)}.`,
        file,
        line: contextLine,
      });
    }
    return findings;
  }

  const r = rope.value;
  if (r.factor === null) {
    findings.push({
      rule: 'rope-incomplete',
      severity: 'error',
      message: `${rope.key} sets rope scaling "${r.type}" without a factor; the engine cannot derive its context from it.`,
      file,
      line: rope.line,
    });
    return findings;
  }
  if (r.type === 'yarn' && r.originalMaxPositionEmbeddings === null) {
    findings.push({
      rule: 'rope-incomplete',
      severity: config.engine === 'vllm' ? 'error' : 'warning',
      message:
        `${rope.key} sets YaRN without original_max_position_embeddings` +
        (config.engine === 'vllm'
          ? ': vLLM reads that key to derive the context and fails to start without it.'
          : `; the model's ${formatTokens(arch.maxPositionEmbeddings ?? 0)} positions are assumed.`),
      file,
      line: rope.line,
    });
  }

  const reach = ropeReach(r, arch.maxPositionEmbeddings);
  if (reach === null) return findings;
  const original = r.originalMaxPositionEmbeddings ?? arch.maxPositionEmbeddings ?? 0;
  if (reach < context) {
    const needed = original > 0 ? Math.ceil(context / original) : null;
    findings.push({
      rule: 'rope-too-short',
      severity: 'error',
      message:
        `${contextKey} ${formatTokens(context)} is beyond what the rope scaling reaches: ` +
        `${r.type} factor ${r.factor} × ${formatTokens(original)} = ${formatTokens(reach)} tokens (${rope.key}, line ${rope.line}). ` +
        (needed
          ? `Raise the factor to ${needed}, or lower ${contextKey} to ${formatTokens(reach)}.`
          : `Lower ${contextKey} to ${formatTokens(reach)}.`),
      file,
      line: contextLine ?? rope.line,
    });
  } else if (STATIC.has(r.type) && (reach >= 2 * context || context <= original)) {
    const needed = Math.max(1, Math.ceil(context / Math.max(1, original)));
    findings.push({
      rule: 'rope-oversized',
      severity: 'warning',
      message:
        `${r.type} factor ${r.factor} stretches positions to ${formatTokens(reach)} tokens for a ${formatTokens(context)}-token context. ` +
        'Static scaling applies to every prompt and degrades short ones (Qwen notes this for YaRN); ' +
        (needed <= 1
          ? `${formatTokens(context)} is within the model's ${formatTokens(original)} positions, so no scaling is needed.`
          : `factor ${needed} would reach ${formatTokens(needed * original)}.`),
      file,
      line: rope.line,
    });
  }
  return findings;
}

function removedFlag(config: ServingConfig, rope: Located<RopeScaling>): Finding[] {
  if (config.engine !== 'vllm' || !/^-*rope[-_]scaling$/.test(rope.key)) return [];
  const version = config.engineVersion ?? null;
  const refused = version !== null && compareVersions(version, VLLM_ROPE_FLAG_REMOVED) >= 0;
  return [
    {
      rule: 'rope-flag-removed',
      severity: refused ? 'error' : 'warning',
      message:
        (refused
          ? `vLLM ${version} no longer accepts ${rope.key} and refuses to start ("unrecognized arguments"). `
          : `${rope.key} is deprecated since late 2024 and was removed from vLLM in November 2025 (0.12 and later refuse it). `) +
        `Give it as hf-overrides: {"rope_scaling": {...}} instead.`,
      file: config.file,
      line: rope.line,
    },
  ];
}

function allowLongEnv(config: ServingConfig): string | null {
  for (const name of [
    'VLLM_ALLOW_LONG_MAX_MODEL_LEN',
    'SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN',
  ]) {
    const v = config.environment?.[name]?.value;
    if (v !== undefined && v !== '0' && v.toLowerCase() !== 'false') return `${name}=${v}`;
  }
  return null;
}

/** Compares `0.10.1.1` with [0, 12, 0]: negative, zero or positive. */
export function compareVersions(version: string, other: readonly number[]): number {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(parts.length, other.length); i++) {
    const d = (parts[i] ?? 0) - (other[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
