/**
 * Every setting of the gate, once: the action's inputs (`with:`), the CLI's flags
 * (`--name`), their defaults and what they mean. action.yml and the README list the same
 * names; a test keeps action.yml in step with this list.
 */
export interface InputSpec {
  name: string;
  description: string;
  /** The default as the user would write it; absent = none. */
  default?: string;
  /** Masked in logs (`core.setSecret`) and never printed. */
  secret?: boolean;
  /** A CLI-only flag (no action input). */
  cliOnly?: boolean;
}

export const INPUTS: readonly InputSpec[] = [
  {
    name: 'config',
    description: 'Path of the candidate serving config (vLLM YAML, compose file or JSON).',
  },
  {
    name: 'deploy',
    description:
      'Shell command that deploys the candidate (e.g. `docker compose -f serving/compose.yml ' +
      'up -d`). If it keeps running it is the server itself; if it exits non-zero the deploy ' +
      'failed. Without `deploy` and `endpoint`, the built-in simulator is deployed.',
  },
  {
    name: 'teardown',
    description: 'Shell command that tears the deployment down; runs whatever happens.',
  },
  {
    name: 'endpoint',
    description:
      'Base URL of the engine; `http://127.0.0.1:8000` when a deploy command is given. ' +
      'With an endpoint and no deploy, the gate checks a server that is already running.',
  },
  {
    name: 'model',
    description: 'Model id to request; default: the first model the server lists.',
  },
  { name: 'api-key', description: 'API key sent as a Bearer token.', secret: true },
  {
    name: 'simulate',
    description:
      'Simulator scenario YAML to deploy instead of a real engine (used when `deploy` and ' +
      '`endpoint` are both unset; the built-in healthy scenario when this is unset too).',
  },
  {
    name: 'preflight',
    description:
      '`error`: a config that cannot fit on paper fails before deploy; `warn`: report only; ' +
      '`off`.',
    default: 'error',
  },
  {
    name: 'model-config',
    description:
      "The model's Hugging Face config.json for preflight; default: the runner's HF cache, " +
      'then a built-in table of common models.',
  },
  {
    name: 'ready-timeout',
    description: 'How long to wait for the first successful generate.',
    default: '10m',
  },
  {
    name: 'request-timeout',
    description: 'Deadline of each request of the checks and the soak.',
    default: '120s',
  },
  {
    name: 'soak-duration',
    description: 'Length of the sustained load; `0` skips it.',
    default: '5m',
  },
  { name: 'soak-concurrency', description: 'Requests in flight during the soak.', default: '4' },
  {
    name: 'long-context-tokens',
    description:
      'Prompt size of long-context requests; default: near the max context the server advertises.',
  },
  {
    name: 'long-request-share',
    description: 'Share of soak requests that are long-context (0 to 1).',
    default: '0.25',
  },
  {
    name: 'settle-duration',
    description: 'Idle time after the soak before the settled memory reading.',
    default: '30s',
  },
  {
    name: 'nvidia-smi',
    description: 'Command used to read the GPU (run without a shell).',
    default: 'nvidia-smi',
  },
  {
    name: 'memory-source',
    description: '`nvidia-smi`, or `dcgm:<url>` of a dcgm-exporter /metrics endpoint.',
    default: 'nvidia-smi',
  },
  { name: 'sample-interval', description: 'Time between GPU memory samples.', default: '1s' },
  {
    name: 'memory',
    description:
      '`required` (default): a memory figure that cannot be read fails the gate; `optional`.',
  },
  {
    name: 'max-bar1-growth',
    description:
      'Largest BAR1 growth retained after settle, from the post-warm-up baseline (default 512MiB).',
  },
  {
    name: 'max-fb-growth',
    description: 'Largest framebuffer growth retained after settle (default 1GiB).',
  },
  {
    name: 'exhaustion-horizon',
    description:
      "Fail when memory is projected to run out sooner than this at the soak's rate (default 24h).",
  },
  {
    name: 'memory-ceiling',
    description:
      "Share of a GPU's total that growth must never cross, e.g. `0.95` or `95%` (default 0.95).",
  },
  {
    name: 'warmup',
    description:
      'Soak requests (`10`) or time (`60s`) left out of the growth baseline (default: 10 requests and 60 s, whichever ends later).',
  },
  {
    name: 'report-dir',
    description: 'Folder for the results file (`serving-gate-results.json`).',
    default: 'serving-gate-report',
  },
  { name: 'teardown-timeout', description: 'Deadline of the teardown command.', default: '5m' },
];

export const OUTPUTS: readonly { name: string; description: string }[] = [
  { name: 'verdict', description: '`pass`, `fail` or `infra`.' },
  { name: 'reasons', description: 'JSON array of reasons, most important first.' },
  { name: 'bar1-growth-mib', description: 'Largest retained BAR1 growth of any GPU, MiB.' },
  { name: 'report', description: 'Path of the JSON results file.' },
];

/** Raw settings as text, keyed by input name; absent or empty = unset. */
export type RawInputs = Partial<Record<string, string>>;
