import { describe, expect, it } from 'vitest';
import { locateConfigKey } from '../../src/preflight/locate-key.js';
import { readServingConfig } from '../../src/preflight/read-config.js';
import { example, fixture } from './paths.js';

describe('locateConfigKey', () => {
  it('finds the line of a key as the user or the engine names it', () => {
    const config = readServingConfig(example('qwen3-30b-a3b-fp8-131k.yaml'), {
      displayName: 'x.yaml',
    });
    expect(locateConfigKey(config, 'max-model-len')).toEqual({ file: 'x.yaml', line: 9 });
    expect(locateConfigKey(config, '--max_model_len')).toEqual({ file: 'x.yaml', line: 9 });
    expect(locateConfigKey(config, 'kv-cache-dtype')).toEqual({ file: 'x.yaml', line: 18 });
    expect(locateConfigKey(config, 'nothing-like-it')).toEqual({ file: 'x.yaml' });
    const compose = readServingConfig(fixture('configs/compose-ollama.yml'), {
      displayName: 'c.yml',
    });
    expect(locateConfigKey(compose, 'max-model-len')).toEqual({ file: 'c.yml', line: 5 });
  });
});
