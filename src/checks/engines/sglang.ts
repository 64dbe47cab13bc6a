/**
 * SGLang's OpenAI-compatible server. Its `/v1/models` cards carry `max_model_len`; older
 * releases leave it out, and `/get_server_args` then says `context_length` when it was set.
 * Errors are the flat `{"object":"error","message":…}` form, inside a stream wrapped as
 * `data: {"error":{…}}`. `/health` runs a one-token generation, so it answers 503 both
 * while the server starts and while a long prefill holds the scheduler (failure-kinds #3).
 */
import type { EngineProfile } from '../engine-profile.js';
import { isRecord, positiveInteger } from './json.js';
import { OPENAI_DIALECT, OPENAI_PATHS } from './vllm.js';

export function readServerArgsContext(body: unknown): number | null {
  return isRecord(body) ? positiveInteger(body.context_length) : null;
}

export const SGLANG_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'sglang',
  label: 'SGLang',
  paths: { ...OPENAI_PATHS, context: '/get_server_args' },
  readContext: readServerArgsContext,
  // Starting and unhealthy both answer a bare 503: the generate decides.
  healthState: () => 'unhealthy',
};
