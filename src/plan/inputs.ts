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
  /** An action-only input (how the action reports; no CLI flag, not part of the plan). */
  actionOnly?: boolean;
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
      'failed. `compose` deploys `compose-file` with docker compose and watches `service`. ' +
      'Without `deploy` and `endpoint`, the built-in simulator is deployed.',
  },
  {
    name: 'teardown',
    description: 'Shell command that tears the deployment down; runs whatever happens.',
  },
  {
    name: 'compose-file',
    description:
      'With `deploy: compose`: the compose file the gate brings up (`docker compose -f FILE ' +
      'up -d`) and tears down, given to docker as one argument, never through a shell.',
  },
  {
    name: 'service',
    description:
      'With `deploy: compose`: the service that runs the engine. Its container is watched ' +
      'for restarts, exits and OOM kills; any of them fails the gate.',
  },
  {
    name: 'compose-down-volumes',
    description:
      'With `deploy: compose`: `true` tears down with `down --volumes` (named volumes, such ' +
      'as a model cache, are removed too); `false` keeps them.',
    default: 'false',
  },
  {
    name: 'docker',
    description: 'Command that runs docker, for `deploy: compose` (run without a shell).',
    default: 'docker',
  },
  {
    name: 'suite',
    description:
      "Suite file (YAML) of the user's own checks: http, completion, chat and mcp-tool, run " +
      'once after the critical path or at an interval during the soak. Secrets come from ' +
      'environment variables the file names.',
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
    name: 'comment',
    description:
      '`always`, `on-failure` or `never`: one PR comment per gate and job, updated in place; ' +
      '`on-failure` updates an earlier comment on a pass but opens none.',
    default: 'on-failure',
    actionOnly: true,
  },
  {
    name: 'github-token',
    description: 'Token for the PR comment; needs `pull-requests: write`.',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, for the runner
    default: '${{ github.token }}',
    secret: true,
    actionOnly: true,
  },
  {
    name: 'engine',
    description:
      'The serving engine: `auto` (recognised from its endpoints, the config naming it ' +
      'breaks a tie), `vllm`, `sglang`, `tgi`, `llamacpp`, `ollama`, or `openai` for any ' +
      'other OpenAI-compatible server.',
    default: 'auto',
  },
  {
    name: 'logs',
    description:
      "Shell command that prints the engine's logs (e.g. `docker compose logs --no-color " +
      'vllm`); run before teardown, with a deadline, and scanned with the deploy output ' +
      'for fatal errors (CUDA errors, KV cache too small, out of memory).',
  },
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
  {
    name: 'bar1-growth-mib',
    description: 'Largest retained BAR1 growth of any GPU, MiB; empty when unmeasured.',
  },
  {
    name: 'bar1-slope-mib-per-hour',
    description: 'Largest BAR1 growth rate of any GPU, MiB per hour; empty when unmeasured.',
  },
  {
    name: 'projected-exhaustion-hours',
    description:
      'Soonest projected time for any GPU memory series to run out, hours; empty when none is ' +
      'projected.',
  },
  { name: 'junit', description: 'Path of the JUnit XML file, beside the results file.' },
  { name: 'report', description: 'Path of the JSON results file.' },
  {
    name: 'runner-dirty',
    description:
      '`true` when GPU memory did not return to its pre-deploy baseline after teardown: ' +
      'the next job on this runner should not blame its own change; `false` otherwise.',
  },
];

/** Raw settings as text, keyed by input name; absent or empty = unset. */
export type RawInputs = Partial<Record<string, string>>;
