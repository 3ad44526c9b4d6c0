import { Redactor } from './redact.js';

const known = new Set<string>();
let current = new Redactor([]);

/**
 * The process-wide redactor, for code that prints without knowing the spec (the CLI's last-resort error
 * handler). Every `${VAR}` value a spec in this process substituted is registered here, so it holds
 * the union of them; without any it still masks secret-looking query params and credentials.
 */
export function activeRedactor(): Redactor {
  return current;
}

/** Adds secret values to the process-wide redactor (called where `${VAR}` values are substituted). */
export function registerSecrets(values: Iterable<string>): void {
  const before = known.size;
  for (const v of values) if (v) known.add(v);
  if (known.size !== before) current = new Redactor(known);
}
