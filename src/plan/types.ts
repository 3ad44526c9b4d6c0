/**
 * A run's plan, written once to `_pagefleet/<dataset>/run_id=<run>/plan.json` (create-once, so all
 * executors of a run share the same page space even if the API's totals move while they start).
 */
export interface Plan {
  version: 2;
  dataset: string;
  run_id: string;
  created_at: string;
  /** All files of the run land under this ingest_date, so a resume lists exactly one folder per format. */
  ingest_date: string;
  executors: number;
  style: 'page' | 'offset' | 'cursor' | 'link';
  partitioning: 'contiguous' | 'stride';
  /** Indexed styles: the inclusive page id range (empty when last < first). */
  pages?: { first: number; last: number };
  /** Indexed styles: pages per block, the unit of claims and files (see partition.ts). */
  block_pages?: number;
  /** Chain styles: one chain per slice value ('' = a single chain without slices). */
  slices?: { param: string | null; values: string[] };
  announced?: { records?: number; pages?: number };
  /** Records on the discovery page: every full page should have this many. */
  page_size?: number;
}
