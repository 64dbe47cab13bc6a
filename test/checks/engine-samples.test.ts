/**
 * Each engine's real answers, as shared/reference/engines.md records them (error bodies,
 * stream events, info routes), read through that engine's profile.
 */
import { describe, expect, it } from 'vitest';
import { LLAMACPP_PROFILE } from '../../src/checks/engines/llamacpp.js';
import { OLLAMA_PROFILE } from '../../src/checks/engines/ollama.js';
import { OPENAI_PROFILE } from '../../src/checks/engines/openai.js';
import { SGLANG_PROFILE } from '../../src/checks/engines/sglang.js';
import { TGI_PROFILE } from '../../src/checks/engines/tgi.js';
import { VLLM_PROFILE } from '../../src/checks/engines/vllm.js';

const json = (text: string) => JSON.parse(text) as unknown;

describe('vLLM', () => {
  const overLimit =
    '{"error":{"message":"This model\'s maximum context length is 32768 tokens. However, your ' +
    'request has 65521 input tokens. Please reduce the length of the input messages. ' +
    '(parameter=input_tokens, value=65521)","type":"BadRequestError","param":"input_tokens",' +
    '"code":400}}';

  it('reads the over-limit refusal and expects it with 400', () => {
    expect(VLLM_PROFILE.readErrorMessage(json(overLimit))).toMatch(
      /^This model's maximum context length is 32768 tokens\. However, your request has 65521/,
    );
    expect(VLLM_PROFILE.overLimitStatuses).toEqual([400]);
  });

  it('drops the stray " None" of the older flat error form', () => {
    const flat =
      '{"object":"error","message":"This model\'s maximum context length is 4096 tokens. Please ' +
      'reduce the length of the input messages. None","type":"BadRequestError","code":400}';
    expect(VLLM_PROFILE.summarizeError(json(flat), flat)).toBe(
      "This model's maximum context length is 4096 tokens. Please reduce the length of the input messages.",
    );
  });

  it('reads an error sent after the headers, then [DONE]', () => {
    const error =
      '{"error":{"message":"CUDA error: an illegal memory access was encountered","type":"InternalServerError","param":null,"code":500}}';
    expect(VLLM_PROFILE.readStreamData(error)).toEqual({
      type: 'error',
      message: 'CUDA error: an illegal memory access was encountered',
    });
    expect(VLLM_PROFILE.readStreamData('[DONE]')).toEqual({ type: 'done' });
  });

  it('says a 503 from /health means the engine core died', () => {
    expect(VLLM_PROFILE.healthState(503, undefined, '')).toBe('dead');
  });
});

describe('TGI', () => {
  const overLimit =
    '{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 1512. ' +
    'Given: 30 `inputs` tokens and 3984 `max_new_tokens`","error_type":"validation"}';

  it('reads the 422 validation refusal', () => {
    expect(TGI_PROFILE.overLimitStatuses).toEqual([422]);
    expect(TGI_PROFILE.summarizeError(json(overLimit), overLimit)).toBe(
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 1512. Given: 30 `inputs` tokens and 3984 `max_new_tokens`',
    );
  });

  it('reads the model and its total token budget from /info (3.2.1)', () => {
    const info = {
      model_id: 'mistralai/Mistral-7B-Instruct-v0.3',
      max_input_tokens: 32767,
      max_total_tokens: 32768,
      router: 'text-generation-router',
      version: '3.2.1',
    };
    expect(TGI_PROFILE.readModelCards(info)).toEqual([
      { id: 'mistralai/Mistral-7B-Instruct-v0.3', maxContext: 32768 },
    ]);
  });

  it('reads /generate_stream: tokens, then the last event with generated_text, no [DONE]', () => {
    const token =
      '{"index":1,"token":{"id":22557,"text":"Hello","logprob":-0.39,"special":false},"generated_text":null,"details":null}';
    const last =
      '{"index":2,"token":{"id":2,"text":"</s>","logprob":-0.01,"special":true},' +
      '"generated_text":"Hello","details":{"finish_reason":"eos_token","generated_tokens":2,"seed":null,"input_length":7}}';
    expect(TGI_PROFILE.readStreamData(token)).toEqual({
      type: 'chunk',
      text: 'Hello',
      finishReason: null,
      promptTokens: null,
      last: false,
    });
    expect(TGI_PROFILE.readStreamData(last)).toEqual({
      type: 'chunk',
      text: '',
      finishReason: 'eos_token',
      promptTokens: 7,
      last: true,
    });
    expect(TGI_PROFILE.streamFraming).toBe('sse');
  });

  it('reads an error event inside the stream', () => {
    const error =
      '{"error":"Request failed during generation: Server error: CUDA error","error_type":"generation"}';
    expect(TGI_PROFILE.readStreamData(error)).toEqual({
      type: 'error',
      message: 'Request failed during generation: Server error: CUDA error',
    });
  });

  it('never sends the OpenAI model field, which TGI reads as a LoRA adapter id', () => {
    expect(TGI_PROFILE.completionBody('meta-llama/Llama-3.1-8B', 'hi', 4)).not.toHaveProperty(
      'model',
    );
    expect(TGI_PROFILE.chatBody('meta-llama/Llama-3.1-8B', 'hi', 4, false)).not.toHaveProperty(
      'model',
    );
  });
});

