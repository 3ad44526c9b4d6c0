import type { ExecutorStats } from '../executor/stats.js';
import { FAILURES } from '../failure.js';
import type { AttemptReport, HttpObserver } from '../http/types.js';
import { LATENCY_BUCKETS_S } from './constants.js';
import { MetricsRegistry, type Histogram, type Scalar } from './registry.js';
import type { MetricFamily } from './types.js';

/** What the governor of an executor tells about its rate (rate-governor.ts). */
export interface RateView {
  /** Requests/s the governor allows now (lowered after a 429, recovering towards the share). */
  currentRate: number;
  /** The executor's share of limits.rate (requests/s). */
  share: number;
}

/** Counters mirrored from ExecutorStats: [metric name, help, the stats field it mirrors]. */
const FROM_STATS: [name: string, help: string, field: keyof ExecutorStats][] = [
  ['pagefleet_pages_fetched_total', 'Pages fetched by this session (response received, records extracted), landed or not yet', 'pagesFetched'],
  ['pagefleet_pages_landed_total', 'Pages this session landed in every format (their files committed)', 'pagesLanded'],
  ['pagefleet_pages_failed_total', 'Pages that failed in this session (retries exhausted, or an error that is not retried)', 'pagesFailed'],
  ['pagefleet_records_landed_total', 'Records of the pages this session landed', 'records'],
  ['pagefleet_landed_bytes_total', 'Bytes of the data files this session landed (all formats)', 'bytes'],
  ['pagefleet_files_landed_total', 'Data files this session landed (all formats)', 'files'],
];

/**
 * The Prometheus metrics of one executor. It is the HTTP client's observer (requests by status, retries
 * by error class, in-flight requests, latency) and reads the page counters from the executor's stats and
 * the rate from its governor when a snapshot is taken. Every series carries `executor="<index>"`, so the
 * series of N executors (N pods, or the children of a local run) never collide.
 */
export class ExecutorMetrics implements HttpObserver {
  private readonly registry = new MetricsRegistry();
  private readonly labels: { executor: string };
  private readonly requests: Scalar;
  private readonly retries: Scalar;
  private readonly inFlight: Scalar;
  private readonly latency: Histogram;
  private readonly fromStats: [Scalar, keyof ExecutorStats][];
  private readonly planned: Scalar;
  private readonly alreadyLanded: Scalar;
  private readonly rate: Scalar;
  private readonly share: Scalar;
  private stats: ExecutorStats | undefined;
  private active = 0;

  constructor(
    executor: number,
    private readonly rateView: () => RateView | undefined,
  ) {
    this.labels = { executor: String(executor) };
    const r = this.registry;
    this.planned = r.gauge('pagefleet_pages_planned', "Pages of the plan this executor owns (chains: pages discovered so far)");
    this.alreadyLanded = r.gauge('pagefleet_pages_already_landed', 'Pages of its partition that had landed before this session started');
    this.fromStats = FROM_STATS.map(([name, help, field]) => [r.counter(name, help), field]);
    this.requests = r.counter('pagefleet_http_requests_total', 'HTTP attempts by response status (code="none": no response, e.g. a reset or a timeout)');
    this.retries = r.counter('pagefleet_http_retries_total', 'Attempts that failed and were retried, by error class');
    this.inFlight = r.gauge('pagefleet_http_requests_in_flight', 'HTTP attempts sent and not yet ended');
    this.latency = r.histogram('pagefleet_http_request_duration_seconds', 'Duration of one HTTP attempt, from sending it to the end of its body', LATENCY_BUCKETS_S);
    this.rate = r.gauge('pagefleet_rate_limit_requests_per_second', 'Requests/s the rate governor allows now (halved after a 429, recovering towards the share)');
    this.share = r.gauge('pagefleet_rate_share_requests_per_second', "This executor's share of limits.rate (requests/s)");
    this.inFlight.set(this.labels, 0);
  }

  /** The stats object the page counters are read from (the executor's live one). */
  track(stats: ExecutorStats): void {
    this.stats = stats;
  }

  attemptStarted(): void {
    this.inFlight.set(this.labels, ++this.active);
  }

  attemptEnded(report: AttemptReport | undefined): void {
    this.inFlight.set(this.labels, --this.active);
    if (!report) return;
    this.requests.inc({ ...this.labels, code: report.httpStatus === undefined ? 'none' : String(report.httpStatus) });
    if (report.status === 'retrying') this.retries.inc({ ...this.labels, error_class: report.errorClass ? FAILURES[report.errorClass].ledger : 'UNKNOWN' });
    this.latency.observe(this.labels, report.durationMs / 1000);
  }

  /** The metrics now, as plain data (sent by a child to its parent, or rendered). */
  families(): MetricFamily[] {
    const s = this.stats;
    if (s) {
      this.planned.set(this.labels, s.pagesPlanned);
      this.alreadyLanded.set(this.labels, s.pagesAlreadyLanded);
      for (const [metric, field] of this.fromStats) metric.set(this.labels, Number(s[field]) || 0);
    }
    const rate = this.rateView();
    if (rate) {
      this.rate.set(this.labels, rate.currentRate);
      this.share.set(this.labels, rate.share);
    }
    return this.registry.snapshot();
  }
}
