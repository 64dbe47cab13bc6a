import { type ChildProcess, spawn } from 'node:child_process';

/** How children are started; a parameter so a caller can wrap or observe it. */
export type SpawnFn = (command: string, args: string[]) => ChildProcess;

/** Pipes for stdout and stderr, no stdin, never a shell: argv goes to the OS as it is. */
export const spawnPiped: SpawnFn = (command, args) =>
  spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, shell: false });

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Ends a child: SIGTERM, then SIGKILL after `graceMs`, and resolves once it has exited (or
 * one more grace period after SIGKILL, so a process stuck in the kernel cannot hang the
 * gate). Node reaps the exited child, so nothing is left as a zombie.
 *
 * Only the child itself is signalled: a wrapper command (`docker exec`, `ssh`) must pass
 * the signal on, or its own child outlives the gate.
 */
export function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const done = () => {
      for (const timer of timers) clearTimeout(timer);
      child.off('exit', done);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve();
    };
    if (hasExited(child) || child.pid === undefined) {
      done();
      return;
    }
    child.once('exit', done);
    child.kill('SIGTERM');
    timers.push(
      setTimeout(() => {
        child.kill('SIGKILL');
        timers.push(setTimeout(done, graceMs));
      }, graceMs),
    );
  });
}
