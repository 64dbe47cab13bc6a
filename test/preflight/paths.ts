import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A fixture of this folder: `configs/compose-tgi.yml`, `hf/deepseek-v3/config.json`. */
export function fixture(relativePath: string): string {
  return resolve(HERE, 'fixtures', relativePath);
}

/** A file of the repository's examples/. */
export function example(name: string): string {
  return resolve(HERE, '../../examples', name);
}

export function hfConfig(model: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixture(`hf/${model}/config.json`), 'utf8'));
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
