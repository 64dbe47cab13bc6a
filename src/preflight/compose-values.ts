import { GateError } from '../errors.js';
import type { YNode } from './located-yaml.js';
import type { Located } from './types.js';

/** A compose service's `environment`, a map or a list of `KEY=value`, each with its line. */
export function readEnvironment(
  file: string,
  node: YNode,
  service: string,
  vars: Record<string, string>,
): Record<string, Located<string>> {
  const env: Record<string, Located<string>> = {};
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      const v = entry.value;
      // `VAR:` with no value passes the host's variable through: unknown here.
      if (v.kind !== 'scalar' || v.value === null) continue;
      env[entry.key] = {
        value: interpolate(String(v.value), vars),
        file,
        line: entry.keyLine,
        key: entry.key,
      };
    }
    return env;
  }
  if (node.kind === 'seq') {
    for (const item of node.items) {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
      const eq = item.value.indexOf('=');
      if (eq <= 0) continue;
      const key = item.value.slice(0, eq);
      env[key] = { value: interpolate(item.value.slice(eq + 1), vars), file, line: item.line, key };
    }
    return env;
  }
  throw new GateError(
    'config',
    `${file}:${node.line}: environment of ${service} is neither a map nor a list`,
    'write environment as KEY: value lines or as a list of KEY=value',
  );
}

/**
 * Compose's variable substitution, reduced to what can be known without the host:
 * `${VAR:-default}` and `${VAR-default}` take the default unless `vars` has VAR, `${VAR}`
 * and `$VAR` take `vars` or stay as written, `$$` is a dollar sign.
 */
export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, colon?: string, fallback?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const value = vars[name];
      if (fallback !== undefined) {
        if (value === undefined || (colon === ':' && value === '')) return fallback;
        return value;
      }
      return value ?? match;
    },
  );
}
