/**
 * Parses an RFC 8288 `Link` header into rel → URL (first wins):
 *   `<https://api/x?page=2>; rel="next", <https://api/x?page=9>; rel="last"` → { next: ..., last: ... }
 */
export function parseLinkHeader(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const m of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (!rel) continue;
    for (const name of rel[1].trim().toLowerCase().split(/\s+/)) out[name] ??= m[1];
  }
  return out;
}
