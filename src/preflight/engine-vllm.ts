import { GateError } from '../errors.js';
import {
  type EngineFields,
  emptyFields,
  located,
  otherOverrides,
  ropeFromObject,
} from './engine-fields.js';
import {
  at,
  readBoolean,
  readInteger,
  readJsonObject,
  readNumber,
  readString,
  readStringList,
  readTokenCount,
  type Setting,
  setPath,
} from './settings.js';
import { nearestKey, VLLM_DTYPES, VLLM_KEYS } from './vllm-keys.js';

/**
 * Reads vLLM settings, from a `--config` YAML/JSON file or from a command line. Every key
 * is checked against vLLM's options and every value preflight uses against its type.
 * `unknown: 'refuse'` (config files) throws on a key vLLM does not have; `'note'`
 * (compose commands) reports it as a finding, as vLLM itself would refuse to start.
 */
export function readVllmSettings(
  settings: readonly Setting[],
  options: { unknown: 'refuse' | 'note' },
): EngineFields {
  const fields = emptyFields();
  const overrides: Record<string, unknown> = {};
  let overridesSetting: Setting | null = null;
  let ropeLine: number | null = null;

  for (const setting of settings) {
    const type = VLLM_KEYS.get(setting.name);
    if (type === undefined) {
      const near = nearestKey(setting.name);
      const what = `${setting.key} is not a vLLM option${near ? ` (did you mean ${near}?)` : ''}`;
      const help =
        'use the long flag names of `vllm serve --help` (kebab-case or snake_case); ' +
        'if the option is newer than serving-gate knows, it needs adding to src/preflight/vllm-keys.ts';
      if (options.unknown === 'refuse') {
        throw new GateError('config', `${setting.file}:${setting.line}: ${what}`, help);
      }
      fields.notes.push({
        rule: 'unknown-flag',
        severity: 'warning',
        message: `${what}; vLLM refuses to start on a flag it does not know.`,
        file: setting.file,
        line: setting.line,
      });
      continue;
    }
    checkType(setting, type);

    switch (setting.name) {
      case 'model':
        fields.model = located(setting, readString(setting));
        break;
      case 'max-model-len': {
        const tokens = readTokenCount(setting);
        fields.maxContextTokens = tokens === null ? null : located(setting, tokens);
        break;
      }
      case 'tensor-parallel-size':
        fields.tensorParallelSize = located(setting, readInteger(setting, { min: 1 }));
        break;
      case 'gpu-memory-utilization':
        fields.gpuMemoryUtilization = located(setting, readNumber(setting, { min: 0.01, max: 1 }));
        break;
      case 'max-num-seqs':
        fields.maxNumSeqs = located(setting, readInteger(setting, { min: 1 }));
        break;
      case 'kv-cache-dtype':
        fields.kvCacheDtype = located(setting, readString(setting));
        break;
      case 'dtype': {
        const dtype = readString(setting);
        if (!VLLM_DTYPES.includes(dtype)) {
          throw new GateError(
            'config',
            `${at(setting)} is ${JSON.stringify(dtype)}, not one of ${VLLM_DTYPES.join(', ')}`,
            'pick one of the dtypes vLLM accepts',
          );
        }
        fields.dtype = located(setting, dtype);
        break;
      }
      case 'quantization':
        fields.quantization = located(setting, readString(setting));
        break;
      case 'hf-overrides': {
        overridesSetting ??= setting;
        if (setting.path.length > 0) {
          setPath(overrides, setting.path, readString(setting));
          if (setting.path[0] === 'rope_scaling' || setting.path[0] === 'rope_parameters') {
            ropeLine ??= setting.line;
          }
        } else {
          Object.assign(overrides, readJsonObject(setting));
          ropeLine ??= nestedKeyLine(setting, ['rope_scaling', 'rope_parameters']);
        }
        break;
      }
      case 'rope-scaling': {
        const rope = ropeFromObject(readJsonObject(setting), at(setting));
        if (rope) fields.ropeScaling = located(setting, rope);
        break;
      }
    }
  }

  if (overridesSetting) {
    const ropeValue = overrides.rope_scaling ?? overrides.rope_parameters;
    const rope = ropeFromObject(ropeValue, at(overridesSetting));
    // hf-overrides wins over the older --rope-scaling when both are given, as in vLLM,
    // which applies the overrides to the model config last.
    if (rope)
      fields.ropeScaling = located(overridesSetting, rope, ropeLine ?? overridesSetting.line);
    const rest = otherOverrides(overrides);
    if (rest) fields.modelOverrides = located(overridesSetting, rest);
  }
  return fields;
}

function checkType(setting: Setting, type: string): void {
  // A dotted flag's part is typed by what it sets inside the object, not here.
  if (setting.path.length > 0) {
    if (type !== 'json') {
      throw new GateError(
        'config',
        `${at(setting)}: only JSON-valued options take dotted sub-keys`,
      );
    }
    return;
  }
  switch (type) {
    case 'string':
      readString(setting);
      return;
    case 'int':
      readInteger(setting);
      return;
    case 'number':
      readNumber(setting);
      return;
    case 'fraction':
      readNumber(setting, { min: 0.01, max: 1 });
      return;
    case 'bool':
      readBoolean(setting);
      return;
    case 'json':
      readJsonObject(setting);
      return;
    case 'strings':
      readStringList(setting);
      return;
    case 'tokens':
      readTokenCount(setting);
      return;
  }
}

/** The line of the first of `keys` inside a setting written as a YAML map, else null. */
function nestedKeyLine(setting: Setting, keys: string[]): number | null {
  const v = setting.value;
  if (v.kind !== 'node' || v.node.kind !== 'map') return null;
  const entry = v.node.entries.find((e) => keys.includes(e.key));
  return entry ? entry.keyLine : null;
}

/** vLLM flags that take no value on the command line. */
export function isVllmBoolean(name: string): boolean {
  return VLLM_KEYS.get(name) === 'bool';
}
