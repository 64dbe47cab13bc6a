import type { EngineName, EngineProfile } from '../engine-profile.js';
import { LLAMACPP_PROFILE } from './llamacpp.js';
import { OLLAMA_PROFILE } from './ollama.js';
import { OPENAI_PROFILE } from './openai.js';
import { SGLANG_PROFILE } from './sglang.js';
import { TGI_PROFILE } from './tgi.js';
import { VLLM_PROFILE } from './vllm.js';

/** Every engine the gate knows, by the name the `engine` setting takes. */
export const PROFILES: Record<EngineName, EngineProfile> = {
  vllm: VLLM_PROFILE,
  sglang: SGLANG_PROFILE,
  tgi: TGI_PROFILE,
  llamacpp: LLAMACPP_PROFILE,
  ollama: OLLAMA_PROFILE,
  openai: OPENAI_PROFILE,
};

export const ENGINE_NAMES = Object.keys(PROFILES) as EngineName[];

export function profileFor(name: EngineName): EngineProfile {
  return PROFILES[name];
}
