/** Streams in each engine's own format, read through its profile. */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineProfile } from '../../src/checks/engine-profile.js';
import { LLAMACPP_PROFILE } from '../../src/checks/engines/llamacpp.js';
import { OLLAMA_PROFILE } from '../../src/checks/engines/ollama.js';
import { TGI_PROFILE } from '../../src/checks/engines/tgi.js';
import { createEngineClient } from '../../src/checks/http.js';
import { streamRequest } from '../../src/checks/stream.js';
import { judgeStream } from '../../src/checks/stream-check.js';
import { type MockServer, startMock } from './mock-server.js';

let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const deadlines = { firstTokenTimeoutMs: 1000, totalTimeoutMs: 3000 };

async function streamOf(profile: EngineProfile, type: string, raw: string) {
  server = await startMock({
    [`POST ${profile.paths.stream}`]: (_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': type });
      res.flushHeaders();
      res.end(raw);
    },
  });
  const client = createEngineClient({ baseUrl: server.url, timeoutMs: 5000 });
  return streamRequest(client, profile, profile.paths.stream, { body: {}, ...deadlines });
}

describe('streams in each engine format', () => {
  it('TGI: ends with the event that carries generated_text, with no [DONE]', async () => {
    const raw =
      'data:{"index":1,"token":{"id":1,"text":"O","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n' +
      'data:{"index":2,"token":{"id":2,"text":"K","logprob":-0.1,"special":false},"generated_text":"OK","details":{"finish_reason":"length","generated_tokens":2,"seed":null,"input_length":4}}\n\n';
    const outcome = await streamOf(TGI_PROFILE, 'text/event-stream', raw);
    expect(outcome).toMatchObject({
      kind: 'stream',
      tokenEvents: 2,
      sawDone: true,
      text: 'OK',
      promptTokens: 4,
    });
    if (outcome.kind !== 'stream') throw new Error('not a stream');
    expect(judgeStream(outcome, deadlines).result).toMatch(
      /ended with the final event with generated_text$/,
    );
  });

  it('TGI: an error event after tokens fails the stream', async () => {
    const raw =
      'data:{"index":1,"token":{"id":1,"text":"O","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n' +
      'data:{"error":"Request failed during generation: Server error: CUDA error","error_type":"generation"}\n\n';
    const outcome = await streamOf(TGI_PROFILE, 'text/event-stream', raw);
    expect(outcome).toMatchObject({
      inStreamError: 'Request failed during generation: Server error: CUDA error',
    });
  });

  it('llama.cpp: an `error:` line inside the stream is seen, not taken for a clean stop', async () => {
    const raw =
      'data: {"content":"O","stop":false,"id_slot":0}\n\n' +
      ': ping\n\n' +
      'error: {"code":500,"message":"CUDA error: an illegal memory access was encountered","type":"server_error"}\n\n';
    const outcome = await streamOf(LLAMACPP_PROFILE, 'text/event-stream', raw);
    expect(outcome).toMatchObject({
      tokenEvents: 1,
      sawDone: false,
      inStreamError: 'CUDA error: an illegal memory access was encountered',
    });
  });

  it('llama.cpp: a stream that stops before the event with stop true fails', async () => {
    const outcome = await streamOf(
      LLAMACPP_PROFILE,
      'text/event-stream',
      'data: {"content":"O","stop":false}\n\n',
    );
    if (outcome.kind !== 'stream') throw new Error('not a stream');
    expect(judgeStream(outcome, deadlines)).toEqual({
      status: 'fail',
      result:
        '200, 1 token event, stream ended without the final event with "stop": true or a finish reason',
    });
  });

  it('Ollama: reads NDJSON lines up to the one with done true', async () => {
    const raw =
      '{"model":"qwen3:8b","response":"O","done":false}\n' +
      '{"model":"qwen3:8b","response":"K","done":false}\n' +
      '{"model":"qwen3:8b","response":"","done":true,"done_reason":"length","prompt_eval_count":9,"eval_count":2}\n';
    const outcome = await streamOf(OLLAMA_PROFILE, 'application/x-ndjson', raw);
    expect(outcome).toMatchObject({
      kind: 'stream',
      tokenEvents: 2,
      text: 'OK',
      sawDone: true,
      finishReason: 'length',
      promptTokens: 9,
    });
  });

  it('Ollama: an error line fails the stream', async () => {
    const raw =
      '{"model":"qwen3:8b","response":"O","done":false}\n{"error":"llama runner process has terminated"}\n';
    const outcome = await streamOf(OLLAMA_PROFILE, 'application/x-ndjson', raw);
    expect(outcome).toMatchObject({
      inStreamError: 'llama runner process has terminated',
      sawDone: false,
    });
  });
});
