import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModelfile } from '../../src/preflight/read-modelfile.js';
import { fixture } from './paths.js';

describe('readModelfile', () => {
  it('reads the model from FROM and the context from num_ctx, with lines', () => {
    const config = readModelfile(readFileSync(fixture('configs/Modelfile'), 'utf8'), 'Modelfile');
    expect(config).toMatchObject({ form: 'ollama-modelfile', engine: 'ollama' });
    expect(config.model).toEqual({
      value: 'qwen3:30b-a3b',
      file: 'Modelfile',
      line: 2,
      key: 'FROM',
    });
    expect(config.maxContextTokens).toEqual({
      value: 32768,
      file: 'Modelfile',
      line: 4,
      key: 'num_ctx',
    });
  });

  it('refuses a num_ctx that is not a whole number, and a file without FROM', () => {
    expect(() => readModelfile('FROM m\nPARAMETER num_ctx 32k\n', 'Modelfile')).toThrow(
      'Modelfile:2: num_ctx is "32k", not a whole number of tokens',
    );
    expect(() => readModelfile('PARAMETER num_ctx 4096\n', 'Modelfile')).toThrow(
      'needs a FROM line',
    );
  });
});
