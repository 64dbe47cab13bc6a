import { describe, expect, it } from 'vitest';
import { parseGenerate } from '../../src/sim/engines/vllm/requests.js';
import { CHAT_TOKENS_PER_MESSAGE, countWords } from '../../src/sim/tokens.js';
import { scenario, words } from './helpers.js';

const S = scenario('model: m\nmaxModelLen: 100');

const completion = (body: unknown) => parseGenerate('completions', JSON.stringify(body), S);

describe('vLLM request validation', () => {
  it('counts one token per whitespace-separated word', () => {
    expect(countWords('  one two\tthree\nfour ')).toBe(4);
    expect(countWords('')).toBe(0);
  });

  it('adds a fixed template overhead per chat message', () => {
    const parsed = parseGenerate(
      'chat',
      JSON.stringify({
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: [{ type: 'text', text: 'a b c' }] },
        ],
      }),
      S,
    );
    expect(parsed.ok && parsed.request.promptTokens).toBe(5 + 2 * CHAT_TOKENS_PER_MESSAGE);
  });

  it('accepts a prompt one token under the limit and leaves the rest for output', () => {
    const parsed = completion({ prompt: words(99) });
    expect(parsed).toMatchObject({ ok: true, request: { promptTokens: 99, maxTokens: 1 } });
  });

  it("refuses a prompt that reaches max_model_len with vLLM's 400 body", () => {
    const parsed = completion({ prompt: words(100) });
    expect(parsed).toEqual({
      ok: false,
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 100 tokens. However, your request has 100 " +
            'input tokens. Please reduce the length of the input messages. ' +
            '(parameter=input_tokens, value=100)',
          type: 'BadRequestError',
          param: 'input_tokens',
          code: 400,
        },
      },
    });
  });

  it('refuses max_tokens that do not fit beside the prompt', () => {
    const parsed = completion({ prompt: words(60), max_tokens: 41 });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.status).toBe(400);
    expect(parsed.body.error.param).toBe('max_tokens');
    expect(parsed.body.error.message).toContain(
      "'max_tokens' or 'max_completion_tokens' is too large: 41. This model's maximum context " +
        'length is 100 tokens and your request has 60 input tokens (41 > 100 - 60).',
    );
  });

  it('accepts max_tokens that exactly fill the context', () => {
    expect(completion({ prompt: words(60), max_tokens: 40 }).ok).toBe(true);
  });

  it("answers an unknown model with vLLM's 404 body", () => {
    expect(completion({ model: 'other', prompt: 'hi' })).toEqual({
      ok: false,
      status: 404,
      body: {
        error: {
          message: 'The model `other` does not exist.',
          type: 'NotFoundError',
          param: 'model',
          code: 404,
        },
      },
    });
  });

  it('answers malformed JSON with a 400', () => {
    const parsed = parseGenerate('chat', '{"messages": [', S);
    expect(parsed).toMatchObject({ ok: false, status: 400, body: { error: { code: 400 } } });
  });

  it('answers a chat request without messages with a 400 naming the field', () => {
    const parsed = parseGenerate('chat', '{"model":"m"}', S);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.body.error.message).toContain("'messages'");
  });

  it('reads stream, include_usage and max_completion_tokens', () => {
    const parsed = parseGenerate(
      'chat',
      JSON.stringify({
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 7,
      }),
      S,
    );
    expect(parsed).toMatchObject({
      ok: true,
      request: { stream: true, includeUsage: true, maxTokens: 7 },
    });
  });
});
