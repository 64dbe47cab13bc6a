import type { EngineId } from '../scenario/schema.js';
import type { EngineFlavour } from './types.js';
import { vllmFlavour } from './vllm/index.js';

/** Every flavour the simulator speaks, by the scenario's `engine` key. */
export const FLAVOURS: Record<EngineId, EngineFlavour> = {
  vllm: vllmFlavour,
};

export function flavourFor(id: EngineId): EngineFlavour {
  return FLAVOURS[id];
}
