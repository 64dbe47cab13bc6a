import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUDA_ERROR_MESSAGE } from '../../src/sim/engine.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { readLiveState } from '../../src/sim/state-file.js';
import { get, jsonOf, post, scenario, sseData, startIn, tempDir, words } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
const running: RunningSimulator[] = [];

beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
  dir.remove();
});

async function start(yaml: string): Promise<RunningSimulator> {
  const sim = await startIn(dir.path, yaml);
  running.push(sim);
  return sim;
}

const chat = (sim: RunningSimulator, content: string, extra: object = {}) =>
  post(`${sim.url}/v1/chat/completions`, { messages: [{ role: 'user', content }], ...extra });

describe('vLLM flavour: faults', () => {
  it('fails generate above the token threshold with a CUDA error while /health says 200', async () => {
    const sim = await start(
      'maxModelLen: 8192\nfaults: { generateFails: { abovePromptTokens: 1000 } }',
    );
    const long = await chat(sim, words(2000));
    expect(long.status).toBe(500);
    expect(await jsonOf(long)).toEqual({
      error: { message: CUDA_ERROR_MESSAGE, type: 'InternalServerError', param: null, code: 500 },
    });
    expect((await get(`${sim.url}/health`)).status).toBe(200);
    expect((await chat(sim, 'short')).status).toBe(200);
  });

  it('fails every generate once enough requests have run, /health still 200', async () => {
    const sim = await start('faults: { generateFails: { afterRequests: 2 } }');
    expect((await chat(sim, 'one')).status).toBe(200);
    expect((await chat(sim, 'two')).status).toBe(200);
    expect((await chat(sim, 'three')).status).toBe(500);
    expect((await get(`${sim.url}/health`)).status).toBe(200);
  });

  it('sends an error event inside a 200 stream after N tokens, then [DONE]', async () => {
    const sim = await start('faults: { streamError: { afterTokens: 2 } }');
    const res = await chat(sim, 'stream please', { stream: true, max_tokens: 10 });
    expect(res.status).toBe(200);
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const error = JSON.parse(events.at(-2)!);
    expect(error).toEqual({
      error: { message: CUDA_ERROR_MESSAGE, type: 'InternalServerError', param: null, code: 500 },
    });
    const tokens = events
      .slice(0, -2)
      .map((e) => JSON.parse(e).choices[0].delta.content)
      .filter((t: string) => t !== '');
    expect(tokens).toHaveLength(2);
  });

  it('leaves plain (non-stream) requests alone when only streams are set to fail', async () => {
    const sim = await start('faults: { streamError: { afterTokens: 0 } }');
    expect((await chat(sim, 'plain')).status).toBe(200);
  });

  it('flaps /health once leaks push BAR1 past the share', async () => {
    const sim = await start(`
gpus: { bar1Total: 1000MiB }
memory:
  model: { bar1: 700MiB }
  leak: { aboveTokens: 10, bar1: [100MiB, 100MiB] }
faults: { healthFlap: { aboveBar1Share: 0.85 } }`);
    const probes = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`${sim.url}/health`)).status);
      return statuses;
    };
    expect(await probes()).toEqual([200, 200, 200, 200]);
    for (let i = 0; i < 2; i++) await chat(sim, words(20));
    expect((await probes()).sort()).toEqual([200, 200, 503, 503]);
  });

  it('answers /health 503 for good once BAR1 passes the share in down mode', async () => {
    const sim = await start(`
gpus: { bar1Total: 1000MiB }
memory: { model: { bar1: 900MiB } }
faults: { healthFlap: { aboveBar1Share: 0.85, mode: down } }`);
    for (let i = 0; i < 3; i++) expect((await get(`${sim.url}/health`)).status).toBe(503);
  });

  it('accepts and never answers the listed paths, and answers the others', async () => {
    const sim = await start('faults: { neverAnswer: { paths: [/v1/chat/completions] } }');
    const silent = post(`${sim.url}/v1/chat/completions`, { messages: [] });
    const hung = await get(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(300),
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(hung).toBe('TimeoutError');
    expect((await get(`${sim.url}/health`)).status).toBe(200);
    await sim.close();
    await expect(silent).rejects.toThrow();
  });

  it('kills the engine after N requests: /health 503, generate 500', async () => {
    const sim = await start('faults: { engineDeadAfterRequests: 1 }');
    expect((await chat(sim, 'one')).status).toBe(200);
    expect((await get(`${sim.url}/health`)).status).toBe(503);
    const after = await chat(sim, 'two');
    expect(after.status).toBe(500);
    expect((await jsonOf(after)).error.message).toContain('EngineCore encountered an issue');
  });

  it('exits after N requests: port closed, state file gone, exit reported', async () => {
    const sim = await start('faults: { exitAfterRequests: 2 }');
    expect((await chat(sim, 'one')).status).toBe(200);
    expect((await chat(sim, 'two')).status).toBe(200);
    expect(await sim.exited).toMatchObject({ reason: 'exited' });
    expect(existsSync(sim.statePath)).toBe(false);
    await expect(get(`${sim.url}/health`)).rejects.toThrow();
  });

  it('refuses connections until the start-up delay is over', async () => {
    const sim = await startSimulator({
      scenario: scenario('startupDelay: 300ms'),
      port: 0,
      statePath: `${dir.path}/delayed.json`,
    });
    running.push(sim);
    const early = await get(`${sim.url}/health`).then(
      () => 'answered',
      (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code,
    );
    expect(early).toBe('ECONNREFUSED');
    expect(readLiveState(sim.statePath, Date.now())?.pid).toBe(process.pid);
    await sim.ready;
    expect((await get(`${sim.url}/health`)).status).toBe(200);
  });

  it('guards /v1 with the API key but leaves /health open', async () => {
    const sim = await start('apiKey: secret');
    const refused = await get(`${sim.url}/v1/models`);
    expect(refused.status).toBe(401);
    expect(await jsonOf(refused)).toEqual({ error: 'Unauthorized' });
    const allowed = await get(`${sim.url}/v1/models`, {
      headers: { authorization: 'Bearer secret' },
    });
    expect(allowed.status).toBe(200);
    expect((await get(`${sim.url}/health`)).status).toBe(200);
  });
});

describe('simulated GPU memory over HTTP', () => {
  const LEAKY = `
seed: 99
gpus: { bar1Total: 8GiB }
memory:
  model: { fb: 70000MiB, bar1: 2.5GiB }
  leak: { aboveTokens: 1000, bar1: [200MiB, 500MiB] }`;

  it('accumulates the same BAR1 leak for the same seed and requests', async () => {
    const bar1After = async () => {
      const sim = await start(LEAKY);
      for (let i = 0; i < 3; i++) await chat(sim, words(1500));
      await chat(sim, 'short');
      await get(`${sim.url}/health`);
      const state = readLiveState(sim.statePath, Date.now());
      return state!.gpus[0]!.bar1UsedMiB;
    };
    const first = await bar1After();
    const second = await bar1After();
    expect(first).toBe(second);
    expect(first - 2561).toBeGreaterThanOrEqual(600);
    expect(first - 2561).toBeLessThanOrEqual(1500);
  });

  it('does not leak for requests below the threshold', async () => {
    const sim = await start(LEAKY);
    for (let i = 0; i < 3; i++) await chat(sim, words(500));
    expect(readLiveState(sim.statePath, Date.now())!.gpus[0]!.bar1UsedMiB).toBe(2561);
  });
});
