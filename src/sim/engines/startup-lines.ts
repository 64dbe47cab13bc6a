import type { Scenario } from '../scenario/schema.js';

/**
 * The lines engines print when they cannot start, in their own words (failure-kinds #9 and
 * the reports it cites), with figures taken from the scenario so the gate's log scan has
 * real numbers to put in its reason.
 */

const GIB = 1024;

function gib(mib: number): string {
  return (mib / GIB).toFixed(2);
}

/** vLLM: the KV cache left after the weights holds fewer tokens than one full request. */
export function vllmKvCacheLines(scenario: Scenario): string[] {
  const fits = scenario.memory.kvCacheTokens ?? Math.floor(scenario.maxModelLen * 0.8);
  return [
    `INFO [gpu_worker.py] Model loading took ${gib(scenario.memory.model.fb)} GiB`,
    'ERROR [core.py] EngineCore failed to start.',
    `ValueError: The model's max seq len (${scenario.maxModelLen}) is larger than the maximum ` +
      `number of tokens that can be stored in KV cache (${fits}). Try increasing ` +
      '`gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.',
  ];
}

/** vLLM: another process holds memory the requested utilisation counts on. */
export function vllmFreeMemoryLines(scenario: Scenario): string[] {
  const total = scenario.gpus.fbTotal;
  const desired = total * 0.9;
  const free = Math.max(0, desired - scenario.memory.model.fb / 4);
  return [
    'ERROR [core.py] EngineCore failed to start.',
    `ValueError: Free memory on device (${gib(free)}/${gib(total)} GiB) on startup is less ` +
      `than desired GPU memory utilization (0.9, ${gib(desired)} GiB). Decrease GPU memory ` +
      'utilization or reduce GPU memory used by other processes.',
  ];
}

/** PyTorch's message, as vLLM, SGLang and TGI pass it on. */
export function torchOomLines(): string[] {
  return [
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a ' +
      'total capacity of 79.19 GiB of which 1.02 GiB is free.',
  ];
}

/** ggml's CUDA backend failing to allocate the KV cache or the weights. */
export function ggmlOomLines(scenario: Scenario): string[] {
  return [
    `ggml_backend_cuda_buffer_type_alloc_buffer: allocating ${scenario.memory.model.fb.toFixed(2)} ` +
      'MiB on device 0: cudaMalloc failed: out of memory',
    'llama_model_load: error loading model: unable to allocate CUDA0 buffer',
  ];
}
