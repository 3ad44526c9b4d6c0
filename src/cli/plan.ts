import { resolveIdentity, newRunId, safeRunId } from '../job/identity.js';
import { clientFor } from '../job/client.js';
import { lastEndFor } from '../job/last-run.js';
import { openStore } from '../landing/open-store.js';
import { Redactor } from '../http/redact.js';
import { createPagination } from '../pagination/create.js';
import { discover } from '../plan/discover.js';
import { blocksOf, pageCountOf, pagesOfBlock } from '../plan/partition.js';
import { loadSpec } from '../spec/load.js';
import { overridesFrom } from './flags.js';

/** `pagefleet plan JOB`: the plan as JSON, with each executor's share. Fetches only the discovery page, writes nothing. */
export async function plan(job: string, opts: { runId?: string; executors?: string; [k: string]: unknown }): Promise<number> {
  const spec = await loadSpec(job, overridesFrom(opts));
  const { count } = resolveIdentity({ executors: opts.executors });
  const redactor = new Redactor(spec.secrets);
  const client = clientFor(spec, count, redactor.fn);
  try {
    const runId = safeRunId(opts.runId ?? newRunId(new Date()));
    const lastEnd = spec.slices?.kind === 'windows' && spec.slices.from === 'last' ? await lastEndFor(spec, await openStore(spec.output.root, spec.output.s3)) : undefined;
    const { plan } = await discover(spec, createPagination(spec), client, { runId, executors: count, now: new Date(), lastEnd });
    const partitions = Array.from({ length: count }, (_, i) => {
      const blocks = blocksOf(plan, i);
      if (!plan.pages) return { executor: i, slices: blocks.map((s) => plan.slices!.values[s]) };
      const pages = pageCountOf(plan, i);
      return { executor: i, pages, blocks: blocks.length, first_page: blocks.length ? pagesOfBlock(plan, blocks[0])[0] : undefined };
    });
    process.stdout.write(JSON.stringify(redactor.redactValue({ ...plan, partitions }), null, 2) + '\n');
    return 0;
  } finally {
    await client.close();
  }
}
