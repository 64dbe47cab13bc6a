import { describe, expect, it } from 'vitest';
import { exitReasonFromLogs } from '../../src/deploy/exit-reason.js';

describe('exitReasonFromLogs', () => {
  it('prefers a CUDA out-of-memory line to the traceback around it', () => {
    const lines = [
      'INFO 12-04 10:00:00 Loading weights took 12.1 seconds',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/site-packages/vllm/worker.py", line 10, in <module>',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
      'ERROR 12-04 10:00:01 Engine core failed to start',
    ];
    expect(exitReasonFromLogs(lines)).toBe(
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    );
  });

  it("finds vLLM's KV cache refusal (failure-kinds #9)", () => {
    const line =
      "ValueError: The model's max seq len (29000) is larger than the maximum number of " +
      'tokens that can be stored in KV cache (23648).';
    expect(exitReasonFromLogs(['INFO starting', line, 'INFO shutting down'])).toBe(line);
  });

  it('takes the last exception line, else the last error line', () => {
    expect(exitReasonFromLogs(['KeyError: a', 'ValueError: b', 'done'])).toBe('ValueError: b');
    expect(exitReasonFromLogs(['ok', 'ERROR something broke', 'ok'])).toBe('ERROR something broke');
  });

  it('says nothing when the lines name no reason', () => {
    expect(exitReasonFromLogs(['INFO all good', ''])).toBeNull();
  });
});
