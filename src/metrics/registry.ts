import type { HistogramSeries, Labels, MetricFamily, Sample } from './types.js';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A key for a label set that does not depend on the order the labels were given in. */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function checkLabels(labels: Labels): void {
  for (const k of Object.keys(labels)) if (!LABEL.test(k) || k === 'le') throw new TypeError(`invalid label name "${k}"`);
}

/** A counter or a gauge: one value per label set. */
export class Scalar {
  private readonly series = new Map<string, Sample>();
  constructor(
    readonly type: 'counter' | 'gauge',
    readonly name: string,
    readonly help: string,
  ) {}

  /** Adds `n` (a counter only ever goes up). */
  inc(labels: Labels = {}, n = 1): void {
    if (this.type === 'counter' && !(n >= 0)) throw new RangeError(`counter ${this.name}: cannot add ${n}`);
    this.sample(labels).value += n;
  }

  /** Sets the value: a gauge, or a counter that mirrors a total kept elsewhere (ExecutorStats). */
  set(labels: Labels, value: number): void {
    this.sample(labels).value = value;
  }

  family(): MetricFamily {
    return { type: this.type, name: this.name, help: this.help, series: [...this.series.values()].map((s) => ({ labels: { ...s.labels }, value: s.value })) };
  }

  private sample(labels: Labels): Sample {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) {
      checkLabels(labels);
      s = { labels: { ...labels }, value: 0 };
      this.series.set(key, s);
    }
    return s;
  }
}

/** A histogram with fixed upper bounds (the +Inf bucket is implicit). */
export class Histogram {
  private readonly series = new Map<string, HistogramSeries>();
  readonly bounds: number[];
  constructor(
    readonly name: string,
    readonly help: string,
    bounds: readonly number[],
  ) {
    if (!bounds.length || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]))) {
      throw new RangeError(`histogram ${name}: bounds must be finite and increasing`);
    }
    this.bounds = [...bounds];
  }

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) {
      checkLabels(labels);
      s = { labels: { ...labels }, counts: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  family(): MetricFamily {
    const series = [...this.series.values()].map((s) => ({ ...s, labels: { ...s.labels }, counts: [...s.counts] }));
    return { type: 'histogram', name: this.name, help: this.help, bounds: [...this.bounds], series };
  }
}

/** The metrics of one process, in registration order; `snapshot()` is plain data for the exposition. */
export class MetricsRegistry {
  private readonly metrics: (Scalar | Histogram)[] = [];

  counter(name: string, help: string): Scalar {
    return this.add(new Scalar('counter', name, help));
  }

  gauge(name: string, help: string): Scalar {
    return this.add(new Scalar('gauge', name, help));
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, bounds));
  }

  snapshot(): MetricFamily[] {
    return this.metrics.map((m) => m.family());
  }

  private add<T extends Scalar | Histogram>(metric: T): T {
    if (!NAME.test(metric.name)) throw new TypeError(`invalid metric name "${metric.name}"`);
    if (this.metrics.some((m) => m.name === metric.name)) throw new TypeError(`metric ${metric.name} is registered twice`);
    this.metrics.push(metric);
    return metric;
  }
}
