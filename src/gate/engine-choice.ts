/**
 * Which engine profile the gate speaks: the one the `engine` setting names, or with `auto`
 * the one the endpoint shows (the config's engine breaks a tie). Waiting for an engine to
 * answer at all is part of getting ready, so detection shares the ready deadline.
 */
import type { EngineName, EngineProfile } from '../checks/engine-profile.js';
import { detectEngine } from '../checks/engines/detect.js';
import { profileFor } from '../checks/engines/index.js';
import type { EngineClient } from '../checks/http.js';
import type { EngineSetting } from '../plan/plan.js';
import type { Reason } from '../verdict/types.js';

export interface EngineChoice {
  profile: EngineProfile;
  /** One line for the log: how the engine was chosen. */
  detail: string;
  /** False when nothing answered as an engine in time and a fallback profile was taken. */
  recognised: boolean;
  reasons: Reason[];
}

export interface ChooseEngineOptions {
  setting: EngineSetting;
  /** The engine the candidate config is written for, if it was recognised. */
  hint: EngineName | null;
  client: EngineClient;
  timeoutMs: number;
  isDead: () => string | null;
  onAttempt?: (attempt: number, why: string) => void;
}

/** The profile used when nothing answered in time: readiness then says why. */
const FALLBACK: EngineName = 'vllm';

export async function chooseEngine(options: ChooseEngineOptions): Promise<EngineChoice> {
  if (options.setting !== 'auto') {
    const profile = profileFor(options.setting);
    return { profile, detail: `engine ${profile.label} (set)`, recognised: true, reasons: [] };
  }

  const detection = await detectEngine({
    client: options.client,
    hint: options.hint,
    timeoutMs: options.timeoutMs,
    isDead: options.isDead,
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });
  if (detection.engine === null) {
    const profile = profileFor(options.hint ?? FALLBACK);
    return {
      profile,
      detail: `engine not recognised (${detection.detail}); trying ${profile.label}`,
      recognised: false,
      reasons: [],
    };
  }

  const profile = profileFor(detection.engine);
  const reasons: Reason[] = [];
  // A server that names no engine may be the config's engine behind a gateway: no conflict.
  const named = detection.engine !== 'openai';
  if (options.hint !== null && options.hint !== detection.engine && named) {
    reasons.push({
      rule: 'engine-mismatch',
      severity: 'warn',
      message:
        `The config is written for ${profileFor(options.hint).label}, but the endpoint answers as ` +
        `${profile.label} (${detection.detail}); the gate checked it as ${profile.label}. ` +
        'Set engine to say which.',
    });
  }
  return {
    profile,
    detail: `engine ${profile.label}: ${detection.detail}`,
    recognised: true,
    reasons,
  };
}
