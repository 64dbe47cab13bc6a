import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../src/checks/http.js';
import { chooseEngine } from '../../src/gate/engine-choice.js';
import { buildPlan } from '../../src/plan/plan.js';
import { parseScenarioText } from '../../src/sim/scenario/load.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/simulator.js';

let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function simulate(engine: string) {
  sim = await startSimulator({
    scenario: parseScenarioText(`engine: ${engine}\n`, 'test'),
    port: 0,
    statePath: `/tmp/sg-choice-${engine}-${process.pid}.json`,
  });
  await sim.ready;
  return createEngineClient({ baseUrl: sim.url, timeoutMs: 5000 });
}

const base = { timeoutMs: 5000, isDead: () => null };

describe('chooseEngine', () => {
  it('uses the engine the setting names without asking the server', async () => {
    const client = createEngineClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 });
    const choice = await chooseEngine({ ...base, setting: 'tgi', hint: null, client });
    expect(choice.profile.name).toBe('tgi');
    expect(choice.reasons).toEqual([]);
  });

  it('recognises the engine with auto, and warns when the config was written for another', async () => {
    const client = await simulate('sglang');
    const choice = await chooseEngine({ ...base, setting: 'auto', hint: 'vllm', client });
    expect(choice.profile.name).toBe('sglang');
    expect(choice.reasons).toEqual([
      expect.objectContaining({
        rule: 'engine-mismatch',
        severity: 'warn',
        message: expect.stringMatching(
          /^The config is written for vLLM, but the endpoint answers as SGLang/,
        ),
      }),
    ]);
  });

  it("takes a server that names no engine as the config's engine behind a gateway, without a warning", async () => {
    const client = await simulate('openai');
    const choice = await chooseEngine({ ...base, setting: 'auto', hint: 'vllm', client });
    expect(choice.profile.name).toBe('openai');
    expect(choice.reasons).toEqual([]);
  });
});

describe('the engine and logs settings', () => {
  it('default to auto and no logs command', () => {
    const plan = buildPlan({}, process.cwd());
    expect(plan.engine).toBe('auto');
    expect(plan.logsCommand).toBeNull();
  });

  it('refuse an engine the gate does not know, naming the valid ones', () => {
    expect(() => buildPlan({ engine: 'triton' }, process.cwd())).toThrow(
      'engine: expected one of auto, vllm, sglang, tgi, llamacpp, ollama, openai (got "triton")',
    );
  });
});
