/** The throughput benchmark's markdown table: medians over runs, ratios, and the exactly-once verdict. */
import type { Case, Sample } from './throughput-cases.js';

export interface CaseResult {
  case: Case;
  samples: Sample[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** True when every output of every run holds `expected` records, all with distinct ids. */
export function exactlyOnce(samples: readonly Sample[], expected: number): boolean {
  return samples.every((s) => s.readBack.length > 0 && s.readBack.every((r) => r.count === expected && r.distinct === expected));
}

export function throughputTable(results: readonly CaseResult[], pages: number, expectedRecords: number): string {
  const pps = (r: CaseResult) => median(r.samples.map((s) => s.pagesPerS));
  const seed = results.find((r) => r.case.gzipLevel === undefined);
  const bareAt = (level: number | undefined) => results.find((r) => level !== undefined && r.case.isBareAt === level);
  const rows = results.map((r) => {
    const m = (f: (s: Sample) => number) => median(r.samples.map(f));
    const bare = r.case.isBareAt === undefined ? bareAt(r.case.gzipLevel) : undefined;
    const loops = r.samples.map((s) => s.maxEventLoopBlockMs).filter((x): x is number => x !== undefined);
    const verdict = exactlyOnce(r.samples, expectedRecords)
      ? `yes (${r.samples.length}/${r.samples.length} runs)`
      : `**NO**: ${r.samples.map((s) => s.readBack.map((b) => `${b.output} ${b.count}/${b.distinct}`).join(', ')).join('; ')}`;
    return [
      r.case.name,
      pps(r).toFixed(0),
      `${Math.min(...r.samples.map((s) => s.pagesPerS)).toFixed(0)}–${Math.max(...r.samples.map((s) => s.pagesPerS)).toFixed(0)}`,
      seed ? `${(pps(r) / pps(seed)).toFixed(2)}×` : '',
      bare ? `${((100 * pps(r)) / pps(bare)).toFixed(0)}% (gzip ${bare.case.isBareAt})` : '',
      m((s) => s.maxRssMiB).toFixed(0),
      ((1000 * m((s) => s.cpuS)) / pages).toFixed(2),
      `${m((s) => s.maxRequestGapMs).toFixed(0)} / ${loops.length ? median(loops).toFixed(0) : 'n/a'}`,
      verdict,
    ];
  });
  const head = [
    'case',
    'pages/s (median)',
    'range',
    '× seed',
    'of bare, same gzip',
    'peak RSS MiB (largest process)',
    'CPU-s / 1,000 pages',
    'longest stall ms: request gap / event loop',
    `exactly once (count = distinct = ${expectedRecords.toLocaleString('en-US')})`,
  ];
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
