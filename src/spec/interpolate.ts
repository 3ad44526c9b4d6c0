import { ConfigError } from '../errors.js';

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** `${env:NAME}`: a value from the environment that is NOT a secret (a language, a region, a date). */
const PLAIN_VAR = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** True if `text` holds a `${VAR}` template (whose value is a secret). */
export function hasVariable(text: string): boolean {
  return new RegExp(VAR.source).test(text);
}

/**
 * Replaces `${VAR}` and `${env:VAR}` in every string of a parsed spec with the environment's value. Every
 * `${VAR}` value is a secret: it is returned in `secrets` so the redactor can hide it everywhere. A
 * `${env:VAR}` value is not: it appears in logs and the ledger, and the spec's fingerprint holds it.
 * An unset variable is a bad-input error naming the spec field.
 */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path = '',
  secrets: Set<string> = new Set(),
): { value: unknown; secrets: Set<string> } {
  if (typeof value === 'string') {
    const out = value.replace(PLAIN_VAR, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') throw new ConfigError(path || '(root)', `environment variable ${name} is not set`);
      return v;
    }).replace(VAR, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        throw new ConfigError(path || '(root)', `environment variable ${name} is not set`);
      }
      secrets.add(v);
      return v;
    });
    return { value: out, secrets };
  }
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => interpolate(v, env, `${path}[${i}]`, secrets).value), secrets };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = interpolate(v, env, path ? `${path}.${k}` : k, secrets).value;
    }
    return { value: out, secrets };
  }
  return { value, secrets };
}
