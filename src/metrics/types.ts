/** Label names → values of one series. */
export type Labels = Record<string, string>;

/** One series of a counter or a gauge. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** One series of a histogram: per-bucket counts (not cumulative), in the order of the family's bounds. */
export interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

/** A metric family as plain data: what a registry snapshots, a child process sends, and the exposition renders. */
export type MetricFamily =
  | { type: 'counter' | 'gauge'; name: string; help: string; series: Sample[] }
  | { type: 'histogram'; name: string; help: string; bounds: number[]; series: HistogramSeries[] };
