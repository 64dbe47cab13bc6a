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

/** What the gate needs to know of a candidate serving config, each value with its line. */
export interface ServingConfig {
  file: string;
  form: 'vllm-yaml' | 'compose' | 'json';
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
}
