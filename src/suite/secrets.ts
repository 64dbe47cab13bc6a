/**
 * Secrets of a suite come from environment variables the file names (`{env: NAME}`),
 * never from the file itself. This module swaps each reference for its value, collects
 * the values so they can be cut from anything shown, and refuses a literal credential
 * where a reference belongs.
 */
import { ENV_NAME } from './schema.js';

export type KeyPath = (string | number)[];

export interface SecretProblem {
  path: KeyPath;
  message: string;
}

/** Header names whose value is a credential: a literal one would sit in the repository. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
]);

/** A mapping whose only keys are `env` (and `prefix`) is a reference, wherever it is. */
export function isEnvRef(value: unknown): value is { env: unknown; prefix?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.includes('env') && keys.every((key) => key === 'env' || key === 'prefix');
}

export class SecretResolver {
  readonly values: string[] = [];
  readonly problems: SecretProblem[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Returns `value` with every reference inside it replaced by the variable's value. */
  resolve(value: unknown, path: KeyPath): unknown {
    if (isEnvRef(value)) return this.lookup(value, path);
    if (Array.isArray(value)) return value.map((item, i) => this.resolve(item, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolve(item, [...path, key])]),
      );
    }
    return value;
  }

  /** Headers as text, refusing a credential written into the file. */
  headers(value: Record<string, unknown> | undefined, path: KeyPath): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(value ?? {})) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase()) && typeof raw === 'string') {
        this.problems.push({
          path: [...path, name],
          message:
            `a ${name} header is a credential: do not write it in the file; ` +
            `use {env: NAME} (with prefix: "Bearer " if needed)`,
        });
        continue;
      }
      const resolved = this.resolve(raw, [...path, name]);
      out[name] = typeof resolved === 'string' ? resolved : String(resolved);
    }
    return out;
  }

  private lookup(ref: { env: unknown; prefix?: unknown }, path: KeyPath): string {
    const name = ref.env;
    if (typeof name !== 'string' || !ENV_NAME.test(name)) {
      this.problems.push({
        path: [...path, 'env'],
        message: 'env names an environment variable, such as GATEWAY_TOKEN',
      });
      return '';
    }
    if (ref.prefix !== undefined && typeof ref.prefix !== 'string') {
      this.problems.push({ path: [...path, 'prefix'], message: 'prefix is text' });
      return '';
    }
    const value = this.env[name];
    if (value === undefined || value === '') {
      // Actions gives an empty string for a secret a fork's pull request cannot see.
      this.problems.push({
        path,
        message:
          `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}; ` +
          `set it for the step (env: ${name}: \${{ secrets.${name} }})`,
      });
      return '';
    }
    this.values.push(value);
    return `${typeof ref.prefix === 'string' ? ref.prefix : ''}${value}`;
  }
}

/** Cuts every secret out of text that may have echoed one. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is cut whole.
  const sorted = [...new Set(secrets)]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
