import { describe, expect, it } from 'vitest';
import { errorMessageOf, shortenText, summarizeErrorBody } from '../../src/checks/error-body.js';

const VLLM_OVER_CONTEXT = {
  error: {
    message:
      "This model's maximum context length is 32768 tokens. However, your request has 65521 " +
      'input tokens. Please reduce the length of the input messages. (parameter=input_tokens, value=65521)',
    type: 'BadRequestError',
    param: 'input_tokens',
    code: 400,
  },
};

describe('errorMessageOf', () => {
  it("reads vLLM's current body, {error:{message,type,code}}", () => {
    expect(errorMessageOf(VLLM_OVER_CONTEXT)).toMatch(/^This model's maximum context length/);
  });

  it("reads vLLM's older flat body, {object:'error',message}", () => {
    const body = { object: 'error', message: 'CUDA error: an illegal memory access', code: 500 };
    expect(errorMessageOf(body)).toBe('CUDA error: an illegal memory access');
  });

  it("reads TGI's {error:string} and FastAPI's {detail}", () => {
    expect(errorMessageOf({ error: 'Input validation error', error_type: 'validation' })).toBe(
      'Input validation error',
    );
    expect(errorMessageOf({ detail: 'The input (9 tokens) is longer' })).toBe(
      'The input (9 tokens) is longer',
    );
  });

  it('returns null for bodies that are not errors', () => {
    expect(errorMessageOf({ choices: [] })).toBeNull();
    expect(errorMessageOf('text')).toBeNull();
    expect(errorMessageOf({ error: { type: 'x' } })).toBeNull();
  });
});

describe('summarizeErrorBody', () => {
  it('drops the stray " None" that ends the older flat vLLM message', () => {
    const body = {
      object: 'error',
      message: 'Please reduce the length of the input messages. None',
    };
    expect(summarizeErrorBody(body, '')).toBe('Please reduce the length of the input messages.');
  });

  it('falls back to the raw text, on one line, when the body is not a known shape', () => {
    expect(summarizeErrorBody(undefined, 'Internal\nServer Error')).toBe('Internal Server Error');
    expect(summarizeErrorBody(undefined, '  ')).toBe('(empty body)');
  });

  it('keeps long messages short', () => {
    const long = { error: { message: `Traceback ${'frame '.repeat(100)}`, code: 500 } };
    const summary = summarizeErrorBody(long, '');
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('shortenText', () => {
  it('leaves short text alone and cuts long text with a mark', () => {
    expect(shortenText('ok', 10)).toBe('ok');
    expect(shortenText('abcdefghijkl', 5)).toBe('abcd…');
  });
});
