/**
 * The options of `vllm serve`, by long flag name, as a `--config` YAML file takes them.
 * Gathered from vLLM's engine-argument and server-argument documentation across the 0.6 to
 * 0.11 releases, removed ones included (a config for an older image is still valid for
 * that image). Only the options preflight reads or that are easy to get wrong carry a type;
 * the rest are `any`: known, accepted, not checked.
 *
 * Known shortcoming: a flag added by a vLLM release newer than this list reads as unknown
 * and the config is refused; the message says so, and the list needs the flag added.
 */
export type VllmKeyType =
  | 'string'
  | 'int'
  | 'number'
  | 'fraction'
  | 'bool'
  | 'json'
  | 'strings'
  | 'tokens'
  | 'any';

const TYPED: Record<string, VllmKeyType> = {
  model: 'string',
  tokenizer: 'string',
  'served-model-name': 'strings',
  host: 'string',
  port: 'int',
  'api-key': 'strings',
  dtype: 'string',
  'kv-cache-dtype': 'string',
  quantization: 'string',
  'max-model-len': 'tokens',
  'tensor-parallel-size': 'int',
  'pipeline-parallel-size': 'int',
  'data-parallel-size': 'int',
  'gpu-memory-utilization': 'fraction',
  'max-num-seqs': 'int',
  'max-num-batched-tokens': 'tokens',
  'block-size': 'int',
  seed: 'int',
  'swap-space': 'number',
  'cpu-offload-gb': 'number',
  'rope-theta': 'number',
  'hf-overrides': 'json',
  'rope-scaling': 'json',
  'compilation-config': 'json',
  'speculative-config': 'json',
  'kv-transfer-config': 'json',
  'limit-mm-per-prompt': 'json',
  'mm-processor-kwargs': 'json',
  'override-generation-config': 'json',
  'model-loader-extra-config': 'json',
  'additional-config': 'json',
  'enable-prefix-caching': 'bool',
  'enable-chunked-prefill': 'bool',
  'trust-remote-code': 'bool',
  'enforce-eager': 'bool',
  'disable-log-stats': 'bool',
  'disable-log-requests': 'bool',
  'enable-log-requests': 'bool',
  'disable-sliding-window': 'bool',
  'disable-custom-all-reduce': 'bool',
  'enable-lora': 'bool',
  'enable-auto-tool-choice': 'bool',
  'enable-expert-parallel': 'bool',
  'enable-reasoning': 'bool',
  'enable-sleep-mode': 'bool',
  'enable-prompt-tokens-details': 'bool',
  'enable-server-load-tracking': 'bool',
  'enable-force-include-usage': 'bool',
  'enable-request-id-headers': 'bool',
  'enable-log-outputs': 'bool',
  'enable-eplb': 'bool',
  'enable-dbo': 'bool',
  'enable-lora-bias': 'bool',
  'enable-ssl-refresh': 'bool',
  'enable-tokenizer-info-endpoint': 'bool',
  'enable-chunked-mm-input': 'bool',
  'enable-multimodal-encoder-data-parallel': 'bool',
  'disable-cascade-attn': 'bool',
  'disable-frontend-multiprocessing': 'bool',
  'disable-fastapi-docs': 'bool',
  'disable-uvicorn-access-log': 'bool',
  'disable-async-output-proc': 'bool',
  'disable-mm-preprocessor-cache': 'bool',
  'disable-chunked-mm-input': 'bool',
  'skip-tokenizer-init': 'bool',
  'fully-sharded-loras': 'bool',
  'calculate-kv-scales': 'bool',
  'async-scheduling': 'bool',
  'allow-credentials': 'bool',
  'return-tokens-as-token-ids': 'bool',
  'ray-workers-use-nsight': 'bool',
  'use-v2-block-manager': 'bool',
  'worker-use-ray': 'bool',
  'multi-step-stream-outputs': 'bool',
  headless: 'bool',
  'kv-sharing-fast-prefill': 'bool',
  'use-tqdm-on-load': 'bool',
  'exclude-tools-when-tool-choice-none': 'bool',
  'log-error-stack': 'bool',
  'data-parallel-hybrid-lb': 'bool',
  'data-parallel-external-lb': 'bool',
};

