import { describe, expect, it } from 'vitest';
import { SimEngine } from '../../src/sim/engine.js';
import { MemoryModel } from '../../src/sim/memory-model.js';
import { between, createRng, STREAM } from '../../src/sim/rng.js';
import { scenario } from './helpers.js';

const leaky = (seed = 42, modelBar1 = '2.5GiB', leakBar1 = '[200MiB, 500MiB]') => `
seed: ${seed}
gpus: { bar1Total: 8GiB }
memory:
  model: { fb: 70000MiB, bar1: ${modelBar1} }
  leak: { aboveTokens: 32768, bar1: ${leakBar1} }
`;
const LEAKY = leaky();

describe('memory model', () => {
  it('shows the model loaded, plus the idle figures, once start-up is over', () => {
    const model = new MemoryModel(scenario(LEAKY), 0);
    const [gpu] = model.read(0, 1);
    expect(gpu).toEqual({ fbUsedMiB: 70000, bar1UsedMiB: 2561, engineFbMiB: 70000 });
  });

  it('ramps the model in during the start-up delay', () => {
    const model = new MemoryModel(scenario(`${LEAKY}\nstartupDelay: 10s`), 0);
    expect(model.read(0, 1)[0]!.engineFbMiB).toBe(0);
    expect(model.read(5000, 2)[0]!.engineFbMiB).toBe(35000);
    expect(model.read(10_000, 3)[0]!.engineFbMiB).toBe(70000);
  });

  it('leaks a seeded, replayable amount of BAR1 for every long request', () => {
    const model = new MemoryModel(scenario(LEAKY), 0);
    for (let i = 0; i < 5; i++) model.end(model.begin(40_000), 40_000, 0);

    const rng = createRng(42 ^ STREAM.leak);
    let expected = 2561;
    for (let i = 0; i < 5; i++) {
      between(rng(), 0, 0); // FB draw
      expected += between(rng(), 200, 500);
      between(rng(), 0, 0); // KV cache draw
    }
    const bar1 = model.read(10_000, 1)[0]!.bar1UsedMiB;
    expect(bar1).toBeCloseTo(expected, 6);
    expect(bar1 - 2561).toBeGreaterThanOrEqual(5 * 200);
    expect(bar1 - 2561).toBeLessThanOrEqual(5 * 500);
  });

  it('gives the same leak for the same seed and a different one for another seed', () => {
    const leakAfter = (seed: number) => {
      const model = new MemoryModel(scenario(leaky(seed)), 0);
      for (let i = 0; i < 3; i++) model.end(model.begin(50_000), 50_000, 0);
      return model.read(0, 1)[0]!.bar1UsedMiB;
    };
    expect(leakAfter(7)).toBe(leakAfter(7));
    expect(leakAfter(7)).not.toBe(leakAfter(8));
  });

  it('leaves nothing behind for requests at or below the threshold', () => {
    const model = new MemoryModel(scenario(LEAKY), 0);
    for (let i = 0; i < 5; i++) model.end(model.begin(32768), 32768, 0);
    expect(model.read(60_000, 1)[0]!.bar1UsedMiB).toBe(2561);
  });

  it('holds transient use while a request runs and releases it after settle', () => {
    const s = scenario('memory: { perRequest: { bar1Per1kTokens: 2MiB }, settle: 2s }');
    const model = new MemoryModel(s, 0);
    const base = model.read(0, 1)[0]!.bar1UsedMiB;
    const id = model.begin(10_000);
    expect(model.read(100, 2)[0]!.bar1UsedMiB).toBe(base + 20);
    model.end(id, 9000, 1000);
    expect(model.read(2999, 3)[0]!.bar1UsedMiB).toBe(base + 20);
    expect(model.read(3000, 4)[0]!.bar1UsedMiB).toBe(base);
  });

  it('keeps noise within its amplitude and replays it for the same sample number', () => {
    const model = new MemoryModel(scenario('memory: { noise: 4MiB }'), 0);
    const readings = Array.from({ length: 50 }, (_, i) => model.read(0, i)[0]!.fbUsedMiB);
    for (const fb of readings) expect(Math.abs(fb - 19818)).toBeLessThanOrEqual(4);
    expect(new Set(readings).size).toBeGreaterThan(1);
    expect(model.read(0, 17)[0]!.fbUsedMiB).toBe(readings[17]);
  });

  it('grows with the allocator ramp and then stays flat', () => {
    const model = new MemoryModel(scenario('memory: { ramp: { bar1: 100MiB, requests: 4 } }'), 0);
    const bar1After = (n: number) => {
      for (let i = 0; i < n; i++) model.end(model.begin(10), 10, 0);
      return model.read(10_000, 1)[0]!.bar1UsedMiB;
    };
    expect(bar1After(2)).toBe(19819 + 50);
    expect(bar1After(2)).toBe(19819 + 100);
    expect(bar1After(10)).toBe(19819 + 100);
  });

  it('never reads more BAR1 than the GPU has', () => {
    const model = new MemoryModel(scenario(leaky(1, '8000MiB', '[500MiB, 500MiB]')), 0);
    for (let i = 0; i < 3; i++) model.end(model.begin(40_000), 40_000, 0);
    expect(model.read(0, 1)[0]!.bar1UsedMiB).toBe(8192);
  });
});

describe('engine health and prefill', () => {
  it('makes /health wait while a long prompt is in prefill, then answers ok', () => {
    let now = 0;
    const engine = new SimEngine(
      scenario(
        'timing: { prefillMsPer1kTokens: 25 }\nfaults: { healthWaitsForPrefill: { abovePromptTokens: 32768 } }',
      ),
      () => now,
      { onChange: () => {}, onExit: () => {} },
    );
    const request = engine.start({
      promptTokens: 40_000,
      maxTokens: 16,
      ignoreEos: false,
      stream: false,
    });
    expect(engine.health()).toEqual({ status: 'busy', waitMs: 1000 });
    now = 1000;
    expect(engine.health()).toEqual({ status: 'ok' });
    engine.finish(request, 16, false);
  });

  it('does not hold /health for a short prompt', () => {
    const engine = new SimEngine(
      scenario('faults: { healthWaitsForPrefill: { abovePromptTokens: 32768 } }'),
      () => 0,
      { onChange: () => {}, onExit: () => {} },
    );
    engine.start({ promptTokens: 100, maxTokens: 16, ignoreEos: false, stream: false });
    expect(engine.health()).toEqual({ status: 'ok' });
  });

  it('stops at its natural answer length unless max_tokens stops it first', () => {
    const engine = new SimEngine(scenario('generation: { answerTokens: 5 }'), () => 0, {
      onChange: () => {},
      onExit: () => {},
    });
    const natural = engine.start({
      promptTokens: 3,
      maxTokens: 100,
      ignoreEos: false,
      stream: false,
    });
    expect(natural.plan).toMatchObject({ finishReason: 'stop' });
    expect(natural.plan.tokens).toHaveLength(5);
    const capped = engine.start({ promptTokens: 3, maxTokens: 2, ignoreEos: false, stream: false });
    expect(capped.plan).toMatchObject({ finishReason: 'length' });
    expect(capped.plan.tokens).toHaveLength(2);
    const forced = engine.start({ promptTokens: 3, maxTokens: 9, ignoreEos: true, stream: false });
    expect(forced.plan.tokens).toHaveLength(9);
  });
});
