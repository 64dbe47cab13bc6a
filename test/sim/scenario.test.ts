import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { loadScenarioFile, parseScenarioText } from '../../src/sim/scenario/load.js';
import { defaultScenario } from '../../src/sim/scenario/schema.js';
import { REPO } from './helpers.js';

const example = (name: string) => join(REPO, 'examples/sim', name);

function errorOf(action: () => unknown): GateError {
  try {
    action();
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
  throw new Error('expected a GateError');
}

describe('scenario files', () => {
  it('an empty scenario is a healthy vLLM server on one H100-like GPU', () => {
    const scenario = parseScenarioText('', 'empty.yaml');
    expect(scenario.engine).toBe('vllm');
    expect(scenario.gpus.count).toBe(1);
    expect(scenario.gpus.fbTotal).toBe(81559);
    expect(scenario.memory.leak.bar1).toEqual([0, 0]);
    expect(scenario.faults).toEqual({});
    expect(scenario.smi.fault).toBe('none');
  });

  it('examples/sim/healthy.yaml spells out exactly the built-in defaults', () => {
    expect(loadScenarioFile(example('healthy.yaml'))).toEqual(defaultScenario());
  });

  it('reads sizes and durations with units', () => {
    const scenario = parseScenarioText(
      'gpus: { bar1Total: 8GiB }\nmemory: { model: { bar1: 2.5GiB }, settle: 500ms }\nstartupDelay: 2',
      'units.yaml',
    );
    expect(scenario.gpus.bar1Total).toBe(8192);
    expect(scenario.memory.model.bar1).toBe(2560);
    expect(scenario.memory.settle).toBe(500);
    expect(scenario.startupDelay).toBe(2000);
  });

  it('lets the command line override max_model_len', () => {
    const scenario = loadScenarioFile(example('qwen3-30b-a3b-fp8-131k.yaml'), {
      maxModelLen: 32768,
    });
    expect(scenario.maxModelLen).toBe(32768);
  });

  it('names the file, the key path and the line of a bad value', () => {
    const error = errorOf(() =>
      parseScenarioText('model: m\ngpus:\n  count: 1\n  fbTotal: lots\n', 'bad.yaml'),
    );
    expect(error.code).toBe('usage');
    expect(error.message).toContain('bad.yaml:4:12: gpus.fbTotal:');
    expect(error.message).toContain('"lots" is not a size');
  });

  it('names the line of an unknown key', () => {
    const error = errorOf(() =>
      parseScenarioText('memory:\n  leak:\n    bar2: [1, 2]\n', 'k.yaml'),
    );
    expect(error.message).toContain('k.yaml:3:5: memory.leak.bar2: Unrecognized key');
  });

  it('refuses a leak range whose minimum is above its maximum', () => {
    const error = errorOf(() =>
      parseScenarioText('memory:\n  leak:\n    bar1: [500MiB, 200MiB]\n', 'r.yaml'),
    );
    expect(error.message).toMatch(/r\.yaml:3:\d+: memory\.leak\.bar1: a range is \[min, max\]/);
  });

  it('refuses a model larger than the GPU', () => {
    const error = errorOf(() =>
      parseScenarioText('gpus: { fbTotal: 1GiB, fbReserved: 0 }\n', 'big.yaml'),
    );
    expect(error.message).toContain('memory.model.fb: the model takes 19818 MiB');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = errorOf(() => parseScenarioText('a: [1, 2\nb: c: d\n', 'syntax.yaml'));
    expect(error.message).toContain('not valid YAML');
    expect(error.message).toMatch(/syntax\.yaml:2:\d+:/);
  });

  it('says when the file cannot be read', () => {
    const error = errorOf(() => loadScenarioFile('/nonexistent/scenario.yaml'));
    expect(error.message).toContain('scenario /nonexistent/scenario.yaml: cannot be read');
  });

  it('calibrates the 131072 example to the story', () => {
    const s = loadScenarioFile(example('qwen3-30b-a3b-fp8-131k.yaml'));
    expect(s.model).toBe('Qwen/Qwen3-30B-A3B-FP8');
    expect(s.maxModelLen).toBe(131072);
    expect(s.gpus.bar1Total).toBe(8192);
    expect(s.memory.model.bar1).toBe(2560);
    expect(s.memory.leak).toMatchObject({ aboveTokens: 32768, bar1: [200, 500] });
    expect(s.faults.generateFails?.abovePromptTokens).toBeDefined();
  });

  it('keeps the 32768 example stable: no leak and no fault', () => {
    const s = loadScenarioFile(example('qwen3-30b-a3b-fp8-32k.yaml'));
    expect(s.maxModelLen).toBe(32768);
    expect(s.memory.leak.bar1).toEqual([0, 0]);
    expect(s.memory.leak.fb).toEqual([0, 0]);
    expect(s.faults).toEqual({});
    expect(s.memory.noise).toBeGreaterThan(0);
    expect(s.memory.ramp.bar1).toBeGreaterThan(0);
  });
});
