/**
 * Runs the whole gate (runGate with a Plan from buildPlan) against a simulator flavour, as
 * the action does, with a soak of two seconds: long enough for a few long prefills and a
 * health probe each second, short enough to run every engine's cases in under a minute.
 */
import { join, resolve } from 'node:path';
import type { EngineName } from '../../src/checks/engine-profile.js';
import { runGate } from '../../src/gate/run-gate.js';
import { silentLogger } from '../../src/log.js';
import type { RawInputs } from '../../src/plan/inputs.js';
import { buildPlan } from '../../src/plan/plan.js';
import type { GateResults } from '../../src/report/results.js';
import type { Reason } from '../../src/verdict/types.js';

export const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'test/engines/fixtures');

export const fixture = (name: string) => join(FIXTURES, name);

/** The candidate config of each engine's cases: a 2,048-token context, as the scenarios. */
export const CONFIGS: Record<EngineName, string> = {
  vllm: fixture('configs/vllm.yaml'),
  sglang: fixture('configs/sglang-compose.yml'),
  tgi: fixture('configs/tgi-compose.yml'),
  llamacpp: fixture('configs/llamacpp-compose.yml'),
  ollama: fixture('configs/Modelfile'),
  // a gateway's config is the engine's behind it
  openai: fixture('configs/vllm.yaml'),
};

/**
 * GPU readings come from the fake nvidia-smi (plain Node, the H100 fixture) rather than the
 * simulator's stand-in, which starts through tsx twice per run: the engines' cases are about
 * what the engine says, and this halves the CPU a run costs on a 2-core runner.
 */
const FAKE_SMI = join(REPO, 'test/memory/fixtures/fake-nvidia-smi.mjs');

const QUICK: RawInputs = {
  'nvidia-smi': `${process.execPath} ${FAKE_SMI}`,
  'soak-duration': '2s',
  'soak-concurrency': '2',
  'long-request-share': '0.5',
  'settle-duration': '500ms',
  'sample-interval': '200ms',
  warmup: '2',
  'request-timeout': '15s',
  'ready-timeout': '30s',
  // the configs name made-up models: nothing to judge on paper
  preflight: 'off',
};

export async function gateOn(scenario: string, inputs: RawInputs = {}): Promise<GateResults> {
  const plan = buildPlan({ simulate: fixture(scenario), ...QUICK, ...inputs }, REPO);
  return runGate(plan, {
    logger: silentLogger,
    env: process.env,
    selfCommand: [process.execPath, '--import', 'tsx', join(REPO, 'src/cli/index.ts')],
    saveState: () => {},
  });
}

export function reason(results: GateResults, rule: string, text?: RegExp): Reason | undefined {
  return results.reasons.find((r) => r.rule === rule && (!text || text.test(r.message)));
}

/** Rule and check name of every failing reason, for a readable assertion message. */
export function summary(results: GateResults): string {
  return results.reasons.map((r) => `${r.severity} ${r.rule}: ${r.message}`).join('\n');
}

/** Long enough for a gate run on a busy 2-core runner; no assertion depends on it. */
export const GATE_TIMEOUT_MS = 90_000;
