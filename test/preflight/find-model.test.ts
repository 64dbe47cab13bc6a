import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModel } from '../../src/preflight/find-model.js';
import { fixture, hfConfig } from './paths.js';

/** A Hugging Face hub cache with one model and the given snapshots. */
function hubCache(model: string, snapshots: Record<string, Record<string, unknown>>): string {
  const home = mkdtempSync(join(tmpdir(), 'preflight-hf-'));
  const [org, name] = model.split('/');
  let age = 0;
  for (const [revision, config] of Object.entries(snapshots)) {
    const dir = join(home, 'hub', `models--${org}--${name}`, 'snapshots', revision);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const when = new Date(Date.UTC(2026, 0, 1 + age++));
    utimesSync(dir, when, when);
  }
  return home;
}

describe('findModel', () => {
  it('reads the config.json given, and the safetensors index beside it', () => {
    const found = findModel('anything', {
      modelConfigPath: fixture('hf/llama-3.1-8b-instruct/config.json'),
    });
    expect(found.architecture?.numLayers).toBe(32);
    expect(found.architecture?.source).toContain('config.json at');
    expect(found.index?.bytes).toBe(16_060_522_496);
  });

  it("finds the model in the runner's HF cache, newest snapshot first", () => {
    const old = { ...hfConfig('qwen3-30b-a3b'), max_position_embeddings: 32768 };
    const home = hubCache('Qwen/Qwen3-30B-A3B', { aaa: old, bbb: hfConfig('qwen3-30b-a3b') });
    const found = findModel('Qwen/Qwen3-30B-A3B', { env: { HF_HOME: home } });
    expect(found.architecture?.maxPositionEmbeddings).toBe(40960);
    expect(found.architecture?.source).toContain(join('snapshots', 'bbb', 'config.json'));
    expect(found.index).toBeNull();
  });

  it('honours HF_HUB_CACHE over HF_HOME', () => {
    const home = hubCache('mistralai/Mistral-7B-v0.1', { r1: hfConfig('mistral-7b-v0.1') });
    const found = findModel('mistralai/Mistral-7B-v0.1', {
      env: { HF_HOME: '/nonexistent', HF_HUB_CACHE: join(home, 'hub') },
    });
    expect(found.architecture?.slidingLayers).toBe(32);
  });

  it('falls back to the built-in table, and says where it looked', () => {
    const found = findModel('Qwen/Qwen3-30B-A3B-FP8', { env: { HF_HOME: '/nonexistent' } });
    expect(found.architecture?.source).toMatch(/^built-in table/);
    expect(found.searched).toEqual(['the built-in model table']);
  });

  it('marks a GGUF reference as of unknown quantisation', () => {
    const found = findModel('Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M', { env: { HF_HOME: '/nonexistent' } });
    expect(found.architecture?.quantization).toEqual({ method: 'gguf', bitsPerWeight: null });
  });

  it('finds nothing for a model no source knows, and lists where it looked', () => {
    const home = hubCache('other/model', { r: hfConfig('mistral-7b-v0.1') });
    const found = findModel('example-org/in-house-13b', { env: { HF_HOME: home } });
    expect(found.architecture).toBeNull();
    expect(found.searched).toEqual(['the built-in model table']);
  });

  it('refuses a --model-config that is not a model config', () => {
    expect(() => findModel('m', { modelConfigPath: fixture('configs/vllm-plain.json') })).toThrow(
      'not a model config',
    );
    expect(() => findModel('m', { modelConfigPath: fixture('configs/not-yaml.yaml') })).toThrow(
      'not a readable config.json',
    );
  });
});

describe('findModel with a broken file in the cache', () => {
  it('passes over it to the built-in table, saying so', () => {
    const home = hubCache('Qwen/Qwen3-30B-A3B', { r1: {} });
    writeFileSync(
      join(home, 'hub', 'models--Qwen--Qwen3-30B-A3B', 'snapshots', 'r1', 'config.json'),
      '{ not json',
    );
    const found = findModel('Qwen/Qwen3-30B-A3B', { env: { HF_HOME: home } });
    expect(found.architecture?.source).toMatch(/^built-in table/);
    expect(found.searched[0]).toMatch(/config\.json \(not a readable model config\)$/);
  });
});
