import { isPlainObject } from './observe.js';
import { isProvenanceColumn, PROVENANCE_COLUMNS } from './provenance.js';
import { dateToIsoMicros } from './timestamp.js';
import type { Provenance } from './types.js';

/** `,"_pf_run_id":…,"_pf_page":…,"_pf_fetched_at":"…"}`: the tail shared by every line of a page. */
export function provenanceTail(prov: Provenance): string {
  if (!Number.isSafeInteger(prov.page)) throw new TypeError(`page must be an integer, got ${prov.page}`);
  return `,"_pf_run_id":${JSON.stringify(prov.runId)},"_pf_page":${prov.page},"_pf_fetched_at":"${dateToIsoMicros(prov.fetchedAt)}"}`;
}

/**
 * One NDJSON line (without newline): the record's JSON text with the provenance fields appended. A
 * non-object record becomes `{"value":…}`; a record's own provenance-named fields are replaced.
 */
export function ndjsonLine(record: unknown, tail: string): string {
  if (!isPlainObject(record)) return `{"value":${JSON.stringify(record) ?? 'null'}${tail}`;
  const text = JSON.stringify(hasProvenanceField(record) ? withoutProvenance(record) : record);
  return text.length === 2 ? `{${tail.slice(1)}` : text.slice(0, -1) + tail;
}

/**
 * The NDJSON line of a record from the API's own text of it (record-texts.ts): that text with the provenance
 * fields appended, line breaks between its tokens made spaces (a JSON string holds none raw). Falls back to
 * `ndjsonLine` where the text would not say what the parsed record says: no text, not an object, a
 * provenance-named field (replaced), or a key given twice (`members` counts more than the object has).
 */
export function ndjsonLineOf(record: unknown, text: string | undefined, members: number | undefined, tail: string): string {
  if (text === undefined || !isPlainObject(record) || hasProvenanceField(record) || members !== ownKeyCount(record)) return ndjsonLine(record, tail);
  if (members === 0) return `{${tail.slice(1)}`;
  const flat = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, ' ') : text;
  return flat.slice(0, -1) + tail;
}

/** Own enumerable keys of a parsed JSON object (it inherits none). */
function ownKeyCount(record: Record<string, unknown>): number {
  let n = 0;
  for (const _ in record) n++;
  return n;
}

function hasProvenanceField(record: Record<string, unknown>): boolean {
  return PROVENANCE_COLUMNS.some((c) => Object.hasOwn(record, c));
}

function withoutProvenance(record: Record<string, unknown>): Record<string, unknown> {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) if (!isProvenanceColumn(k)) copy[k] = v;
  return copy;
}
