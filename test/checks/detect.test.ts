import { afterEach, describe, expect, it } from 'vitest';
import type { EngineName } from '../../src/checks/engine-profile.js';
import { decideEngine, detectEngine, type ProbeAnswers } from '../../src/checks/engines/detect.js';
import { createEngineClient, type HttpOutcome } from '../../src/checks/http.js';
import { parseScenarioText } from '../../src/sim/scenario/load.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/simulator.js';
import { freePort } from './mock-server.js';

function ok(json: unknown): HttpOutcome {
  return { kind: 'response', status: 200, json, isJson: true, text: JSON.stringify(json), ms: 1 };
}
function text(status: number, body: string): HttpOutcome {
  return { kind: 'response', status, json: undefined, isJson: false, text: body, ms: 1 };
}
const refused: HttpOutcome = { kind: 'refused', message: 'connection refused', ms: 1 };

describe('decideEngine', () => {
  it.each([
    ['tgi', { '/info': ok({ model_id: 'm', max_total_tokens: 32768 }) }],
    [
      'llamacpp',
      { '/props': ok({ default_generation_settings: { n_ctx: 8192 }, total_slots: 1 }) },
    ],
    ['sglang', { '/get_model_info': ok({ model_path: 'Qwen/Qwen3-8B', is_generation: true }) }],
    ['ollama', { '/': text(200, 'Ollama is running') }],
    ['ollama', { '/api/tags': ok({ models: [] }) }],
    ['vllm', { '/v1/models': ok({ data: [{ id: 'm', owned_by: 'vllm', max_model_len: 8192 }] }) }],
  ] as [EngineName, ProbeAnswers][])('recognises %s from its own route', (engine, answers) => {
    expect(decideEngine(answers, null)).toMatchObject({ decided: true, engine });
  });

  it('recognises llama.cpp while it is still loading its model', () => {
    const loading = '{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}';
    const answers: ProbeAnswers = {
      '/health': {
        kind: 'response',
        status: 503,
        json: JSON.parse(loading),
        isJson: true,
        text: loading,
        ms: 1,
      },
    };
    expect(decideEngine(answers, null)).toMatchObject({ decided: true, engine: 'llamacpp' });
  });

  it('takes vLLM from /version only beside a max_model_len, when no stronger sign answers', () => {
    const models = ok({ data: [{ id: 'm', owned_by: 'someone', max_model_len: 8192 }] });
    expect(
      decideEngine({ '/version': ok({ version: '0.11.0' }), '/v1/models': models }, null),
    ).toMatchObject({
      engine: 'vllm',
    });
    const sglang = { '/get_model_info': ok({ model_path: 'm' }) };
    expect(
      decideEngine(
        { ...sglang, '/version': ok({ version: '0.5.2' }), '/v1/models': models },
        'vllm',
      ),
    ).toMatchObject({ engine: 'sglang' });
  });

  it('calls a server that only lists models a generic OpenAI-compatible one', () => {
    const answers = {
      '/v1/models': ok({ data: [{ id: 'm', owned_by: 'org' }] }),
      '/info': text(404, ''),
    };
    expect(decideEngine(answers, null)).toMatchObject({ decided: true, engine: 'openai' });
  });

  it('keeps waiting while nothing answers, or only with 5xx', () => {
    expect(decideEngine({ '/v1/models': refused, '/health': refused }, 'vllm')).toMatchObject({
      decided: false,
      why: `nothing answers yet: ${refused.message}`,
    });
    expect(decideEngine({ '/health': text(503, '') }, 'vllm')).toMatchObject({ decided: false });
  });

  it('lets the config break a tie between two signatures (a proxy in front of an engine)', () => {
    const answers = {
      '/info': ok({ model_id: 'm', max_total_tokens: 4096 }),
      '/api/tags': ok({ models: [] }),
    };
    expect(decideEngine(answers, 'ollama')).toMatchObject({ engine: 'ollama' });
    expect(decideEngine(answers, null)).toMatchObject({ engine: 'tgi' });
  });
});

describe('detectEngine against each simulator flavour', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it.each(['vllm', 'sglang', 'tgi', 'llamacpp', 'ollama', 'openai'] as EngineName[])(
    'recognises %s',
    async (engine) => {
      const scenario = parseScenarioText(`engine: ${engine}\nmaxModelLen: 4096\n`, 'test');
      sim = await startSimulator({
        scenario,
        port: 0,
        statePath: `/tmp/sg-detect-${engine}-${process.pid}.json`,
      });
      await sim.ready;
      const client = createEngineClient({ baseUrl: sim.url, timeoutMs: 5000 });
      const found = await detectEngine({ client, hint: null, timeoutMs: 5000 });
      expect(found.engine).toBe(engine);
    },
  );

  it('gives up at its deadline when nothing ever answers, saying so', async () => {
    const client = createEngineClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      timeoutMs: 1000,
    });
    const found = await detectEngine({ client, hint: 'vllm', timeoutMs: 300 });
    expect(found).toMatchObject({ engine: null });
    expect(found.detail).toMatch(
      /^no engine recognised within .*: nothing answers yet: nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)$/,
    );
  });

  it('stops at once when the deployment has died', async () => {
    const client = createEngineClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      timeoutMs: 1000,
    });
    const found = await detectEngine({
      client,
      hint: null,
      timeoutMs: 60_000,
      isDead: () => 'exited 1',
    });
    expect(found).toEqual({
      engine: null,
      detail: 'deployment died: exited 1',
      elapsedMs: expect.any(Number),
    });
  });
});
