import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { LedgerEntry } from './types.js';

/** Yields every ledger line of a run (optionally one executor), segment by segment, skipping torn lines. */
export async function* readLedger(store: Store, layout: Layout, executor?: number): AsyncGenerator<LedgerEntry> {
  for (const key of await store.list(layout.ledgerDir(executor))) {
    if (!key.endsWith('.jsonl')) continue;
    const bytes = await store.get(key);
    if (!bytes) continue;
    for (const line of Buffer.from(bytes).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        yield JSON.parse(line) as LedgerEntry;
      } catch {
        // a torn line cannot happen with atomic segments, but a hand-edited ledger should not stop status
      }
    }
  }
}
