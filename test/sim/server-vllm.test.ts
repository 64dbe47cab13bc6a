import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { get, jsonOf, post, sseData, startIn, tempDir, words } from './helpers.js';

const MODEL = 'Qwen/Qwen3-30B-A3B-FP8';
let dir: ReturnType<typeof tempDir>;
let sim: RunningSimulator;

beforeAll(async () => {
  dir = tempDir();
  sim = await startIn(
    dir.path,
    `model: ${MODEL}\nmaxModelLen: 4096\ngeneration: { answerTokens: 5 }`,
  );
});
afterAll(async () => {
  await sim.close();
  dir.remove();
});

describe('vLLM flavour: endpoints', () => {
  it('answers /health with an empty 200', async () => {
    const res = await get(`${sim.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it("lists the model with max_model_len in vLLM's ModelCard shape", async () => {
    const body = await jsonOf(await get(`${sim.url}/v1/models`));
    expect(body).toMatchObject({
      object: 'list',
      data: [{ id: MODEL, object: 'model', owned_by: 'vllm', root: MODEL, max_model_len: 4096 }],
    });
    expect(body.data[0].permission[0].object).toBe('model_permission');
  });

  it('answers a completion with filler text and truthful usage', async () => {
    const res = await post(`${sim.url}/v1/completions`, {
      model: MODEL,
      prompt: words(12),
      max_tokens: 3,
    });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({
      object: 'text_completion',
      model: MODEL,
      choices: [{ index: 0, finish_reason: 'length' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    });
    expect(body.id).toMatch(/^cmpl-/);
    expect(body.choices[0].text.trim().split(/\s+/)).toHaveLength(3);
  });

  it('answers a chat completion that stops by itself with finish_reason stop', async () => {
    const res = await post(`${sim.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: 'user', content: 'Say OK' }],
      max_tokens: 50,
    });
    const body = await jsonOf(res);
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2 + 4, completion_tokens: 5 },
    });
  });

  it('gives the same answer to the same prompt', async () => {
    const ask = async () =>
      (await jsonOf(await post(`${sim.url}/v1/completions`, { prompt: 'a b c' }))).choices[0].text;
    expect(await ask()).toBe(await ask());
  });

  it('streams chat chunks ending in [DONE], with usage when asked', async () => {
    const res = await post(`${sim.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi there' }],
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text.trim().split(/\s+/)).toHaveLength(3);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 },
    });
  });

  it('streams completions without a usage chunk unless asked', async () => {
    const res = await post(`${sim.url}/v1/completions`, {
      prompt: 'x',
      stream: true,
      max_tokens: 2,
    });
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === 'text_completion' && c.choices.length === 1)).toBe(
      true,
    );
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it("refuses an over-context prompt with vLLM's 400 body", async () => {
    const res = await post(`${sim.url}/v1/chat/completions`, {
      messages: [{ role: 'user', content: words(5000) }],
    });
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toEqual({
      error: {
        message:
          "This model's maximum context length is 4096 tokens. However, your request has 5004 " +
          'input tokens. Please reduce the length of the input messages. ' +
          '(parameter=input_tokens, value=5004)',
        type: 'BadRequestError',
        param: 'input_tokens',
        code: 400,
      },
    });
  });

  it("answers an unknown model with vLLM's 404 and bad JSON with a 400", async () => {
    const unknown = await post(`${sim.url}/v1/completions`, { model: 'nope', prompt: 'x' });
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).error).toMatchObject({ type: 'NotFoundError', code: 404 });
    const bad = await post(`${sim.url}/v1/completions`, '{"prompt": ');
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatchObject({ type: 'BadRequestError', code: 400 });
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    expect((await get(`${sim.url}/v2/nothing`)).status).toBe(404);
    expect((await get(`${sim.url}/v1/completions`)).status).toBe(405);
  });

  it('exports vLLM metrics labelled with the model name', async () => {
    const res = await get(`${sim.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of [
      'vllm:kv_cache_usage_perc',
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
    ]) {
      expect(text).toContain(`# TYPE ${name} gauge`);
      expect(text).toMatch(
        new RegExp(`^${name}\\{engine="0",model_name="${MODEL}"\\} 0\\.0$`, 'm'),
      );
    }
    expect(text).toMatch(/^vllm:prompt_tokens_total\{[^}]*\} [1-9]\d*\.0$/m);
  });

  it('counts a running request in the metrics and the GPU state', async () => {
    const slow = await startIn(dir.path, 'timing: { decodeMsPerToken: 50 }');
    try {
      const res = await post(`${slow.url}/v1/completions`, {
        prompt: 'x',
        stream: true,
        max_tokens: 6,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the first chunk: the request is running
      const metrics = await (await get(`${slow.url}/metrics`)).text();
      expect(metrics).toMatch(/^vllm:num_requests_running\{[^}]*\} 1\.0$/m);
      await reader.cancel();
    } finally {
      await slow.close();
    }
  });

  it('serves /version', async () => {
    expect(await jsonOf(await get(`${sim.url}/version`))).toEqual({ version: '0.11.0' });
  });
});
