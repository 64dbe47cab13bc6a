/**
 * Any other OpenAI-compatible server (a proxy, LiteLLM, LM Studio, a vendor's endpoint):
 * only what the OpenAI API promises. `max_model_len` is read when the model list has it;
 * a `/health` that is not there (404) leaves readiness to the generate.
 */
import type { EngineProfile } from '../engine-profile.js';
import { OPENAI_DIALECT, OPENAI_PATHS } from './vllm.js';

export const OPENAI_PROFILE: EngineProfile = {
  ...OPENAI_DIALECT,
  name: 'openai',
  label: 'OpenAI-compatible server',
  paths: { ...OPENAI_PATHS, metrics: null },
  healthState: () => 'unhealthy',
};