describe('llama.cpp server', () => {
  const overLimit =
    '{"error":{"code":400,"message":"request (13392 tokens) exceeds the available context size ' +
    '(8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":13392,"n_ctx":8192}}';

  it('reads the exceed_context_size_error refusal', () => {
    expect(LLAMACPP_PROFILE.readErrorMessage(json(overLimit))).toBe(
      'request (13392 tokens) exceeds the available context size (8192 tokens), try increasing it',
    );
  });

  it('tells "Loading model" from an unhealthy server', () => {
    const loading = '{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}';
    expect(LLAMACPP_PROFILE.healthState(503, json(loading), loading)).toBe('loading');
    expect(LLAMACPP_PROFILE.healthState(500, undefined, '')).toBe('unhealthy');
  });

  it('reads the per-slot context from /props, old and new layouts', () => {
    expect(
      LLAMACPP_PROFILE.readContext({ default_generation_settings: { n_ctx: 6144 } }, null),
    ).toBe(6144);
    expect(LLAMACPP_PROFILE.readContext({ n_ctx: 4096, total_slots: 1 }, null)).toBe(4096);
  });

  it('explains a per-slot context that is the configured one divided by --parallel', () => {
    expect(LLAMACPP_PROFILE.contextNote?.(6144, 12288, 2)).toBe(
      'llama.cpp shares --ctx-size among its slots: 12,288 / --parallel 2 = 6,144 tokens per request',
    );
    expect(LLAMACPP_PROFILE.contextNote?.(5000, 12288, 2)).toBeNull();
  });

  it('reads /completion: content, tokens_evaluated and the truncated flag', () => {
    const body = json(
      '{"content":" OK","stop":true,"stop_type":"limit","tokens_evaluated":2048,"truncated":true}',
    );
    expect(LLAMACPP_PROFILE.readGeneratedText(body)).toBe(' OK');
    expect(LLAMACPP_PROFILE.readPromptTokens(body)).toBe(2048);
    expect(LLAMACPP_PROFILE.readTruncated(body)).toBe(true);
  });

  it('reads the /completion stream up to the event whose stop is true', () => {
    expect(
      LLAMACPP_PROFILE.readStreamData('{"content":"Hel","stop":false,"id_slot":0}'),
    ).toMatchObject({
      type: 'chunk',
      text: 'Hel',
      last: false,
    });
    expect(
      LLAMACPP_PROFILE.readStreamData(
        '{"content":"","stop":true,"stop_type":"eos","tokens_evaluated":12}',
      ),
    ).toEqual({ type: 'chunk', text: '', finishReason: 'eos', promptTokens: 12, last: true });
  });
});

