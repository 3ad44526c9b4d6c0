const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** "30s", "500ms", "2m", "1h" or a number of seconds → milliseconds; undefined if not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/i.exec(value);
  return m ? Number(m[1]) * DURATION_UNITS[m[2].toLowerCase()] : undefined;
}

/** "64MiB", "1MB", "512KiB" or a number of bytes → bytes; undefined if not a size. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$/i.exec(value);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]);
  return bytes > 0 ? bytes : undefined;
}

/** "2024-01-01" + n days, as YYYY-MM-DD (UTC). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
