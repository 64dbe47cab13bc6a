import type { TeardownResult, TeardownState } from './deployment.js';
import { runTeardown } from './deployment.js';
import { argvProblem, runArgv } from './run-argv.js';

/**
 * What the `post` step runs from the saved state when `main` did not finish: the compose
 * project's `down` (argv, no shell), then the user's teardown command. Never throws.
 */
export async function runSavedTeardown(
  state: TeardownState,
  options: { env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<TeardownResult> {
  const spawn = { cwd: state.cwd, env: options.env, timeoutMs: options.timeoutMs };
  let compose: TeardownResult | null = null;
  if (state.composeDown && state.composeDown.length > 0) {
    const result = await runArgv(state.composeDown, spawn);
    const problem = argvProblem(result, 'docker compose down', options.timeoutMs);
    compose = problem
      ? { ran: true, ok: false, message: problem }
      : { ran: true, ok: true, message: 'docker compose down finished' };
  }
  return combineTeardowns(compose, await runTeardown(state.teardown, spawn));
}

/** Compose's `down` and the user's teardown command as one result. */
export function combineTeardowns(
  compose: TeardownResult | null,
  command: TeardownResult,
): TeardownResult {
  if (!compose) return command;
  if (!command.ran) return compose;
  return {
    ran: true,
    ok: compose.ok && command.ok,
    message: `${compose.message}; ${command.message}`,
  };
}
