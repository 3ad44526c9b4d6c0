import type { SpecFingerprint } from './types.js';

/** One spec field whose value differs between the plan and the spec now; undefined = not set. */
export interface FieldChange {
  field: string;
  planned: unknown;
  now: unknown;
}

/** Longest value shown in a change (characters). */
const MAX_SHOWN = 60;

/**
 * The fields that differ, down to the leaf that changed (`pagination.page.end`, `source.params.limit`),
 * in the order of the current spec, then fields only the plan has. Values compare as JSON, key order
 * ignored.
 */
export function fingerprintChanges(planned: SpecFingerprint, now: SpecFingerprint): FieldChange[] {
  return changesIn(planned, now, '');
}

function changesIn(planned: Record<string, unknown>, now: Record<string, unknown>, prefix: string): FieldChange[] {
  const keys = [...new Set([...Object.keys(now), ...Object.keys(planned)])];
  return keys.flatMap((key) => {
    const field = prefix + key;
    const [a, b] = [planned[key], now[key]];
    if (isMapping(a) && isMapping(b)) return changesIn(a, b, `${field}.`);
    return canonical(a) === canonical(b) ? [] : [{ field, planned: a, now: b }];
  });
}

/** `pagination.page.end: 60 → (unset)`, values as JSON, long ones cut. */
export function describeChange(c: FieldChange): string {
  return `${c.field}: ${shown(c.planned)} → ${shown(c.now)}`;
}

function shown(v: unknown): string {
  if (v === undefined) return '(unset)';
  const text = JSON.stringify(v);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so two equal values always give the same text. */
function canonical(v: unknown): string | undefined {
  return JSON.stringify(v, (_, x) =>
    isMapping(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  );
}
