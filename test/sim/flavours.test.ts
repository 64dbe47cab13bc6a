/**
 * Each engine flavour of the simulator speaks its engine's routes, status codes, error
 * bodies and stream formats (shared/reference/engines.md), so the profiles are tested
 * against the shapes they will meet.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { get, jsonOf, post, scenario, startIn, tempDir, words } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
let sim: RunningSimulator | undefined;

beforeEach(() => {
  dir = tempDir();
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dir.remove();
});

async function start(yaml: string): Promise<RunningSimulator> {
  sim = await startIn(dir.path, yaml);
  return sim;
}

describe('SGLang flavour', () => {
  it('refuses a long prompt with its flat error body and lists max_model_len', async () => {
    const s = await start('engine: sglang\nmodel: qwen\nmaxModelLen: 64\n');
    const refused = await post(`${s.url}/v1/completions`, { prompt: words(80), max_tokens: 4 });
    expect(refused.status).toBe(400);
    expect(await jsonOf(refused)).toEqual({
      object: 'error',
      message: "The input (80 tokens) is longer than the model's context length (64 tokens).",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    const models = await jsonOf(await get(`${s.url}/v1/models`));
    expect(models.data[0]).toMatchObject({ id: 'qwen', owned_by: 'sglang', max_model_len: 64 });
    expect(await jsonOf(await get(`${s.url}/get_server_args`))).toMatchObject({
      context_length: 64,
    });
  });

  it('answers /health 503 while a long prefill holds the scheduler', async () => {
    const s = await start(
      'engine: sglang\nmaxModelLen: 4096\ntiming: { prefillMsPer1kTokens: 2000 }\n' +
        'faults: { healthWaitsForPrefill: { abovePromptTokens: 1000 } }\n',
    );
    const long = post(`${s.url}/v1/completions`, { prompt: words(2000), max_tokens: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(`${s.url}/health`)).status).toBe(503);
    expect((await long).status).toBe(200);
    expect((await get(`${s.url}/health`)).status).toBe(200);
  });

  it('exports its KV pool usage under its own metric names', async () => {
    const s = await start('engine: sglang\n');
    const text = await (await get(`${s.url}/metrics`)).text();
    expect(text).toContain('sglang:token_usage{model_name="Qwen/Qwen3-0.6B"} 0');
    expect(text).toContain('sglang:num_running_reqs{model_name="Qwen/Qwen3-0.6B"} 0');
  });
});

describe('TGI flavour', () => {
  it('shows its token budget in /info and refuses a long prompt with 422', async () => {
    const s = await start('engine: tgi\nmodel: mistral\nmaxModelLen: 64\n');
    expect(await jsonOf(await get(`${s.url}/info`))).toMatchObject({
      model_id: 'mistral',
      max_input_tokens: 63,
      max_total_tokens: 64,
    });
    const refused = await post(`${s.url}/generate`, {
      inputs: words(30),
      parameters: { max_new_tokens: 40 },
    });
    expect(refused.status).toBe(422);
    expect(await jsonOf(refused)).toEqual({
      error:
        'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 64. Given: 30 `inputs` tokens and 40 `max_new_tokens`',
      error_type: 'validation',
    });
  });

  it('streams /generate_stream as data: events, the last with generated_text, no [DONE]', async () => {
    const s = await start('engine: tgi\n');
    const res = await post(`${s.url}/generate_stream`, {
      inputs: 'hi',
      parameters: { max_new_tokens: 2 },
    });
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.startsWith('data:{'))).toBe(true);
    expect(JSON.parse(events[2]!.slice(5))).toMatchObject({
      generated_text: 'server answers',
      details: { finish_reason: 'length', generated_tokens: 2 },
    });
    expect(text).not.toContain('[DONE]');
  });

  it('answers a failed generation with 424 and error_type generation', async () => {
    const s = await start('engine: tgi\nfaults: { generateFails: { afterRequests: 0 } }\n');
    const failed = await post(`${s.url}/v1/completions`, { prompt: 'hi', max_tokens: 2 });
    expect(failed.status).toBe(424);
    expect(await jsonOf(failed)).toMatchObject({
      error: expect.stringMatching(/^Request failed during generation: Server error: CUDA error/),
      error_type: 'generation',
    });
  });
});

describe('llama.cpp flavour', () => {
  it('answers 503 "Loading model" on every route until the model is in', async () => {
    sim = await startSimulator({
      scenario: scenario('engine: llamacpp\nstartupDelay: 60s\n'),
      port: 0,
      statePath: `${dir.path}/state.json`,
    });
    await sim.ready;
    const health = await get(`${sim.url}/health`);
    expect(health.status).toBe(503);
    expect(await jsonOf(health)).toEqual({
      error: { code: 503, message: 'Loading model', type: 'unavailable_error' },
    });
  });

  it('shares the context among its slots in /props and refuses beyond one slot', async () => {
    const s = await start('engine: llamacpp\nmaxModelLen: 128\nslots: 2\n');
    expect(await jsonOf(await get(`${s.url}/props`))).toMatchObject({
      default_generation_settings: { n_ctx: 64 },
      total_slots: 2,
    });
    const refused = await post(`${s.url}/completion`, { prompt: words(100), n_predict: 4 });
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).error).toEqual({
      code: 400,
      message:
        'request (100 tokens) exceeds the available context size (64 tokens), try increasing it',
      type: 'exceed_context_size_error',
      n_prompt_tokens: 100,
      n_ctx: 64,
    });
  });

  it('says truncated: true when a build cuts the prompt instead', async () => {
    const s = await start(
      'engine: llamacpp\nmaxModelLen: 64\nfaults: { contextLimit: { tokens: 64, overflow: truncate } }\n',
    );
    const body = await jsonOf(
      await post(`${s.url}/completion`, { prompt: words(100), n_predict: 2 }),
    );
    expect(body).toMatchObject({ stop: true, tokens_evaluated: 64, truncated: true });
  });

  it('writes an error inside a stream as an `error:` line', async () => {
    const s = await start('engine: llamacpp\nfaults: { streamError: { afterTokens: 1 } }\n');
    const text = await (
      await post(`${s.url}/completion`, { prompt: 'hi', n_predict: 4, stream: true })
    ).text();
    expect(text).toMatch(/^data: \{"index":0,"content":"server"/);
    expect(text).toMatch(/\n\nerror: \{"code":500,"message":"CUDA error: an illegal memory access/);
  });
});

describe('Ollama flavour', () => {
  it('says it is running at / and shows a model in /api/ps only once it is loaded', async () => {
    const s = await start('engine: ollama\nmodel: qwen3:8b\nmaxModelLen: 2048\n');
    expect(await (await get(`${s.url}/`)).text()).toBe('Ollama is running');
    expect(await jsonOf(await get(`${s.url}/api/ps`))).toEqual({ models: [] });
    await post(`${s.url}/api/generate`, { model: 'qwen3:8b', prompt: 'hi', stream: false });
    const ps = await jsonOf(await get(`${s.url}/api/ps`));
    expect(ps.models[0]).toMatchObject({ name: 'qwen3:8b', context_length: 2048 });
  });

  it('answers a prompt beyond num_ctx with 200 after dropping its start (ollama#3839)', async () => {
    const logs: string[] = [];
    sim = await startSimulator({
      scenario: scenario('engine: ollama\nmodel: llama3\nmaxModelLen: 2048\n'),
      port: 0,
      statePath: `${dir.path}/state.json`,
      log: (line) => logs.push(line),
    });
    await sim.ready;
    const res = await post(`${sim.url}/api/generate`, {
      model: 'llama3',
      prompt: words(3940),
      stream: false,
      options: { num_predict: 2 },
    });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({ done: true, prompt_eval_count: 2048, eval_count: 2 });
    expect(logs).toContain(
      'level=WARN source=runner.go msg="truncating input prompt" limit=2048 prompt=3940 keep=5 new=2048',
    );
  });

  it('streams NDJSON by default, ending with done true', async () => {
    const s = await start('engine: ollama\nmodel: llama3\n');
    const res = await post(`${s.url}/api/generate`, {
      model: 'llama3',
      prompt: 'hi',
      options: { num_predict: 2 },
    });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.done)).toEqual([false, false, true]);
    expect(lines[2]).toMatchObject({ done_reason: 'length', prompt_eval_count: 1, eval_count: 2 });
  });

  it('refuses an unknown model with 404 and its own words', async () => {
    const s = await start('engine: ollama\nmodel: llama3\n');
    const res = await post(`${s.url}/api/generate`, {
      model: 'mistral',
      prompt: 'hi',
      stream: false,
    });
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({ error: 'model "mistral" not found, try pulling it first' });
  });
});

describe('generic OpenAI-compatible flavour', () => {
  it('names no engine: no /version, no /metrics, no max_model_len', async () => {
    const s = await start('engine: openai\n');
    expect((await get(`${s.url}/version`)).status).toBe(404);
    expect((await get(`${s.url}/metrics`)).status).toBe(404);
    const models = await jsonOf(await get(`${s.url}/v1/models`));
    expect(models.data[0]).not.toHaveProperty('max_model_len');
  });
});

describe('start-up failures', () => {
  it('prints vLLM\'s "KV cache too small" with the scenario\'s figures and exits', async () => {
    const logs: string[] = [];
    sim = await startSimulator({
      scenario: scenario(
        'engine: vllm\nmaxModelLen: 29000\nmemory: { kvCacheTokens: 23648 }\nfaults: { startupError: kv-cache-too-small }\n',
      ),
      port: 0,
      statePath: `${dir.path}/state.json`,
      log: (line) => logs.push(line),
    });
    await expect(sim.ready).rejects.toThrow(/the engine failed to start/);
    const exit = await sim.exited;
    expect(exit.reason).toBe('exited');
    expect(logs.at(-1)).toMatch(
      /^ValueError: The model's max seq len \(29000\) is larger than the maximum number of tokens that can be stored in KV cache \(23648\)\./,
    );
  });
});
