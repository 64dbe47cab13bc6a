import { existsSync, readFileSync } from 'node:fs';

/** How long `down` waits for a supervisor to stop its container before SIGKILL. */
const STOP_DEADLINE_MS = 10_000;

/** SIGTERM to the supervisor's group (it stops its container), SIGKILL at the deadline. */
export async function stopSupervisor(pid: number): Promise<void> {
  if (!isSupervisor(pid)) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const end = Date.now() + STOP_DEADLINE_MS;
  while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  signal('SIGKILL');
}

/** Where /proc can say, only a process that is one of our supervisors gets a signal. */
function isSupervisor(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('supervise');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
