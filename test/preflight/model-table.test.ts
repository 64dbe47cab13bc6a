import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import { lookupModel, MODEL_TABLE, repositoryName } from '../../src/preflight/model-table.js';
import { hfConfig } from './paths.js';

describe('the built-in model table', () => {
  it('answers the Hugging Face id, a local path and a GGUF reference', () => {
    expect(lookupModel('Qwen/Qwen3-30B-A3B-FP8')?.names).toContain('qwen3-30b-a3b-fp8');
    expect(lookupModel('/models/Qwen3-30B-A3B-FP8/')?.names).toContain('qwen3-30b-a3b-fp8');
    expect(lookupModel('Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M')?.names).toContain('qwen3-30b-a3b');
    expect(lookupModel('meta-llama/Meta-Llama-3.1-70B-Instruct')?.config.num_hidden_layers).toBe(
      80,
    );
    expect(lookupModel('example-org/in-house-13b')).toBeNull();
    expect(repositoryName('Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M')).toBe('qwen3-30b-a3b-gguf');
  });

  it('notes a source for every entry and gives no name twice', () => {
    const names = MODEL_TABLE.flatMap((e) => e.names);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of MODEL_TABLE) {
      expect(entry.source).toMatch(/^built-in table: \S+\/\S+ config\.json/);
      expect(() => architectureFromHfConfig(entry.config, entry.source)).not.toThrow();
    }
  });

  it('holds the same figures as the real config.json files in the fixtures', () => {
    const pairs: [string, string][] = [
      ['Qwen/Qwen3-30B-A3B', 'qwen3-30b-a3b'],
      ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1-8b-instruct'],
      ['deepseek-ai/DeepSeek-V3', 'deepseek-v3'],
      ['mistralai/Mistral-7B-v0.1', 'mistral-7b-v0.1'],
      ['google/gemma-2-9b-it', 'gemma-2-9b-it'],
    ];
    for (const [id, dir] of pairs) {
      const fromTable = architectureFromHfConfig(lookupModel(id)!.config, 'table');
      const fromFile = architectureFromHfConfig(hfConfig(dir), 'table');
      expect(fromTable, id).toEqual(fromFile);
    }
  });
});
