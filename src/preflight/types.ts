/** A value read from a config file, with where it stands so reports can point at it. */
export interface Located<T> {
  value: T;
  file: string;
  /** 1-based line number. */
  line: number;
  /** The key as the user wrote it (`max-model-len`, `--max-model-len`, `num_ctx`). */
  key: string;
}

export type EngineName = 'vllm' | 'sglang' | 'tgi' | 'llamacpp' | 'ollama' | 'openai';

export interface RopeScaling {
  type: string;
  factor: number | null;
  originalMaxPositionEmbeddings: number | null;
}

/** The forms a candidate config comes in. */
export type ConfigForm = 'vllm-yaml' | 'compose' | 'json' | 'ollama-modelfile';

/** What the gate needs to know of a candidate serving config, each value with its line. */
export interface ServingConfig {
  file: string;
  form: ConfigForm;
  engine: EngineName | null;
  model: Located<string> | null;
  maxContextTokens: Located<number> | null;
  ropeScaling: Located<RopeScaling> | null;
  kvCacheDtype: Located<string> | null;
  tensorParallelSize: Located<number> | null;
  gpuMemoryUtilization: Located<number> | null;
  maxNumSeqs: Located<number> | null;
  /** Compose only: the service that runs the engine. */
  service?: string;
  /** llama.cpp sets the V cache type apart (`-ctv`); when absent V uses `kvCacheDtype`. */
  kvCacheDtypeV?: Located<string> | null;
  /** Weights and activations dtype (`dtype: bfloat16`); `auto` or absent: the model's. */
  dtype?: Located<string> | null;
  /** On-the-fly or checkpoint quantisation named in the config (`quantization: fp8`). */
  quantization?: Located<string> | null;
  /**
   * Model config overrides given to the engine (vLLM `hf-overrides`, SGLang
   * `--json-model-override-args`), other than rope scaling, which has its own field.
   */
  modelOverrides?: Located<Record<string, unknown>> | null;
  /** Compose only: the image, and the engine version read from its tag when it is one. */
  image?: Located<string> | null;
  engineVersion?: string | null;
  /** Compose only: the service's environment, each variable with its line. */
  environment?: Record<string, Located<string>>;
  /** Where the engine was recognised (the image line, the command line). */
  engineSource?: Located<string> | null;
  /**
   * What the reader noticed but did not refuse: a flag it does not know in a compose
   * command, a setting it cannot judge. Preflight reports them as findings.
   */
  notes?: Finding[];
}

export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * One thing preflight found, in the user's terms, with the config line it is about.
 * `rule` is a stable id (`kv-exceeds-budget`, `rope-too-short`, ...).
 */
export interface Finding {
  rule: string;
  severity: FindingSeverity;
  message: string;
  file: string;
  /** 1-based; null when the finding concerns the file as a whole or a value it lacks. */
  line: number | null;
}
