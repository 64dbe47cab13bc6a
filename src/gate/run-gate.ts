import { relative } from 'node:path';
import { analyzeMemory } from '../analysis/analyze.js';
import type { MemoryAnalysis } from '../analysis/types.js';
import type { EngineProfile } from '../checks/engine-profile.js';
import { createEngineClient } from '../checks/http.js';
import { waitForReady } from '../checks/readiness.js';
import type { CheckResult } from '../checks/types.js';
import { Deployment, runTeardown, type TeardownState } from '../deploy/deployment.js';
import { combineTeardowns } from '../deploy/saved-teardown.js';
import { GateError } from '../errors.js';
import type { Logger } from '../log.js';
import { createMemorySource } from '../memory/source.js';
import type { MemorySource } from '../memory/types.js';
import type { Plan } from '../plan/plan.js';
import { locateConfigKey } from '../preflight/locate-key.js';
import { readServingConfig } from '../preflight/read-config.js';
import { type GateResults, type RunnerView, SCHEMA_VERSION } from '../report/results.js';
import { loadScenarioFile } from '../sim/scenario/load.js';
import {
  type EngineMetricsRecord,
  type EngineWatch,
  startEngineWatch,
} from '../soak/engine-watch.js';
import { judgeKvCache } from '../soak/kv-judge.js';
import { formatDuration } from '../units.js';
import { checkReasons, decideVerdict } from '../verdict/decide.js';
import type { Reason } from '../verdict/types.js';
import { VERSION } from '../version.js';
import { type ComposeEnd, ComposeRun, replaceDeathReasons } from './compose-run.js';
import { chooseEngine } from './engine-choice.js';
import { engineLogReasons } from './engine-logs.js';
import { locateMemory, samplerReasons } from './gate-reasons.js';
import { criticalPhase, preflightPhase, settlePhase } from './phases.js';
import { MemoryRecorder } from './recorder.js';
import { checkRunner, runnerReasons } from './runner-hygiene.js';
import { simulatorEndpoint, simulatorLaunch } from './simulator.js';
import { runSoakPhase, type SoakOutcome } from './soak-phase.js';
import { loadGateSuite, runSuiteOnce, startSuiteSoak } from './suite-phase.js';

export interface GateContext {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** argv that runs this tool's CLI (the simulator is started through it). */
  selfCommand: string[];
  /** Where the `post` step finds what to tear down. */
  saveState: (state: TeardownState) => void;
  /** Hides a secret from every later log line (the action's `core.setSecret`). */
  maskSecret?: (value: string) => void;
}

const SIMULATOR_START_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/**
 * The whole gate: plan in, results out. Knows nothing of action inputs or CLI flags.
 * Teardown runs whatever happens; the verdict is a pure function of what the stages found.
 */
