import type { EngineFlavour } from '../types.js';
import { handleVllm } from './handle.js';

/** vLLM's OpenAI-compatible server. */
export const vllmFlavour: EngineFlavour = {
  id: 'vllm',
  // The V1 engine names its processes; with tensor parallelism each GPU has a worker.
  processName: (gpuIndex, gpuCount) =>
    gpuCount > 1 ? `VLLM::Worker_TP${gpuIndex}` : 'VLLM::EngineCore',
  handle: handleVllm,
};
