import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GateError } from '../errors.js';
import { readVllmSettings } from './engine-vllm.js';
import { parseLocated, type YMap } from './located-yaml.js';
import { readCompose } from './read-compose.js';
import { readModelfile } from './read-modelfile.js';
import { normaliseName, type Setting } from './settings.js';
import type { ServingConfig } from './types.js';

/** Larger than any serving config; a bigger file is not one, and is not read whole. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ReadConfigOptions {
  /** Compose only: the service to read, when the file has several (or none is recognised). */
  service?: string;
  /** The name findings and errors give the file (default: `path` as given). */
  displayName?: string;
}

/**
 * Reads a candidate serving config, synchronously: a vLLM `--config` YAML file, its plain
 * JSON equivalent, a docker compose file (whose service runs vLLM, SGLang, TGI, llama.cpp
 * server or Ollama), or an Ollama Modelfile. Every value comes with its file and line.
 * Throws GateError('config') naming the file, line and key when the file is missing, is
 * not YAML/JSON, or has a key or value vLLM would refuse.
 */
export function readServingConfig(path: string, options: ReadConfigOptions = {}): ServingConfig {
  const text = readText(path, options.displayName ?? path);
  const { displayName, ...rest } = options;
  return parseServingConfig(text, displayName ?? path, {
    ...rest,
    variables: readDotEnv(join(dirname(path), '.env')),
  });
}

/** The pure half of readServingConfig: the file's text in, the config out. */
export function parseServingConfig(
  text: string,
  file: string,
  options: ReadConfigOptions & { variables?: Record<string, string> } = {},
): ServingConfig {
  if (/(^|\.)modelfile$/i.test(basename(file))) return readModelfile(text, file);

  const doc = parseLocated(text, file);
  const root = doc.root;
  if (root.kind !== 'map') {
    throw new GateError(
      'config',
      `${file}:${root.line}: the file holds a ${root.kind === 'seq' ? 'list' : 'single value'}, not a config`,
      'give a vLLM config (keys such as model and max-model-len) or a compose file (services:)',
    );
  }

  const services = root.entries.find((e) => e.key === 'services');
  if (services) {
    if (services.value.kind !== 'map') {
      throw new GateError(
        'config',
        `${file}:${services.keyLine}: services is not a map of services`,
      );
    }
    return readCompose(doc, services.value, options);
  }

  refuseOtherForms(root, file);
  const settings: Setting[] = root.entries.map((entry) => ({
    key: entry.key,
    name: normaliseName(entry.key),
    path: [],
    file,
    line: entry.keyLine,
    value: { kind: 'node', node: entry.value },
  }));
  const { notes, ...fields } = readVllmSettings(settings, { unknown: 'refuse' });
  return {
    file,
    form: text.trimStart().startsWith('{') ? 'json' : 'vllm-yaml',
    engine: 'vllm',
    ...fields,
    notes,
  };
}

/** Names the forms people point the gate at by mistake, so the message is not "unknown key". */
function refuseOtherForms(root: YMap, file: string): void {
  const keys = new Set(root.entries.map((e) => e.key));
  if (keys.has('apiVersion') && keys.has('kind')) {
    throw new GateError(
      'config',
      `${file}: a Kubernetes manifest is not a form preflight reads`,
      'point the gate at the vLLM config or compose file the manifest is made from',
    );
  }
  if (keys.has('architectures') || keys.has('model_type')) {
    throw new GateError(
      'config',
      `${file}: this is a model's config.json, not a serving config`,
      'pass it with --model-config, and the serving config as CONFIG',
    );
  }
}

function readText(path: string, name: string): string {
  if (!existsSync(path)) {
    throw new GateError(
      'config',
      `${name}: no such file`,
      'give the path of the candidate serving config',
    );
  }
  const stat = statSync(path);
  if (!stat.isFile()) {
    throw new GateError(
      'config',
      `${name}: not a file`,
      'give the path of the candidate serving config',
    );
  }
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new GateError(
      'config',
      `${name}: ${stat.size} bytes is too large for a serving config`,
      'give the serving config itself',
    );
  }
  return readFileSync(path, 'utf8');
}

/** Compose reads `.env` beside the compose file for variable substitution; so does this. */
function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    vars[m[1]!] = m[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}
