import { describe, expect, it } from 'vitest';
import {
  describeOutcome,
  exchangeLine,
  formatCount,
  formatTokensShort,
} from '../../src/checks/describe.js';
import { VLLM_PROFILE } from '../../src/checks/engine-profile.js';
import type { HttpResponse } from '../../src/checks/http.js';

function response(status: number, text: string): HttpResponse {
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  return { kind: 'response', status, json, isJson, text, ms: 5 };
}

describe('check detail words', () => {
  it('writes counts with thousands separators and short token counts', () => {
    expect(formatCount(117900)).toBe('117,900');
    expect(formatTokensShort(120_400)).toBe('120K');
    expect(formatTokensShort(950)).toBe('950');
  });

  it('writes a failed request as status and the error message', () => {
    const body =
      '{"error":{"message":"CUDA error: an illegal memory access was encountered","code":500}}';
    const line = exchangeLine(
      'POST /v1/completions',
      'with 117,900 prompt tokens',
      describeOutcome(response(500, body), VLLM_PROFILE),
    );
    expect(line).toBe(
      'POST /v1/completions with 117,900 prompt tokens → 500 "CUDA error: an illegal memory access was encountered"',
    );
  });

  it('says when a 200 answer is not JSON', () => {
    const line = describeOutcome(response(200, '<html>proxy login</html>'), VLLM_PROFILE);
    expect(line).toBe('200 with a body that is not JSON: "<html>proxy login</html>"');
  });

  it('writes a failure without an answer as its message', () => {
    const outcome = { kind: 'timeout' as const, message: 'no answer within 30s', ms: 30000 };
    expect(describeOutcome(outcome, VLLM_PROFILE)).toBe('no answer within 30s');
  });
});
