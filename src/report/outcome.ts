import type { RunStatus } from '../ledger/status.js';

/**
 * The run's outcome in one line, from `pagefleet status`'s own result: COMPLETE or INCOMPLETE is its
 * `complete` flag, and the reasons are its counts, failure classes and problems, never rules of our own.
 */
export function outcomeLine(st: RunStatus): string {
  const t = st.totals;
  if (st.complete) {
    return `COMPLETE: all ${count(t.planned)} pages landed in every format, ${count(st.records)} records`;
  }
  const why: string[] = [];
  if (t.failed || t.missing) {
    const classes = Object.entries(st.failures)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([k, v]) => `${k}: ${v}`);
    why.push(`${count(t.failed)} failed, ${count(t.missing)} missing of ${count(t.planned)} pages${classes.length ? ` (${classes.join(', ')})` : ''}`);
  }
  if (st.problems.length) {
    why.push(`${st.problems.length} ${st.problems.length === 1 ? 'problem' : 'problems'}: ${st.problems[0]}${st.problems.length > 1 ? ' …' : ''}`);
  }
  return `INCOMPLETE: ${why.join('; ') || 'see pagefleet status'}`;
}

/** 12345 → "12,345" (the same on every machine, whatever its locale). */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
