import type { GeneratePlan, RunningRequest } from './engine.js';
import { sleep } from './sleep.js';

/**
 * A request's life in simulated time, as events a flavour turns into its wire format:
 * prefill (proportional to the prompt), then tokens one by one (streams) or all at once
 * (plain responses), or the error the plan holds.
 */

export type GenerationEvent =
  | { kind: 'token'; text: string }
  | { kind: 'error'; message: string }
  | { kind: 'done'; finishReason: GeneratePlan['finishReason'] };

export async function* generationEvents(
  request: RunningRequest,
  options: { streaming: boolean; signal: AbortSignal },
): AsyncGenerator<GenerationEvent> {
  const { plan } = request;
  const { signal } = options;

  await sleep(plan.prefillMs, signal);
  if (signal.aborted) return;
  if (plan.failure !== null) {
    yield { kind: 'error', message: plan.failure };
    return;
  }

  if (!options.streaming) {
    await sleep(plan.decodeMsPerToken * plan.tokens.length, signal);
    if (signal.aborted) return;
    for (const text of plan.tokens) yield { kind: 'token', text };
    yield { kind: 'done', finishReason: plan.finishReason };
    return;
  }

  for (let i = 0; i < plan.tokens.length; i++) {
    if (plan.streamError && i === plan.streamError.afterTokens) {
      yield { kind: 'error', message: plan.streamError.message };
      return;
    }
    await sleep(plan.decodeMsPerToken, signal);
    if (signal.aborted) return;
    yield { kind: 'token', text: plan.tokens[i]! };
  }
  if (plan.streamError) {
    yield { kind: 'error', message: plan.streamError.message };
    return;
  }
  yield { kind: 'done', finishReason: plan.finishReason };
}
