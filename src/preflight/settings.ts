import { GateError } from '../errors.js';
import type { YNode } from './located-yaml.js';
import type { Word } from './shell-words.js';

/**
 * One engine setting as the user wrote it, from a YAML key (`max_model_len: 131072`) or a
 * command-line flag (`--max-model-len 131072`), before its type is checked.
 */
export interface Setting {
  /** As written: `max_model_len`, `--max-model-len`, `-tp`. */
  key: string;
  /** Normalised: no leading dashes, `_` read as `-` (`max-model-len`). */
  name: string;
  /** Sub-keys of a dotted flag: `--hf-overrides.rope_scaling.factor 4` gives two. */
  path: string[];
  file: string;
  line: number;
  value: SettingValue;
}

export type SettingValue =
  | { kind: 'node'; node: YNode }
  | { kind: 'text'; text: string }
  /** A flag with no value (`--enforce-eager`), or its negation (`--no-enable-prefix-caching`). */
  | { kind: 'flag'; on: boolean };

export function normaliseName(key: string): string {
  return key.replace(/^-+/, '').replace(/_/g, '-');
}

/** Where a setting stands, for messages: `file:line: key`. */
export function at(setting: Setting): string {
  return `${setting.file}:${setting.line}: ${setting.key}`;
}

function illTyped(setting: Setting, shown: string, expected: string): GateError {
  return new GateError(
    'config',
    `${at(setting)} is ${shown}, not ${expected}`,
    `give ${setting.key} ${expected}`,
  );
}

function show(setting: Setting): string {
  const v = setting.value;
  if (v.kind === 'text') return JSON.stringify(v.text);
  if (v.kind === 'flag') return 'a flag with no value';
  if (v.node.kind === 'map') return 'a map';
  if (v.node.kind === 'seq') return 'a list';
  return JSON.stringify(v.node.value);
}

/** The setting's single value as text or a number, or null when it is a map, list or bare flag. */
function scalarOf(setting: Setting): string | number | boolean | null {
  const v = setting.value;
  if (v.kind === 'text') return v.text;
  if (v.kind === 'flag') return null;
  return v.node.kind === 'scalar' ? v.node.value : null;
}

export function readString(setting: Setting): string {
  const value = scalarOf(setting);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw illTyped(setting, show(setting), 'a text value');
}

export function readNumber(setting: Setting, options: { min?: number; max?: number } = {}): number {
  const value = scalarOf(setting);
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  const range =
    options.min !== undefined && options.max !== undefined
      ? `a number from ${options.min} to ${options.max}`
      : options.min !== undefined
        ? `a number of at least ${options.min}`
        : 'a number';
  if (typeof value === 'string' && value.trim() === '')
    throw illTyped(setting, show(setting), range);
  if (!Number.isFinite(n)) throw illTyped(setting, show(setting), range);
  if (options.min !== undefined && n < options.min) throw illTyped(setting, show(setting), range);
  if (options.max !== undefined && n > options.max) throw illTyped(setting, show(setting), range);
  return n;
}

export function readInteger(setting: Setting, options: { min?: number } = {}): number {
  const expected = `a whole number${options.min === undefined ? '' : ` of at least ${options.min}`}`;
  const value = scalarOf(setting);
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  const blank = typeof value === 'string' && value.trim() === '';
  if (blank || !Number.isInteger(n) || (options.min !== undefined && n < options.min)) {
    throw illTyped(setting, show(setting), expected);
  }
  return n;
}

/**
 * A token count as vLLM reads one: `131072`, or with a suffix, `128k` (×1000) and `128K`
 * (×1024), `1m`/`1M` likewise. Returns null for `auto` and `-1`, vLLM's "fit what
 * memory allows".
 */
