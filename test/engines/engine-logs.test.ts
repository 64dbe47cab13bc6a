import { describe, expect, it } from 'vitest';
import { engineLogReasons } from '../../src/gate/engine-logs.js';

const spawn = { cwd: process.cwd(), env: process.env };

const KV_LINE =
  "ValueError: The model's max seq len (29000) is larger than the maximum number of tokens that " +
  'can be stored in KV cache (23648). Try increasing `gpu_memory_utilization` or decreasing ' +
  '`max_model_len` when initializing the engine.';

describe('engineLogReasons', () => {
  it("scans the deploy command's own output", async () => {
    const reasons = await engineLogReasons({
      command: null,
      deployTail: ['INFO starting', KV_LINE],
      spawn,
    });
    expect(reasons).toEqual([
      expect.objectContaining({
        rule: 'engine-log',
        severity: 'fail',
        message: expect.stringContaining(
          'Engine log (deploy output): the KV cache fits 23,648 tokens',
        ),
      }),
    ]);
  });

  it('runs the logs command and scans what it prints, stdout and stderr alike', async () => {
    const command =
      "echo 'INFO loading'; echo 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0' 1>&2";
    const reasons = await engineLogReasons({ command, deployTail: [], spawn });
    expect(reasons.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^Engine log \(logs command\): CUDA out of memory while allocating 2\.00 GiB\./,
      ),
    ]);
  });

  it('reports a finding once when both sources hold it', async () => {
    const command = `printf '%s\\n' "$LINE"`;
    const reasons = await engineLogReasons({
      command,
      deployTail: [KV_LINE],
      spawn: { ...spawn, env: { ...process.env, LINE: KV_LINE } },
    });
    expect(reasons.filter((r) => r.rule === 'engine-log')).toHaveLength(1);
  });

  it('warns, without failing, when the logs command fails or outlives its deadline', async () => {
    const failed = await engineLogReasons({ command: 'exit 3', deployTail: [], spawn });
    expect(failed).toEqual([
      expect.objectContaining({
        rule: 'engine-logs-unread',
        severity: 'warn',
        message: 'The logs command exited 3; its output was scanned only as far as it got.',
      }),
    ]);
    const slow = await engineLogReasons({
      command: 'sleep 30',
      deployTail: [],
      spawn,
      timeoutMs: 200,
    });
    expect(slow.map((r) => r.message)).toEqual([
      'The logs command did not finish within 200ms; its output was scanned only as far as it got.',
    ]);
  });
});