export async function runGate(plan: Plan, ctx: GateContext): Promise<GateResults> {
  const { logger } = ctx;
  const startedAt = new Date();
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  const reasons: Reason[] = [];
  const checks: CheckResult[] = [];
  const recorder = new MemoryRecorder(since);

  const configLabel = plan.configPath
    ? relative(plan.cwd, plan.configPath) || plan.configPath
    : null;
  const config =
    plan.configPath && configLabel
      ? readServingConfig(plan.configPath, { displayName: configLabel })
      : null;
  const locate = (key: string | undefined) => (config && key ? locateConfigKey(config, key) : {});
  if (config) {
    logger.info(
      `config ${configLabel}: ${config.engine ?? 'unknown engine'}, ` +
        `model ${config.model?.value ?? 'not set'}, ` +
        `max context ${config.maxContextTokens?.value ?? 'not set'}`,
    );
  }

  // A suite file with errors stops the run here, before any GPU time, with file and line.
  const suite = loadGateSuite(plan, ctx.env);
  for (const secret of new Set(suite?.secrets ?? [])) ctx.maskSecret?.(secret);
  const suiteChecks: CheckResult[] = [];

  // A scenario with a typo is the user's input error (exit 2, file:line), not a broken
  // runner: read it here, before the stand-in nvidia-smi would trip over it.
  if (plan.deploy.kind === 'simulator' && plan.deploy.scenario) {
    loadScenarioFile(plan.deploy.scenario);
  }
  const sim =
    plan.deploy.kind === 'simulator'
      ? simulatorLaunch(
          ctx.selfCommand,
          plan.deploy.scenario,
          config?.maxContextTokens?.value ?? null,
        )
      : null;
  const smiArgv = sim && plan.nvidiaSmi.join(' ') === 'nvidia-smi' ? sim.smiArgv : plan.nvidiaSmi;
  const source: MemorySource = createMemorySource(plan.memorySource, {
    nvidiaSmiArgv: smiArgv,
    intervalMs: plan.sampleIntervalMs,
  });

  let deployment: Deployment | null = null;
  let endpoint = plan.endpoint;
  // The config's `model` is what vLLM loads; requests name what it serves (which
  // `served-model-name` may change), so the model comes from the input or the server.
  let model = plan.model;
  let readyMs: number | null = null;
  let soak: SoakOutcome | null = null;
  let profile: EngineProfile | null = null;
  let engineWatch: EngineWatch | null = null;
  let engineMetrics: EngineMetricsRecord | null = null;
  let settleStartMs: number | null = null;
  let teardown = { ran: false, ok: true, message: 'nothing deployed' };
  let compose: ComposeRun | null = null;
  let composeEnd: ComposeEnd | null = null;
  let runner: RunnerView | null = null;
  const isDead = () => deployment?.deadReason() ?? compose?.deadReason() ?? null;

  // Before any GPU time is spent: can the GPU be read at all?
  logger.startGroup('GPU baseline');
  const baseline = await source.readOnce();
  recorder.record(baseline);
  logger.endGroup();

  const preflight =
    config && baseline.kind === 'ok' && plan.preflight !== 'off'
      ? preflightPhase(plan, config, baseline, ctx, reasons)
      : null;
  const refused = reasons.some((r) => r.rule === 'preflight' && r.severity === 'fail');

  if (baseline.kind === 'broken') {
    reasons.push({
      rule: 'gpu-unreadable',
      severity: 'infra',
      message:
        `GPU memory could not be read before deploy (${baseline.state}): ${baseline.message}. ` +
        'The runner is at fault, not the candidate; nothing was deployed.',
    });
  } else if (refused) {
    logger.info('preflight refused the config: nothing was deployed');
  } else {
    logger.info(
      baseline.gpus
        .map(
          (g) =>
            `GPU ${g.index} ${g.name ?? ''}: FB ${g.fb.usedMiB ?? 'n/a'}/` +
            `${g.fb.totalMiB ?? 'n/a'} MiB, BAR1 ${g.bar1.usedMiB ?? 'n/a'}/${g.bar1.totalMiB ?? 'n/a'} MiB`,
        )
        .join('\n') || 'no GPU listed',
    );
    try {
      logger.startGroup('Deploy');
      const spawnOptions = { cwd: plan.cwd, env: deployEnv(ctx.env, plan, configLabel) };
      if (plan.deploy.kind === 'command') {
        deployment = Deployment.start(plan.deploy.command, spawnOptions);
      } else if (sim) {
        deployment = Deployment.spawn(sim.serverArgv, spawnOptions);
      } else if (plan.deploy.kind === 'compose') {
        compose = new ComposeRun({
          spec: plan.deploy,
          docker: plan.docker,
          ...spawnOptions,
          intervalMs: plan.sampleIntervalMs,
          now: () => recorder.now(),
        });
      }
      ctx.saveState({
        pid: deployment?.pid ?? null,
        teardown: plan.teardown,
        cwd: plan.cwd,
        tornDown: false,
        ...(compose ? { composeDown: compose.downArgv() } : {}),
      });
      await compose?.start(plan.readyTimeoutMs);
      if (sim && deployment) endpoint = await simulatorEndpoint(deployment, SIMULATOR_START_MS);
      logger.info(`endpoint ${endpoint}`);
      logger.endGroup();

      source.start((reading) => recorder.record(reading));
      const client = createEngineClient({
        baseUrl: endpoint!,
        apiKey: plan.apiKey ?? undefined,
        timeoutMs: plan.requestTimeoutMs,
      });

      logger.startGroup('Ready');
      recorder.phase = 'ready';
      const readyStarted = performance.now();
      const choice = await chooseEngine({
        setting: plan.engine,
        hint: config?.engine ?? null,
        client,
        timeoutMs: plan.readyTimeoutMs,
        isDead,
        onAttempt: (attempt, why) =>
          logger.debug(`engine not recognised (attempt ${attempt}): ${why}`),
      });
      profile = choice.profile;
      reasons.push(...choice.reasons);
      logger.info(choice.detail);
      const ready = await waitForReady({
        client,
        profile,
        model: model ?? undefined,
        timeoutMs: Math.max(1000, plan.readyTimeoutMs - (performance.now() - readyStarted)),
        isDead,
        generateTimeoutMs: plan.requestTimeoutMs,
        onAttempt: (attempt, problem) => logger.debug(`not ready (attempt ${attempt}): ${problem}`),
      });
      logger.info(ready.detail);
      logger.endGroup();

      if (ready.outcome !== 'ready') {
        reasons.push({
          rule: ready.outcome === 'dead' ? 'deployment-died' : 'not-ready',
          severity: 'fail',
          message:
            ready.outcome === 'dead'
              ? `The deployment died before it served a generate: ${ready.detail}`
              : `No successful generate within ${formatDuration(plan.readyTimeoutMs)}: ` +
                // Detection may have spent the wait; then its probes say what stood in the way.
                (choice.recognised ? ready.detail : `${choice.detail}; ${ready.detail}`),
        });
      } else {
        readyMs = Math.round(performance.now() - readyStarted);
        model = model ?? ready.model;
        if (profile.paths.metrics) {
          engineWatch = startEngineWatch({
            url: `${client.displayUrl}${profile.paths.metrics}`,
            intervalMs: Math.max(500, plan.sampleIntervalMs),
            now: () => recorder.now(),
            phase: () => recorder.phase,
          });
        }
        const path = await criticalPhase(plan, client, profile, model, config, recorder, logger);
        checks.push(...path.checks);
        model = model ?? path.model;
        const suiteDeps = { endpoint: endpoint!, apiKey: plan.apiKey, model };
        if (suite) suiteChecks.push(...(await runSuiteOnce(suite, suiteDeps, recorder, logger)));
        const suiteSoak = suite ? startSuiteSoak(suite, suiteDeps, recorder, logger) : null;

        soak = await runSoakPhase(
          plan,
          client,
          model,
          path.advertisedMaxContext ?? config?.maxContextTokens?.value ?? null,
          path.calibration,
          recorder,
          logger,
          profile,
        );
        reasons.push(...(soak?.reasons ?? []));
        const noSoak = soak ? undefined : 'the soak was skipped (soak-duration 0)';
        suiteChecks.push(...((await suiteSoak?.stop(noSoak)) ?? []));

        settleStartMs = Math.round(since());
        checks.push(await settlePhase(plan, client, profile, model, recorder, engineWatch, logger));
      }
    } catch (error) {
      if (!(error instanceof GateError)) throw error;
      reasons.push({ rule: 'deploy-failed', severity: 'fail', message: error.message });
    } finally {
      logger.startGroup('Teardown');
      await source.stop();
      engineMetrics = (await engineWatch?.stop()) ?? null;
      composeEnd = (await compose?.finish(plan.teardownTimeoutMs)) ?? null;
      if (composeEnd) replaceDeathReasons(reasons, composeEnd.reasons);
      reasons.push(
        ...(await engineLogReasons({
          command: plan.logsCommand,
          deployTail: deployment?.logTail() ?? composeEnd?.logTail ?? [],
          spawn: { cwd: plan.cwd, env: deployEnv(ctx.env, plan, configLabel) },
        })),
      );
      const dead = deployment?.deadReason() ?? null;
      const known = reasons.some((r) => r.rule === 'deployment-died' || r.rule === 'deploy-failed');
      if (dead && !known) {
        reasons.push({
          rule: 'deployment-died',
          severity: 'fail',
          message: `The deployment died: ${dead}`,
        });
      }
      await deployment?.stop(STOP_GRACE_MS);
      teardown = await runTeardown(plan.teardown, {
        cwd: plan.cwd,
        env: deployEnv(ctx.env, plan, configLabel),
        timeoutMs: plan.teardownTimeoutMs,
      });
      if (!deployment && !plan.teardown)
        teardown = { ran: false, ok: true, message: 'nothing deployed' };
      if (composeEnd) teardown = combineTeardowns(composeEnd.teardown, teardown);
      ctx.saveState({ pid: null, teardown: null, cwd: plan.cwd, tornDown: true });
      logger.info(teardown.message);
      if (!teardown.ok) {
        reasons.push({ rule: 'teardown-failed', severity: 'warn', message: teardown.message });
      }
      // Only a run that deployed something can leave the runner dirty: a server the user
      // runs themselves (endpoint alone) is still up, by design.
      if (plan.deploy.kind !== 'none') {
        runner = await checkRunner(() => source.readOnce(), baseline);
        logger.info(runner.message);
        reasons.push(...runnerReasons(runner));
      }
      logger.endGroup();
    }
  }

  reasons.push(...checkReasons(checks, locate));
  // The suite's own count: "10 of 11 checks passed" is about the checks the user wrote.
  reasons.push(...checkReasons(suiteChecks, locate));
  reasons.push(...samplerReasons(recorder));
  reasons.push(
    ...judgeKvCache({
      record: engineMetrics,
      engineLabel: profile?.label ?? 'the engine',
      expectsGauge: profile?.name === 'vllm' || profile?.name === 'sglang',
      soakEndMs: soak?.summary.endMs ?? settleStartMs,
    }),
  );
  // Memory is judged only once the engine served: before that there is nothing to judge,
  // and the reasons above already say why.
  const memory: MemoryAnalysis | null =
    readyMs !== null ? analyzeMemory(recorder.samples, plan.memoryPolicy) : null;
  if (memory) reasons.push(...memory.reasons.map((r) => ({ ...r, ...locateMemory(r, locate) })));

  const decided = decideVerdict(reasons);
  const finishedAt = new Date();
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'serving-gate', version: VERSION },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(since()),
    config: configLabel,
    endpoint,
    model,
    engine: profile?.name ?? config?.engine ?? null,
    engineMetrics,
    verdict: decided.verdict,
    reasons: decided.reasons,
    checks: [...checks, ...suiteChecks],
    deploy: {
      kind: plan.deploy.kind,
      readyMs,
      logTail:
        decided.verdict === 'pass'
          ? []
          : (deployment?.logTail() ?? composeEnd?.logTail ?? []).slice(-100),
      ...(composeEnd ? { container: composeEnd.container } : {}),
    },
    soak: soak?.summary ?? null,
    settle: { startMs: settleStartMs, durationMs: plan.settleMs },
    memory: {
      source: plan.memorySource,
      verdict: memory ? memory.verdict : baseline.kind === 'broken' ? 'unmeasured' : 'skipped',
      samples: recorder.samples,
      events: recorder.events,
      series: memory?.series ?? [],
    },
    teardown: { ran: teardown.ran, ok: teardown.ok, message: teardown.message },
    preflight,
    ...(suite ? { suite: { file: suite.file, checks: suite.checks.map((c) => c.name) } } : {}),
    ...(runner ? { runner } : {}),
  };
}

/**
 * What the deploy and teardown commands get to know: as environment variables, never as
 * text spliced into their command lines.
 */
function deployEnv(env: NodeJS.ProcessEnv, plan: Plan, config: string | null): NodeJS.ProcessEnv {
  return {
    ...env,
    SERVING_GATE_CONFIG: config ?? '',
    SERVING_GATE_ENDPOINT: plan.endpoint ?? '',
  };
}
