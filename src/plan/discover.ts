import { BodyError, ConfigError, PagefleetError, UnavailableError } from '../errors.js';
import type { HttpResponse } from '../http/types.js';
import { extractRecords } from '../pagination/body.js';
import type { PaginationStrategy } from '../pagination/types.js';
import type { JobSpec } from '../spec/types.js';
import { MAX_SLICES } from '../spec/normalize.js';
import { addDays } from '../spec/units.js';
import { defaultBlockPages, defaultBlockTail, sliceParamsOf } from './partition.js';
import { checkWindowIds, cutWindows } from './windows.js';
import type { Plan } from './types.js';

export interface DiscoveryClient {
  getJson(req: { url: string; headers: Record<string, string> }): Promise<HttpResponse>;
}

/**
 * Builds a run's plan from the spec and one discovery request (the first page), which also proves the
 * URL answers JSON with records at the configured path. Failures are bad input (exit 2) when the spec is
 * wrong (not JSON, no records at the path) and "unavailable" (exit 3) when the API cannot be used.
 */
export async function discover(
  spec: JobSpec,
  strategy: PaginationStrategy,
  client: DiscoveryClient,
  opts: { runId: string; executors: number; now: Date; lastEnd?: string },
): Promise<{ plan: Plan; sample: unknown[] }> {
  const plan: Plan = {
    version: 2,
    dataset: spec.dataset,
    run_id: opts.runId,
    created_at: opts.now.toISOString(),
    ingest_date: opts.now.toISOString().slice(0, 10),
    executors: opts.executors,
    style: spec.pagination.style,
    partitioning: spec.output.partitioning,
    fingerprint: spec.fingerprint,
  };
  if (spec.slices || strategy.kind === 'chain') plan.slices = planSlices(spec, opts);
  const slice = plan.slices ? sliceParamsOf(plan, 0) : {};
  const url = strategy.kind === 'indexed' ? strategy.url(strategy.first, slice) : strategy.firstUrl(slice);
  const res = await fetchDiscovery(client, url, spec.source.headers);
  let sample: unknown[];
  try {
    sample = extractRecords(res.body, spec.source.records);
  } catch (err) {
    if (err instanceof BodyError && err.spec) throw new ConfigError(err.spec.field, err.spec.expected);
    throw err;
  }
  if (strategy.kind === 'indexed') {
    plan.page_size = sample.length;
    // with slices, each slice's page space is discovered from its own first page, by the executor that takes it
    if (plan.slices) return { plan: { ...plan, first_page: strategy.first }, sample };
    const last = strategy.lastFromResponse(res, sample.length);
    if (last === undefined) {
      throw new ConfigError(
        `pagination.${spec.pagination.style}`,
        'the first page announced no total (check total_pages / total_results / total_header / link_last) and no end is set',
      );
    }
    plan.pages = { first: strategy.first, last };
    plan.block_pages = defaultBlockPages(last - strategy.first + 1, opts.executors);
    if (plan.partitioning === 'contiguous') plan.block_tail = defaultBlockTail(plan.block_pages);
    plan.announced = { records: strategy.announcedRecords(res), pages: Math.max(0, last - strategy.first + 1) };
  }
  return { plan, sample };
}

/**
 * The run's root slices. Windows are cut from `from` (a date, or where the last complete run ended less
 * the lookback) to `to` (default: today, UTC).
 */
function planSlices(spec: JobSpec, opts: { now: Date; lastEnd?: string }): NonNullable<Plan['slices']> {
  const s = spec.slices;
  if (!s) return { param: null, values: [''] };
  if (s.kind === 'values') return { param: s.param, values: s.values };
  let from = s.from;
  if (from === 'last') {
    if (!opts.lastEnd) throw new ConfigError('slices.from', `last: no complete run of dataset ${spec.dataset} to go on from; give the first run a date (--from YYYY-MM-DD)`);
    from = addDays(opts.lastEnd, 1 - s.lookbackDays);
  }
  const to = s.to ?? opts.now.toISOString().slice(0, 10);
  if (to < from) throw new ConfigError('slices.to', `the window is empty: from ${from} is after to ${to} (the last complete run ended ${opts.lastEnd ?? to})`);
  const list = cutWindows(from, to, s.stepDays);
  if (list.length > MAX_SLICES) throw new ConfigError('slices', `expected at most ${MAX_SLICES} windows, got ${list.length}: use a larger step`);
  checkWindowIds(list);
  return {
    param: null,
    values: list.map((w) => `${w.from}..${w.to}`),
    windows: { from_param: s.fromParam, to_param: s.toParam, list, ...(s.maxPages ? { max_pages: s.maxPages } : {}) },
  };
}

async function fetchDiscovery(client: DiscoveryClient, url: string, headers: Record<string, string>): Promise<HttpResponse> {
  try {
    return await client.getJson({ url, headers });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof PagefleetError && err.failure === 'BAD_BODY') throw new ConfigError('source.url', `expected a JSON response (${message})`, { cause: err });
    if (err instanceof ConfigError) throw err;
    throw new UnavailableError(`source.url: the API cannot be used (${message})`, { cause: err });
  }
}
