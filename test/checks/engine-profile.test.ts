import { describe, expect, it } from 'vitest';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';

describe('VLLM_PROFILE', () => {
  it('builds a deterministic completion, naming the model only when known', () => {
    expect(VLLM_PROFILE.completionBody('qwen', 'Say OK', 8)).toEqual({
      model: 'qwen',
      prompt: 'Say OK',
      max_tokens: 8,
      temperature: 0,
    });
    expect(VLLM_PROFILE.completionBody(null, 'x', 1)).not.toHaveProperty('model');
  });

  it('asks a stream for its usage so processed tokens are known', () => {
    expect(VLLM_PROFILE.chatBody(null, 'hi', 4, true)).toMatchObject({
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(VLLM_PROFILE.chatBody(null, 'hi', 4, false)).not.toHaveProperty('stream');
  });

  it('expects an over-limit prompt to be refused with 400', () => {
    expect(VLLM_PROFILE.overLimitStatuses).toEqual([400]);
  });
});
