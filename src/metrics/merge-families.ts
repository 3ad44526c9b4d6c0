import type { MetricFamily } from './types.js';

/**
 * Merges the families of several sources (the executors of a local run, each with its own `executor`
 * label) into one list: a family's series are concatenated under one HELP/TYPE, in first-seen order.
 * Sources must not share a series (same labels); their labels keep them apart.
 */
export function mergeFamilies(sources: readonly (readonly MetricFamily[])[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const families of sources) {
    for (const f of families) {
      const seen = byName.get(f.name);
      if (!seen) byName.set(f.name, structuredClone(f));
      else if (seen.type === 'histogram' && f.type === 'histogram') seen.series.push(...structuredClone(f.series));
      else if (seen.type !== 'histogram' && f.type !== 'histogram') seen.series.push(...f.series.map((s) => ({ ...s, labels: { ...s.labels } })));
    }
  }
  return [...byName.values()];
}
