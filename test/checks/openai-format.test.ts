import { describe, expect, it } from 'vitest';
import {
  readGeneratedText,
  readModelCards,
  readPromptTokens,
  readStreamData,
} from '../../src/checks/openai-format.js';

describe('readModelCards', () => {
  it('reads ids and max_model_len from /v1/models', () => {
    const body = {
      object: 'list',
      data: [
        { id: 'Qwen/Qwen3-30B-A3B-FP8', object: 'model', max_model_len: 131072 },
        { id: 'lora-a', object: 'model' },
      ],
    };
    expect(readModelCards(body)).toEqual([
      { id: 'Qwen/Qwen3-30B-A3B-FP8', maxContext: 131072 },
      { id: 'lora-a', maxContext: null },
    ]);
  });

  it('reads a missing or odd max_model_len as unknown, never as zero', () => {
    const body = {
      data: [
        { id: 'm', max_model_len: 'N/A' },
        { id: 'n', max_model_len: 0 },
      ],
    };
    expect(readModelCards(body).map((c) => c.maxContext)).toEqual([null, null]);
    expect(readModelCards({ nothing: true })).toEqual([]);
  });
});

describe('readPromptTokens', () => {
  it('reads usage.prompt_tokens, and null when the engine does not report it', () => {
    expect(readPromptTokens({ usage: { prompt_tokens: 117900 } })).toBe(117900);
    expect(readPromptTokens({ usage: {} })).toBeNull();
    expect(readPromptTokens({})).toBeNull();
  });
});

describe('readGeneratedText', () => {
  it('reads completions, chat completions and reasoning-only answers', () => {
    expect(readGeneratedText({ choices: [{ text: ' OK' }] })).toBe(' OK');
    expect(readGeneratedText({ choices: [{ message: { content: 'OK' } }] })).toBe('OK');
    const reasoning = { choices: [{ message: { content: null, reasoning_content: 'hmm' } }] };
    expect(readGeneratedText(reasoning)).toBe('hmm');
  });

  it('returns null when there is no choice with text', () => {
    expect(readGeneratedText({ choices: [] })).toBeNull();
    expect(readGeneratedText({ id: 'x' })).toBeNull();
  });
});

describe('readStreamData', () => {
  it('reads [DONE], chat deltas, completion text and finish reasons', () => {
    expect(readStreamData('[DONE]')).toEqual({ type: 'done' });
    const chat = '{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}';
    expect(readStreamData(chat)).toMatchObject({ type: 'chunk', text: 'Hel', finishReason: null });
    const completion = '{"choices":[{"index":0,"text":"lo","finish_reason":"length"}]}';
    expect(readStreamData(completion)).toMatchObject({ text: 'lo', finishReason: 'length' });
  });

  it('reads the usage chunk that ends a stream with include_usage', () => {
    const usage = '{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3}}';
    expect(readStreamData(usage)).toMatchObject({ type: 'chunk', text: '', promptTokens: 12 });
  });

  it('reads an error event sent inside a 200 stream', () => {
    const data =
      '{"error":{"message":"CUDA error: an illegal memory access","type":"InternalServerError","code":500}}';
    expect(readStreamData(data)).toEqual({
      type: 'error',
      message: 'CUDA error: an illegal memory access',
    });
  });

  it('marks data that is not JSON as invalid', () => {
    expect(readStreamData('not json')).toEqual({ type: 'invalid', text: 'not json' });
  });
});