describe('SGLang', () => {
  it('reads the flat ErrorResponse of its OpenAI adapter', () => {
    const body =
      '{"object":"error","message":"The input (40000 tokens) is longer than the model\'s context length (32768 tokens).","type":"BadRequestError","param":null,"code":400}';
    expect(SGLANG_PROFILE.readErrorMessage(json(body))).toBe(
      "The input (40000 tokens) is longer than the model's context length (32768 tokens).",
    );
  });

  it('reads the same message from a FastAPI detail body', () => {
    const body =
      '{"detail":"Requested token count exceeds the model\'s maximum context length of 32768 tokens. You requested a total of 33000 tokens: 32000 tokens from the input messages and 1000 tokens for the completion."}';
    expect(SGLANG_PROFILE.readErrorMessage(json(body))).toMatch(/^Requested token count exceeds/);
  });

  it('reads an error event wrapped in {"error": …} inside a stream', () => {
    const event =
      '{"error":{"object":"error","message":"CUDA error: an illegal memory access was encountered","type":"InternalServerError","param":null,"code":500}}';
    expect(SGLANG_PROFILE.readStreamData(event)).toEqual({
      type: 'error',
      message: 'CUDA error: an illegal memory access was encountered',
    });
  });

  it('reads max_model_len from its model cards and context_length from /get_server_args', () => {
    const models = {
      object: 'list',
      data: [{ id: 'qwen', owned_by: 'sglang', max_model_len: 131072 }],
    };
    expect(SGLANG_PROFILE.readModelCards(models)).toEqual([{ id: 'qwen', maxContext: 131072 }]);
    expect(
      SGLANG_PROFILE.readContext({ context_length: 65536, mem_fraction_static: 0.85 }, null),
    ).toBe(65536);
    expect(SGLANG_PROFILE.readContext({ context_length: null }, null)).toBeNull();
  });
});

describe('Ollama', () => {
  it('reads the NDJSON stream up to the line with done true and its prompt_eval_count', () => {
    const lines = [
      '{"model":"qwen3:8b","created_at":"2026-12-01T10:00:00Z","response":"The","done":false}',
      '{"model":"qwen3:8b","created_at":"2026-12-01T10:00:01Z","response":"","done":true,"done_reason":"stop","total_duration":5043500667,"prompt_eval_count":26,"eval_count":290}',
    ];
    expect(OLLAMA_PROFILE.readStreamData(lines[0]!)).toMatchObject({ text: 'The', last: false });
    expect(OLLAMA_PROFILE.readStreamData(lines[1]!)).toEqual({
      type: 'chunk',
      text: '',
      finishReason: 'stop',
      promptTokens: 26,
      last: true,
    });
    expect(OLLAMA_PROFILE.streamFraming).toBe('ndjson');
  });

  it('reads an error line inside a stream', () => {
    expect(
      OLLAMA_PROFILE.readStreamData('{"error":"llama runner process has terminated"}'),
    ).toEqual({
      type: 'error',
      message: 'llama runner process has terminated',
    });
  });

  it('reads a prompt it silently cut from prompt_eval_count (ollama#3839: 3940 sent, 2048 kept)', () => {
    const body = {
      model: 'llama3',
      response: 'ok',
      done: true,
      prompt_eval_count: 2048,
      eval_count: 2,
    };
    expect(OLLAMA_PROFILE.readPromptTokens(body)).toBe(2048);
    expect(OLLAMA_PROFILE.readGeneratedText(body)).toBe('ok');
    expect(OLLAMA_PROFILE.truncatesOverLimit).toBe(true);
  });

  it('reads the loaded context from /api/ps and the models from /api/tags', () => {
    const ps = {
      models: [
        { name: 'qwen3:8b', model: 'qwen3:8b', size_vram: 6654289920, context_length: 4096 },
      ],
    };
    expect(OLLAMA_PROFILE.readContext(ps, 'qwen3:8b')).toBe(4096);
    expect(OLLAMA_PROFILE.readContext({ models: [] }, 'qwen3:8b')).toBeNull();
    expect(OLLAMA_PROFILE.readModelCards({ models: [{ name: 'qwen3:8b' }] })).toEqual([
      { id: 'qwen3:8b', maxContext: null },
    ]);
  });

  it('asks its native route for one whole answer and leaves num_ctx to the deployment', () => {
    expect(OLLAMA_PROFILE.completionBody('qwen3:8b', 'hi', 8)).toEqual({
      model: 'qwen3:8b',
      prompt: 'hi',
      stream: false,
      options: { num_predict: 8, temperature: 0 },
    });
  });
});

describe('a generic OpenAI-compatible server', () => {
  it('reads model cards that carry no context', () => {
    const models = {
      object: 'list',
      data: [{ id: 'gpt-oss', object: 'model', owned_by: 'organization-owner' }],
    };
    expect(OPENAI_PROFILE.readModelCards(models)).toEqual([{ id: 'gpt-oss', maxContext: null }]);
    expect(OPENAI_PROFILE.paths.metrics).toBeNull();
  });
});
