import { BodyError, ConfigError, PagefleetError, UnavailableError } from '../errors.js';
import type { HttpResponse } from '../http/types.js';
import { extractRecords } from '../pagination/body.js';
import type { PaginationStrategy } from '../pagination/types.js';
import type { JobSpec } from '../spec/types.js';
import { defaultBlockPages } from './partition.js';
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
  opts: { runId: string; executors: number; now: Date },
): Promise<{ plan: Plan; sample: unknown[] }> {
  const url = strategy.kind === 'indexed' ? strategy.url(strategy.first) : strategy.firstUrl(firstSlice(spec));
  const res = await fetchDiscovery(client, url, spec.source.headers);
  let sample: unknown[];
  try {
    sample = extractRecords(res.body, spec.source.records);
  } catch (err) {
    if (err instanceof BodyError) throw new ConfigError('source.records', err.message.replace(/^source\.records: /, ''));
    throw err;
  }
  const plan: Plan = {
    version: 2,
    dataset: spec.dataset,
    run_id: opts.runId,
    created_at: opts.now.toISOString(),
    ingest_date: opts.now.toISOString().slice(0, 10),
    executors: opts.executors,
    style: spec.pagination.style,
    partitioning: spec.output.partitioning,
  };
  if (strategy.kind === 'indexed') {
    const last = strategy.lastFromResponse(res, sample.length);
    if (last === undefined) {
      throw new ConfigError(
        `pagination.${spec.pagination.style}`,
        'the first page announced no total (check total_pages / total_results / total_header / link_last) and no end is set',
      );
    }
    plan.pages = { first: strategy.first, last };
    plan.page_size = sample.length;
    plan.block_pages = defaultBlockPages(last - strategy.first + 1, opts.executors);
    plan.announced = { records: strategy.announcedRecords(res), pages: Math.max(0, last - strategy.first + 1) };
  } else {
    plan.slices = spec.slices ? { param: spec.slices.param, values: spec.slices.values } : { param: null, values: [''] };
  }
  return { plan, sample };
}

function firstSlice(spec: JobSpec): { param: string; value: string } | undefined {
  return spec.slices ? { param: spec.slices.param, value: spec.slices.values[0] } : undefined;
}

async function fetchDiscovery(client: DiscoveryClient, url: string, headers: Record<string, string>): Promise<HttpResponse> {
  try {
    return await client.getJson({ url, headers });
  } catch (err) {
    const errorClass = (err as { errorClass?: string }).errorClass;
    const message = err instanceof Error ? err.message : String(err);
    if (errorClass === 'BAD_BODY') throw new ConfigError('source.url', `expected a JSON response (${message})`, { cause: err });
    if (err instanceof PagefleetError && err.code === 'PF_ERR_CONFIG') throw err;
    throw new UnavailableError(`source.url: the API cannot be used (${message})`, { cause: err });
  }
}
