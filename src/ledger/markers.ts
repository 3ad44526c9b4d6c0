import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { CommitEntry, LandedMarker } from './block-log.js';
import type { RunIndex } from './landed-index.js';

/** The landed marker of a commit (block-log.ts): the entry, with where it belongs. */
export function markerOf(layout: Layout, block: number, entry: CommitEntry): LandedMarker {
  return { ...entry, run_id: layout.runId, block };
}

/** Writes a commit's landed marker (create-once: a marker never changes once readers may have seen it). */
export async function writeMarker(store: Store, layout: Layout, block: number, entry: CommitEntry): Promise<void> {
  await store.put(layout.landedMarker(entry.format, entry.file), JSON.stringify(markerOf(layout, block, entry)), { ifAbsent: true });
}

/** The run's landed markers per format (keys). */
export async function listMarkers(store: Store, layout: Layout, formats: Format[]): Promise<Set<string>> {
  const keys = await Promise.all(formats.map((f) => store.list(`${layout.landedDir(f)}/run_id=${layout.runId}`)));
  return new Set(keys.flat());
}

/**
 * Markers that should exist and do not (a crash between a file and its marker: readers would never see the
 * file), and markers that should not exist (their commit was voided, or never counted).
 */
export function markerFindings(layout: Layout, index: RunIndex, markers: Set<string>): { missing: (CommitEntry & { block: number })[]; stray: string[] } {
  const expected = new Map(index.commits.map((c) => [layout.landedMarker(c.format, c.file), c] as const));
  return {
    missing: [...expected].filter(([key]) => !markers.has(key)).map(([, c]) => c),
    stray: [...markers].filter((key) => !expected.has(key)),
  };
}
