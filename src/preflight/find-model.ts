import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { GateError } from '../errors.js';
import { architectureFromHfConfig, type ModelArchitecture } from './architecture.js';
import { lookupModel } from './model-table.js';
import { totalSizeFromIndex, type WeightsFigure } from './weights.js';

export interface FoundModel {
  architecture: ModelArchitecture | null;
  /** Weights from the safetensors files beside config.json, when there are any. */
  index: WeightsFigure | null;
  /** Where preflight looked, for the finding when nothing was found. */
  searched: string[];
}

export interface FindModelOptions {
  /** `--model-config FILE`: a config.json to use whatever the model id says. */
  modelConfigPath?: string;
  /** Environment for HF_HUB_CACHE / HF_HOME; the home directory's cache otherwise. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Finds a model's architecture: the config.json given, else the runner's Hugging Face
 * cache (`$HF_HOME/hub/models--ORG--NAME/snapshots/<rev>/config.json`, the newest
 * snapshot), else a local model directory, else the built-in table. Reads files only.
 */
export function findModel(modelId: string | null, options: FindModelOptions = {}): FoundModel {
  const searched: string[] = [];

  if (options.modelConfigPath) {
    return {
      ...readConfigJson(options.modelConfigPath, 'usage'),
      searched: [options.modelConfigPath],
    };
  }
  if (modelId === null) return { architecture: null, index: null, searched };

  for (const candidate of configCandidates(modelId, options.env ?? {})) {
    if (!existsSync(candidate)) {
      searched.push(candidate);
      continue;
    }
    try {
      return { ...readConfigJson(candidate, 'config'), searched: [...searched, candidate] };
    } catch {
      // A broken file found by search is passed over, unquoted: the config named the path,
      // and its content is nobody's business but the runner's.
      searched.push(`${candidate} (not a readable model config)`);
    }
  }

  const entry = lookupModel(modelId);
  searched.push('the built-in model table');
  if (!entry) return { architecture: null, index: null, searched };
  const architecture = architectureFromHfConfig(entry.config, entry.source);
  if (/-gguf(:|$)/i.test(modelId) || modelId.endsWith('.gguf')) {
    // A GGUF repository holds the same architecture at a quantisation the table cannot know.
    architecture.quantization = { method: 'gguf', bitsPerWeight: null };
  }
  return { architecture, index: null, searched };
}

function configCandidates(modelId: string, env: NodeJS.ProcessEnv): string[] {
  const candidates: string[] = [];
  if (isAbsolute(modelId) || modelId.startsWith('.')) {
    candidates.push(join(modelId, 'config.json'));
    return candidates;
  }
  const parts = modelId.split('/');
  if (parts.length !== 2 || parts.some((p) => p === '' || p === '..' || p === '.'))
    return candidates;

  const hub =
    env.HF_HUB_CACHE || join(env.HF_HOME || join(homedir(), '.cache', 'huggingface'), 'hub');
  const snapshots = join(hub, `models--${parts[0]}--${parts[1]}`, 'snapshots');
  if (!existsSync(snapshots)) return candidates;
  const revisions = readdirSync(snapshots)
    .map((name) => join(snapshots, name))
    .filter((dir) => existsSync(join(dir, 'config.json')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs || a.localeCompare(b));
  candidates.push(...revisions.map((dir) => join(dir, 'config.json')));
  return candidates;
}

function readConfigJson(
  path: string,
  code: 'usage' | 'config',
): { architecture: ModelArchitecture; index: WeightsFigure | null } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GateError(
      code,
      `${path}: not a readable config.json: ${reason}`,
      "give the model's config.json",
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new GateError(
      code,
      `${path}: config.json holds no object`,
      "give the model's config.json",
    );
  }
  const architecture = architectureFromHfConfig(
    json as Record<string, unknown>,
    `config.json at ${path}`,
  );
  return { architecture, index: weightsBeside(dirname(path)) };
}

/** Weight bytes from the safetensors index (or single file) in a model directory. */
function weightsBeside(dir: string): WeightsFigure | null {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (existsSync(indexPath)) {
    try {
      const bytes = totalSizeFromIndex(JSON.parse(readFileSync(indexPath, 'utf8')));
      if (bytes !== null) return { bytes, source: `metadata.total_size of ${indexPath}` };
    } catch {
      // An unreadable index is treated as absent: the estimate stands in.
    }
  }
  const single = join(dir, 'model.safetensors');
  if (existsSync(single)) {
    return { bytes: statSync(single).size, source: `size of ${single}` };
  }
  return null;
}
