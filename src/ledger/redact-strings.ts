/**
 * A deep copy of `value` with `redact` applied to every string value (in objects and arrays, at any
 * depth); keys, numbers, booleans and null are kept as they are. Redacting values before
 * `JSON.stringify`, not the JSON text after it, is what keeps a ledger line valid JSON whatever the
 * secret is: a one-character secret such as `a` or `"` would otherwise eat keys, quotes and escapes.
 *
 * Stand-in until `Redactor.redactValue` exists; it does the same for the ledger.
 */
export function redactStrings<T>(value: T, redact: (text: string) => string): T {
  return mapStrings(value, redact) as T;
}

function mapStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, redact)]));
  }
  return value;
}