export function readTokenCount(setting: Setting): number | null {
  const value = scalarOf(setting);
  if (value === 'auto' || value === -1 || value === '-1') return null;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)([kKmMgG]?)\s*$/.exec(value);
    if (m) {
      const unit = m[2] ?? '';
      const power = { '': 0, k: 1, m: 2, g: 3 }[unit.toLowerCase()] ?? 0;
      const base = unit !== '' && unit === unit.toUpperCase() ? 1024 : 1000;
      const n = Number(m[1]) * base ** power;
      if (Number.isInteger(n) && n > 0) return n;
    }
  }
  throw illTyped(setting, show(setting), 'a token count such as 32768, 32k or 32K');
}

export function readBoolean(setting: Setting): boolean {
  const v = setting.value;
  if (v.kind === 'flag') return v.on;
  const value = scalarOf(setting);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw illTyped(setting, show(setting), 'true or false');
}

export function readStringList(setting: Setting): string[] {
  const v = setting.value;
  if (v.kind === 'node' && v.node.kind === 'seq') {
    return v.node.items.map((item) => {
      if (
        item.kind === 'scalar' &&
        (typeof item.value === 'string' || typeof item.value === 'number')
      ) {
        return String(item.value);
      }
      throw illTyped(setting, 'a list holding a non-text item', 'a text value or a list of them');
    });
  }
  return [readString(setting)];
}

/**
 * A JSON object given as a YAML map or as a JSON string (`hf-overrides: '{"rope_scaling":
 * ...}'`), the two ways vLLM accepts one.
 */
export function readJsonObject(setting: Setting): Record<string, unknown> {
  const v = setting.value;
  if (v.kind === 'node' && v.node.kind === 'map') return plain(v.node) as Record<string, unknown>;
  const value = scalarOf(setting);
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GateError(
        'config',
        `${at(setting)} is not valid JSON: ${reason}`,
        `give ${setting.key} a JSON object in single quotes, or a YAML map`,
      );
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  }
  throw illTyped(setting, show(setting), 'a JSON object or a YAML map');
}

/** A located YAML node as plain data (for JSON-valued settings). */
export function plain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

/**
 * Sets a dotted flag's value inside an object: `--hf-overrides.rope_scaling.factor 4`.
 * The value is read as JSON when it parses (`4` is a number), else kept as text.
 */
export function setPath(target: Record<string, unknown>, path: string[], text: string): void {
  let node = target;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      node[part] = parseLoose(text);
      return;
    }
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Settings read from command-line words, with the words that are not flags or their values. */
export interface ParsedArgs {
  settings: Setting[];
  positionals: Word[];
}

/**
 * Reads `--flag value`, `--flag=value` and bare `--flag` words. A flag takes the next word
 * as its value unless that word is itself a flag or the flag is known to take none.
 */
export function parseArgs(
  words: readonly Word[],
  file: string,
  options: { isBoolean: (name: string) => boolean; aliases?: Record<string, string> },
): ParsedArgs {
  const settings: Setting[] = [];
  const positionals: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!isFlag(word.text)) {
      positionals.push(word);
      continue;
    }
    const eq = word.text.indexOf('=');
    const rawKey = eq > 0 ? word.text.slice(0, eq) : word.text;
    const alias = options.aliases?.[rawKey];
    // Only the option's own name is normalised: sub-keys are JSON keys (`rope_scaling`).
    const [base, ...path] = (alias ?? rawKey).split('.');
    let name = alias ? (base ?? '') : normaliseName(base ?? '');
    let value: SettingValue;
    if (eq > 0) {
      value = { kind: 'text', text: word.text.slice(eq + 1) };
    } else if (
      options.isBoolean(name) ||
      (name.startsWith('no-') && options.isBoolean(name.slice(3)))
    ) {
      const negated = !options.isBoolean(name);
      if (negated) name = name.slice(3);
      value = { kind: 'flag', on: !negated };
    } else {
      const next = words[i + 1];
      if (next && !isFlag(next.text) && !next.operator) {
        value = { kind: 'text', text: next.text };
        i += 1;
      } else {
        value = { kind: 'flag', on: true };
      }
    }
    settings.push({ key: rawKey, name, path, file, line: word.line, value });
  }
  return { settings, positionals };
}

function isFlag(text: string): boolean {
  return text.startsWith('-') && text.length > 1 && !/^-\d/.test(text);
}
