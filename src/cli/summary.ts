import type { RunStatus } from '../ledger/status.js';

export interface RunSummary {
  status: RunStatus;
  exit_code: number;
  elapsed_s: number;
  /** Pages fetched and landed by this session (a resume counts only its own). */
  pages_fetched: number;
  pages_per_s: number;
  retries: number;
  warnings: number;
  /** Pages whose records held a secret the API echoed (kept as sent; each has a ledger warning). */
  secret_echoes: number;
  landing: string;
  data_paths: string[];
}

/** The one-screen end-of-run summary. */
export function formatSummary(s: RunSummary): string {
  const st = s.status;
  const t = st.totals;
  const lines = [
    '',
    `pagefleet run ${st.run_id} (dataset ${st.dataset}): ${st.complete ? 'COMPLETE' : 'INCOMPLETE'}`,
    `  pages    ${t.landed} landed, ${t.failed} failed, ${t.missing} missing of ${t.planned}`,
    `  records  ${st.records}${st.announced_records !== undefined ? ` (API announced ${st.announced_records})` : ''}`,
    `  session  ${s.pages_fetched} pages in ${s.elapsed_s.toFixed(1)} s (${s.pages_per_s.toFixed(1)} pages/s), ${s.retries} retries, ${s.warnings} warnings`,
  ];
  for (const e of st.executors) {
    lines.push(`  executor ${e.executor}: ${e.landed} landed, ${e.failed} failed, ${e.missing} missing${e.taken ? `, took ${e.taken} pages from others` : ''}`);
  }
  if (s.secret_echoes) {
    lines.push(`  secrets  the API echoed a secret into the records of ${s.secret_echoes} pages: the data holds it as sent (see the ledger warnings)`);
  }
  const failures = Object.entries(st.failures);
  if (failures.length) lines.push(`  failures ${failures.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  for (const p of st.problems) lines.push(`  problem  ${p}`);
  for (const n of st.notes ?? []) lines.push(`  note     ${n}`);
  if (st.problems.length) lines.push('  repair   pagefleet status JOB --run-id ' + st.run_id + ' --repair, then resume');
  lines.push(`  landing  ${s.landing}`);
  for (const p of s.data_paths) lines.push(`  data     ${p}`);
  if (!st.complete) lines.push(`  resume   run the same command with --run-id ${st.run_id}`);
  return lines.join('\n') + '\n';
}
