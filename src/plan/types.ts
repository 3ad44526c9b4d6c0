import type { Window } from './windows.js';
import type { SpecFingerprint } from '../spec/types.js';

/**
 * A run's plan, written once to `_pagefleet/<dataset>/run_id=<run>/plan.json` (create-once, so all
 * executors of a run share the same page space even if the API's totals move while they start).
 */
export interface Plan {
  /** 2 since plans carry `fingerprint`; a version-1 plan cannot be resumed (no spec to check against). */
  version: 1 | 2;
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
  /** Contiguous indexed plans: each executor's run ends in blocks halving down to this many pages (partition.ts). */
  block_tail?: number;
  /**
   * Slices: one block per slice (a chain, or its own page space discovered from its first page). `values`
   * names them ('' = a single chain without slices; windows are labelled `from..to`); `windows` holds the
   * root windows, which split themselves when a window announces more than `max_pages` pages.
   */
  slices?: {
    param: string | null;
    values: string[];
    windows?: { from_param: string; to_param: string; list: Window[]; max_pages?: number };
  };
  announced?: { records?: number; pages?: number };
  /** Indexed styles with slices: the first page id of every slice's page space. */
  first_page?: number;
  /** Records on the discovery page: every full page should have this many. */
  page_size?: number;
  /** The spec's fingerprint at planning time (version 2): a resume must present the same one. */
  fingerprint?: SpecFingerprint;
}
