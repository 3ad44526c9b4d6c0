import type { ExecutorStats } from '../executor/stats.js';

/** The run as the progress bar shows it: sums over the executors' latest stats. */
export interface ProgressView {
  planned: number;
  /** Landed before this session (a resume): counted as done. */
  alreadyLanded: number;
  fetched: number;
  landed: number;
  records: number;
  retries: number;
  failed: number;
  elapsedMs: number;
}

/** Sums the executors' stats into one view. */
export function progressView(stats: Iterable<ExecutorStats>, elapsedMs: number): ProgressView {
  const v: ProgressView = { planned: 0, alreadyLanded: 0, fetched: 0, landed: 0, records: 0, retries: 0, failed: 0, elapsedMs };
  for (const s of stats) {
    v.planned += s.pagesPlanned;
    v.alreadyLanded += s.pagesAlreadyLanded;
    v.fetched += s.pagesFetched ?? 0;
    v.landed += s.pagesLanded;
    v.records += s.records;
    v.retries += s.retries;
    v.failed += s.pagesFailed;
  }
  return v;
}

/** Cells of the bar. */
const BAR_WIDTH = 30;

/** "1m05s", "42s", "2h03m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One line, never wider than `columns`: a two-tone bar (█ landed, ▒ fetched and waiting for its file,
 * ░ to do), the share landed, pages fetched and landed of the plan, records landed, the fetch rate of
 * this session, retries, failed pages, and the ETA at that rate. Pure: the caller gives the time.
 */
export function formatProgressLine(v: ProgressView, columns = 200): string {
  const total = Math.max(v.planned, 1);
  const done = Math.min(total, v.alreadyLanded + v.landed);
  const fetchedDone = Math.min(total, Math.max(done, v.alreadyLanded + v.fetched));
  const full = Math.floor((done / total) * BAR_WIDTH);
  const half = Math.floor((fetchedDone / total) * BAR_WIDTH) - full;
  const bar = '█'.repeat(full) + '▒'.repeat(half) + '░'.repeat(BAR_WIDTH - full - half);
  const seconds = v.elapsedMs / 1000;
  const rate = seconds > 0 ? v.fetched / seconds : 0;
  const left = v.planned - v.alreadyLanded - v.fetched - v.failed;
  const eta = v.planned === 0 ? '--' : left <= 0 ? '0s' : rate > 0 ? formatDuration(left / rate) : '--';
  const line =
    ` ${bar} ${Math.floor((done / total) * 100)}%` +
    ` | fetched ${v.alreadyLanded + v.fetched}/${v.planned} | landed ${done}/${v.planned} | ${v.records} records` +
    ` | ${rate.toFixed(1)} pages/s | ${v.retries} retries | ${v.failed} failed | ETA ${eta}`;
  return line.length > columns ? line.slice(0, Math.max(0, columns - 1)) : line;
}
