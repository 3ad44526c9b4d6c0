/** Upper bound of a row group, in JSON bytes of its records (unit: bytes). */
export const ROW_GROUP_JSON_BYTES = 16 * 1024 * 1024;
/** Upper bound of a row group, in rows. */
export const ROW_GROUP_MAX_ROWS = 100_000;

/**
 * Cuts pages (of `count` records) into consecutive row groups of whole pages, each at most `ROW_GROUP_JSON_BYTES`
 * (estimated from `bytesPerRecord`) and `ROW_GROUP_MAX_ROWS` rows; a larger page is a group alone.
 */
export function rowGroups<P extends { count: number }>(pages: readonly P[], bytesPerRecord: number): P[][] {
  const maxRows = Math.max(1, Math.min(ROW_GROUP_MAX_ROWS, Math.floor(ROW_GROUP_JSON_BYTES / Math.max(1, bytesPerRecord))));
  const groups: P[][] = [];
  let current: P[] = [];
  let rows = 0;
  for (const p of pages) {
    if (rows > 0 && rows + p.count > maxRows) {
      groups.push(current);
      current = [];
      rows = 0;
    }
    current.push(p);
    rows += p.count;
  }
  if (current.length) groups.push(current);
  return groups;
}
