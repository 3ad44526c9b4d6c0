/** Reading record values safely, and their JSON text. */

/** JSON text of a value (`null` for undefined). Bigints, which JSON.parse never makes, become strings. */
export function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
  }
}

/** `obj[key]` if it is an own property, else undefined (never `Object.prototype` members). */
export function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
