/**
 * What the gate reads of a GPU. Every figure is MiB or `null` when the source printed
 * something that is not a number (`N/A`, `[N/A]`, `Not Supported`, error text): unavailable
 * is never 0.
 */
export interface MemoryPair {
  totalMiB: number | null;
  usedMiB: number | null;
}

export interface FbMemory extends MemoryPair {
  reservedMiB: number | null;
}

export interface MigInstance {
  gpuInstanceId: number | null;
  computeInstanceId: number | null;
  fb: MemoryPair;
  bar1: MemoryPair;
}

export interface GpuProcess {
  pid: number | null;
  name: string | null;
  usedMiB: number | null;
  gpuInstanceId: number | null;
}

export interface GpuReading {
  /** Position in the document (nvidia-smi lists GPUs in bus order). */
  index: number;
  uuid: string | null;
  name: string | null;
  busId: string | null;
  fb: FbMemory;
  bar1: MemoryPair;
  /** `true` when MIG mode is enabled; the whole-GPU BAR1 is then a large constant. */
  migEnabled: boolean;
  mig: MigInstance[];
  processes: GpuProcess[];
}

/** One parsed nvidia-smi document (or one scrape of another source). */
export interface SmiSnapshot {
  kind: 'ok';
  timestamp: string | null;
  driverVersion: string | null;
  cudaVersion: string | null;
  gpus: GpuReading[];
}

/**
 * Outputs of a broken driver or a broken nvidia-smi, recognised and named. In the gate
 * these are `infra`, with `message` holding the raw line.
 */
export type SmiBrokenState =
  | 'no-devices' // "No devices were found"
  | 'nvml-init-failed' // "Failed to initialize NVML: ..."
  | 'gpu-lost' // "Unable to determine the device handle for GPU ...", "GPU is lost"
  | 'driver-mismatch' // "Failed to initialize NVML: Driver/library version mismatch"
  | 'truncated' // a document that stopped part way
  | 'garbage' // anything else that is not the format
  | 'missing' // the command could not be started, or the exporter URL could not be reached
  | 'timeout'; // no answer within the deadline: a hung nvidia-smi often means a lost GPU

export interface SmiBroken {
  kind: 'broken';
  state: SmiBrokenState;
  message: string;
}

export type SmiReading = SmiSnapshot | SmiBroken;

/** The phase of the gate a memory sample was taken in. */
export type Phase = 'baseline' | 'ready' | 'checks' | 'soak' | 'settle' | 'final';

/**
 * One sample the gate keeps: when, how many requests had completed, in which phase, and
 * what every GPU read. `tMs` counts from the gate's start.
 */
export interface MemorySample {
  tMs: number;
  requests: number;
  phase: Phase;
  gpus: GpuReading[];
}

/** A broken reading seen while sampling, kept with its time. */
export interface SamplerEvent {
  tMs: number;
  state: SmiBrokenState;
  message: string;
}

/** A source of GPU readings: nvidia-smi in loop mode, DCGM exporter, the simulator. */
export interface MemorySource {
  /** Reads once; used for the baseline before deploy and as a connectivity check. */
  readOnce(): Promise<SmiReading>;
  /** Starts continuous sampling; `onReading` is called for each document. */
  start(onReading: (reading: SmiReading) => void): void;
  /** Stops sampling and releases the child process or timer. */
  stop(): Promise<void>;
}
