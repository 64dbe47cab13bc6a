import { torchOomLines, vllmFreeMemoryLines, vllmKvCacheLines } from '../startup-lines.js';
import type { EngineFlavour } from '../types.js';
import { handleVllm } from './handle.js';

/** vLLM's OpenAI-compatible server. */
export const vllmFlavour: EngineFlavour = {
  id: 'vllm',
  // The V1 engine names its processes; with tensor parallelism each GPU has a worker.
  processName: (gpuIndex, gpuCount) =>
    gpuCount > 1 ? `VLLM::Worker_TP${gpuIndex}` : 'VLLM::EngineCore',
  handle: handleVllm,
  startupErrorLines: (error, scenario) => {
    if (error === 'kv-cache-too-small') return vllmKvCacheLines(scenario);
    if (error === 'free-memory') return vllmFreeMemoryLines(scenario);
    return torchOomLines();
  },
};
