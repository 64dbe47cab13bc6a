import { GateError } from '../errors.js';
import type { Located, ServingConfig } from './types.js';

/**
 * Reads an Ollama Modelfile: `FROM` names the model, `PARAMETER num_ctx N` the context.
 * Ollama's KV cache type and parallelism are server settings (environment), not Modelfile
 * ones, so a Modelfile alone leaves them unknown.
 */
export function readModelfile(text: string, file: string): ServingConfig {
  let model: Located<string> | null = null;
  let maxContextTokens: Located<number> | null = null;

  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [instruction = '', ...rest] = trimmed.split(/\s+/);
    const verb = instruction.toUpperCase();
    if (verb === 'FROM' && rest[0]) {
      model = { value: rest[0], file, line, key: 'FROM' };
    } else if (verb === 'PARAMETER' && rest[0] === 'num_ctx') {
      const n = Number(rest[1]);
      if (!Number.isInteger(n) || n <= 0) {
        throw new GateError(
          'config',
          `${file}:${line}: num_ctx is ${JSON.stringify(rest[1] ?? '')}, not a whole number of tokens`,
          'write PARAMETER num_ctx 32768',
        );
      }
      maxContextTokens = { value: n, file, line, key: 'num_ctx' };
    }
  }

  if (!model) {
    throw new GateError(
      'config',
      `${file}: a Modelfile needs a FROM line naming the model`,
      'add FROM <model>',
    );
  }
  return {
    file,
    form: 'ollama-modelfile',
    engine: 'ollama',
    model,
    maxContextTokens,
    ropeScaling: null,
    kvCacheDtype: null,
    tensorParallelSize: null,
    gpuMemoryUtilization: null,
    maxNumSeqs: null,
    notes: [],
  };
}
