import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * The one-line ConfigError for a zod issue: `<field>: <what was expected>`, the field being the issue's
 * dotted path (spec or Lambda event). `input` is what was parsed, to quote the bad value; a value that
 * holds one of `secrets` is never quoted.
 */
export function configErrorOf(issue: z.core.$ZodIssue, input: unknown, secrets: ReadonlySet<string> = new Set()): ConfigError {
  const field = issue.path.map(String).join('.') || '(root)';
  const given = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as any)[k as any] : undefined), input);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      return new ConfigError(field === '(root)' ? key : `${field}.${key}`, 'unknown field');
    }
    case 'invalid_type':
      return given === undefined
        ? new ConfigError(field, `required field is missing (expected ${issue.expected})`)
        : new ConfigError(field, `expected ${issue.expected}, got ${describe(given, secrets)}`);
    case 'invalid_union':
      return given === undefined
        ? new ConfigError(field, 'required field is missing')
        : new ConfigError(field, `unexpected value ${describe(given, secrets)}`);
    case 'too_big':
      if (issue.origin !== 'number') break;
      return new ConfigError(field, `expected at most ${issue.maximum}, got ${given}`);
    case 'too_small':
      if (issue.origin !== 'number') break;
      return new ConfigError(field, `expected ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, got ${given}`);
    case 'invalid_value':
      return new ConfigError(field, `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return new ConfigError(field, issue.message.replace(/^Invalid input: /, ''));
}

/** A short description of a bad value; a string that holds a secret is never echoed. */
function describe(v: unknown, secrets: ReadonlySet<string>): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    if ([...secrets].some((s) => v.includes(s))) return 'a string';
    return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  }
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${String(v)}`;
}