const UNTYPED = `
task runner convert hf-config-path revision code-revision tokenizer-revision tokenizer-mode
allowed-local-media-path allowed-media-domains download-dir load-format config-format
guided-decoding-backend guided-decoding-disable-fallback guided-decoding-disable-any-whitespace
guided-decoding-disable-additional-properties structured-outputs-config reasoning-parser
reasoning-parser-plugin logits-processor-pattern logits-processors model-impl
distributed-executor-backend data-parallel-size-local data-parallel-address
data-parallel-rpc-port data-parallel-backend data-parallel-rank data-parallel-start-rank
eplb-config expert-placement-strategy num-redundant-experts eplb-window-size
eplb-step-interval eplb-log-balancedness max-parallel-loading-workers prefix-caching-hash-algo
num-lookahead-slots kv-cache-memory kv-cache-memory-bytes num-gpu-blocks-override
max-num-partial-prefills max-long-partial-prefills long-prefill-token-threshold max-logprobs
logprobs-mode quantization-param-path hf-token max-context-len-to-capture
max-seq-len-to-capture max-cudagraph-capture-size cuda-graph-sizes tokenizer-pool-size
tokenizer-pool-type tokenizer-pool-extra-config mm-processor-cache-gb mm-processor-cache-type
mm-encoder-tp-mode media-io-kwargs interleave-mm-strings skip-mm-profiling max-loras
max-lora-rank lora-extra-vocab-size lora-dtype long-lora-scaling-factors max-cpu-loras
default-mm-loras enable-prompt-adapter max-prompt-adapters max-prompt-adapter-token device
num-scheduler-steps scheduler-delay-factor speculative-model num-speculative-tokens
speculative-draft-tensor-parallel-size speculative-max-model-len
speculative-disable-by-batch-size ngram-prompt-lookup-max ngram-prompt-lookup-min
spec-decoding-acceptance-method typical-acceptance-sampler-posterior-threshold
typical-acceptance-sampler-posterior-alpha disable-logprobs-during-spec-decoding
ignore-patterns preemption-mode qlora-adapter-name-or-path show-hidden-metrics-for-version
otlp-traces-endpoint collect-detailed-traces scheduling-policy scheduler-cls
override-neuron-config override-pooler-config pooler-config kv-events-config worker-cls
worker-extension-cls generation-config safetensors-load-strategy cuda-graph-mode
override-attention-dtype uds uvicorn-log-level allowed-origins allowed-methods
allowed-headers lora-modules prompt-adapters chat-template chat-template-content-format
response-role ssl-keyfile ssl-certfile ssl-ca-certs ssl-cert-reqs root-path middleware
tool-call-parser tool-parser-plugin tool-server log-config-file max-log-len
h11-max-incomplete-event-size h11-max-header-count api-server-count config
enable-mfu-metrics numa-bind numa-node mamba-cache-dtype mamba-ssm-cache-dtype
tokens-only enable-return-routed-experts attention-backend
`;

export const VLLM_KEYS: ReadonlyMap<string, VllmKeyType> = new Map([
  ...Object.entries(TYPED),
  ...UNTYPED.split(/\s+/)
    .filter(Boolean)
    .map((name): [string, VllmKeyType] => [name, 'any']),
]);

/** Short flags `vllm serve` takes, by their long names. */
export const VLLM_SHORT_FLAGS: Record<string, string> = {
  '-tp': 'tensor-parallel-size',
  '-pp': 'pipeline-parallel-size',
  '-dp': 'data-parallel-size',
  '-q': 'quantization',
  '-O': 'compilation-config',
};

/** Values vLLM accepts for `dtype`. */
export const VLLM_DTYPES = ['auto', 'half', 'float16', 'bfloat16', 'float', 'float32'];

/** The known key nearest to an unknown one, to suggest; null when none is close. */
export function nearestKey(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const key of VLLM_KEYS.keys()) {
    const d = editDistance(name, key);
    if (d < bestDistance) {
      best = key;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
