import type { Scenario } from '../scenario/schema.js';

/**
 * The context a simulated engine really holds per request, and the one it shows. They part
 * when the scenario says the configured context was not applied (`faults.contextLimit`), or
 * for llama.cpp, whose `--ctx-size` (`maxModelLen`) is shared among its `slots`.
 */

/** Tokens one request may hold: prompt and output together. */
export function servedContext(scenario: Scenario): number {
  const perSlot =
    scenario.engine === 'llamacpp'
      ? Math.floor(scenario.maxModelLen / scenario.slots)
      : scenario.maxModelLen;
  return Math.min(perSlot, scenario.faults.contextLimit?.tokens ?? Number.POSITIVE_INFINITY);
}

/** What the engine's model list or info route says the context is. */
export function advertisedContext(scenario: Scenario): number {
  const limit = scenario.faults.contextLimit;
  return limit?.advertise === 'configured' ? scenario.maxModelLen : servedContext(scenario);
}

/** What the engine does with a prompt that does not fit: its own way unless the scenario says. */
export function overflowOf(scenario: Scenario, own: 'refuse' | 'truncate'): 'refuse' | 'truncate' {
  return scenario.faults.contextLimit?.overflow ?? own;
}
