import { GateError } from '../errors.js';
import type { SpawnFn } from './child.js';
import { DcgmSource } from './dcgm-source.js';
import type { FetchFn } from './http-text.js';
import { NvidiaSmiSource } from './smi-sampler.js';
import type { MemorySource } from './types.js';

export interface MemorySourceOptions {
  /** The configured nvidia-smi command, already split into argv (see splitCommand). */
  nvidiaSmiArgv: string[];
  intervalMs: number;
  /** Deadline of one read: readOnce for nvidia-smi, each scrape for DCGM. */
  readTimeoutMs?: number;
  spawnFn?: SpawnFn;
  fetchFn?: FetchFn;
}

const VALID_FORMS = 'use nvidia-smi, or dcgm:<url> such as dcgm:http://127.0.0.1:9400/metrics';

/** The source named by the `memory-source` input: `nvidia-smi` or `dcgm:<url>`. */
export function createMemorySource(spec: string, options: MemorySourceOptions): MemorySource {
  const trimmed = spec.trim();
  if (trimmed === 'nvidia-smi') {
    return new NvidiaSmiSource({
      commandArgv: options.nvidiaSmiArgv,
      intervalMs: options.intervalMs,
      readTimeoutMs: options.readTimeoutMs,
      spawnFn: options.spawnFn,
    });
  }
  if (trimmed.startsWith('dcgm:')) {
    const url = trimmed.slice('dcgm:'.length);
    if (!isHttpUrl(url)) {
      throw new GateError(
        'usage',
        `memory-source: "${spec}" has no http(s) URL after dcgm:`,
        VALID_FORMS,
      );
    }
    return new DcgmSource({
      url,
      intervalMs: options.intervalMs,
      timeoutMs: options.readTimeoutMs,
      fetchFn: options.fetchFn,
    });
  }
  throw new GateError('usage', `memory-source: "${spec}" is not a memory source`, VALID_FORMS);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
