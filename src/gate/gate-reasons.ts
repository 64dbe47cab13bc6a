import { formatDuration } from '../units.js';
import type { Reason } from '../verdict/types.js';
import type { MemoryRecorder } from './recorder.js';

/** A GPU lost or NVML failing mid-run blames the runner, not the candidate. */
export function samplerReasons(recorder: MemoryRecorder): Reason[] {
  const infra = recorder.events.find((e) =>
    ['gpu-lost', 'nvml-init-failed', 'no-devices', 'driver-mismatch'].includes(e.state),
  );
  if (!infra) return [];
  return [
    {
      rule: 'gpu-lost',
      severity: 'infra',
      message:
        `The GPU became unreadable at T+${formatDuration(infra.tMs)} (${infra.state}): ` +
        `${infra.message}. The runner needs attention; re-run on a healthy runner.`,
    },
  ];
}

/** Memory growth under long-context load is a context-length fault: point at that line. */
export function locateMemory(
  reason: Reason,
  locate: (key: string | undefined) => { file?: string; line?: number },
): { file?: string; line?: number } {
  return reason.severity === 'fail' && /bar1|fb|memory/.test(reason.rule)
    ? locate('max-model-len')
    : {};
}
