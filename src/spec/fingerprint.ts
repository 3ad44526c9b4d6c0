import { hasVariable } from './interpolate.js';
import type { RawSpec } from './schema.js';
import type { SpecFingerprint } from './types.js';

/** The spec fields that decide a run's page space and its records; a resume must not change any of them. */
export const FINGERPRINT_FIELDS = [
  'source.url',
  'source.params',
  'source.records',
  'pagination',
  'slices',
  'output.formats',
] as const;

/** Formats in one fixed order, so `[ndjson, parquet]` and `[parquet, ndjson]` are the same spec. */
const FORMAT_ORDER = ['parquet', 'ndjson'] as const;

/**
 * The fingerprint of a spec: its validated values (defaults applied, so writing a default out is no
 * change), except that a string written with `${VAR}` keeps its template. A secret never enters it and
 * a rotated secret does not change it.
 *
 * `validated` is the schema's output (interpolated); `asWritten` the same spec before interpolation.
 */
export function specFingerprint(validated: RawSpec, asWritten: unknown): SpecFingerprint {
  const spec = withTemplates(validated, asWritten) as RawSpec;
  const fields: Record<(typeof FINGERPRINT_FIELDS)[number], unknown> = {
    'source.url': spec.source.url,
    'source.params': Object.fromEntries(Object.entries(spec.source.params).map(([k, v]) => [k, String(v)])),
    'source.records': spec.source.records,
    pagination: pagination(spec.pagination),
    slices: spec.slices && slices(spec.slices),
    'output.formats': FORMAT_ORDER.filter((f) => spec.output.formats.includes(f)),
  };
  return JSON.parse(JSON.stringify(fields)) as SpecFingerprint; // plain JSON, as it reads back from plan.json
}

/** `validated`, with every string that was written as a `${VAR}` template put back as written. */
function withTemplates(validated: unknown, asWritten: unknown): unknown {
  if (typeof validated === 'string') {
    return typeof asWritten === 'string' && hasVariable(asWritten) ? asWritten : validated;
  }
  if (Array.isArray(validated)) {
    return validated.map((v, i) => withTemplates(v, Array.isArray(asWritten) ? asWritten[i] : undefined));
  }
  if (validated && typeof validated === 'object') {
    const written = asWritten && typeof asWritten === 'object' ? (asWritten as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(validated).map(([k, v]) => [k, withTemplates(v, written[k])]));
  }
  return validated;
}

/** The one style, all its fields with defaults; a link header name compared case-insensitively. */
function pagination(p: RawSpec['pagination']): RawSpec['pagination'] {
  if (p.link?.header) return { link: { ...p.link, header: p.link.header.toLowerCase() } };
  return p;
}

/** Listed values as the strings sent; date ranges as written. */
function slices(s: NonNullable<RawSpec['slices']>): Record<string, unknown> {
  if (s.values) return { param: s.param, values: s.values.map(String) };
  return { ...s, step: s.step ?? (s.param ? '1d' : undefined) };
}
