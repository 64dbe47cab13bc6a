/** Engine log lines as the reports quote them (failure-kinds #1 and #9, vLLM issues). */
import { describe, expect, it } from 'vitest';
import { logReasons, scanLogLines } from '../../src/checks/engines/log-patterns.js';

describe('scanLogLines', () => {
  it('reads vLLM\'s "KV cache too small" with its numbers (vllm#10517, 29K on an RTX 3090)', () => {
    const line =
      "The model's max seq len (29000) is larger than the maximum number of tokens that can be " +
      'stored in KV cache (23648). Try increasing `gpu_memory_utilization` or decreasing ' +
      '`max_model_len` when initializing the engine.';
    const [finding] = scanLogLines([
      'Maximum concurrency for 29000 tokens per request: 0.82x',
      line,
    ]);
    expect(finding).toMatchObject({
      id: 'kv-cache-too-small',
      message:
        'the KV cache fits 23,648 tokens < max_model_len 29,000. Lower max_model_len to ≤23,648 ' +
        'or raise gpu_memory_utilization.',
      figures: { maxModelLen: 29000, kvCacheTokens: 23648 },
    });
  });

  it("reads the V1 engine's form, in GiB with its estimate of the longest context (vllm#34076)", () => {
    const line =
      "(EngineCore_DP0 pid=1094) ValueError: To serve at least one request with the models's max " +
      'seq len (262144), (24.0 GiB KV cache is needed, which is larger than the available KV cache ' +
      'memory (3.18 GiB). Based on the available memory, the estimated maximum model length is ' +
      '34736. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when ' +
      'initializing the engine.';
    expect(scanLogLines([line])[0]).toMatchObject({
      id: 'kv-cache-too-small',
      message:
        'one request of max_model_len 262,144 needs 24 GiB of KV cache but 3.18 GiB is available. ' +
        'Lower max_model_len to ≤34,736 or raise gpu_memory_utilization.',
      figures: {
        maxModelLen: 262144,
        kvNeededGiB: 24,
        kvAvailableGiB: 3.18,
        estimatedMaxModelLen: 34736,
      },
    });
  });

  it('reads free memory below the requested utilisation (pytorch#175666)', () => {
    const line =
      'ValueError: Free memory on device cuda:0 (19.77/22.05 GiB) on startup is less than desired ' +
      'GPU memory utilization (0.9, 19.84 GiB). Decrease GPU memory utilization or reduce GPU ' +
      'memory used by other processes.';
    expect(scanLogLines([line])[0]).toMatchObject({
      id: 'free-memory-low',
      figures: { freeGiB: 19.77, totalGiB: 22.05, utilization: 0.9, wantedGiB: 19.84 },
    });
  });

  it('reads out-of-memory from PyTorch and from ggml', () => {
    const torch =
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total ' +
      'capacity of 79.19 GiB of which 1.02 GiB is free.';
    const ggml =
      'ggml_backend_cuda_buffer_type_alloc_buffer: allocating 12288.00 MiB on device 0: cudaMalloc failed: out of memory';
    expect(scanLogLines([torch])[0]?.message).toBe('CUDA out of memory while allocating 2.00 GiB.');
    expect(scanLogLines([ggml])[0]?.message).toBe(
      'cudaMalloc of 12288.00 MiB on device 0 failed: out of memory.',
    );
  });

  it('keeps the first hit of each kind only, whatever the log repeats', () => {
    const lines = [
      'ERROR: CUDA error: an illegal memory access was encountered',
      'ERROR: CUDA error: an illegal memory access was encountered',
      'RuntimeError: CUDA error: device-side assert triggered',
    ];
    expect(scanLogLines(lines).map((f) => f.id)).toEqual([
      'cuda-illegal-memory-access',
      'cuda-error',
    ]);
  });

  it('finds nothing in an ordinary log', () => {
    const lines = [
      'INFO:     127.0.0.1:51234 - "POST /v1/completions HTTP/1.1" 200 OK',
      'INFO [loggers.py] Avg prompt throughput: 0.0 tokens/s, GPU KV cache usage: 0.0%',
    ];
    expect(scanLogLines(lines)).toEqual([]);
  });
});

describe('logReasons', () => {
  it('fails the gate with the parsed figures and the line it came from', () => {
    const findings = scanLogLines([
      "ValueError: The model's max seq len (4096) is larger than the maximum number of tokens that can be stored in KV cache (3664).",
    ]);
    expect(logReasons(findings, 'deploy output')).toEqual([
      {
        rule: 'engine-log',
        severity: 'fail',
        message: expect.stringMatching(
          /^Engine log \(deploy output\): the KV cache fits 3,664 tokens < max_model_len 4,096\. .* Line: "ValueError: /,
        ),
        figures: { finding: 'kv-cache-too-small', maxModelLen: 4096, kvCacheTokens: 3664 },
      },
    ]);
  });

  it('does not repeat a generic CUDA error beside the illegal memory access', () => {
    const findings = scanLogLines([
      'CUDA error: an illegal memory access was encountered',
      'CUDA error: unspecified launch failure',
    ]);
    expect(logReasons(findings, 'logs command').map((r) => r.figures?.finding)).toEqual([
      'cuda-illegal-memory-access',
    ]);
  });
});
