import type { EngineId } from '../scenario/schema.js';
import { llamacppFlavour } from './llamacpp/index.js';
import { ollamaFlavour } from './ollama/index.js';
import { openaiFlavour } from './openai/index.js';
import { sglangFlavour } from './sglang/index.js';
import { tgiFlavour } from './tgi/index.js';
import type { EngineFlavour } from './types.js';
import { vllmFlavour } from './vllm/index.js';

/** Every flavour the simulator speaks, by the scenario's `engine` key. */
export const FLAVOURS: Record<EngineId, EngineFlavour> = {
  vllm: vllmFlavour,
  sglang: sglangFlavour,
  tgi: tgiFlavour,
  llamacpp: llamacppFlavour,
  ollama: ollamaFlavour,
  openai: openaiFlavour,
};

export function flavourFor(id: EngineId): EngineFlavour {
  return FLAVOURS[id];
}
