import { DEFAULT_METRICS_HOST } from '../metrics/constants.js';
import { renderExposition } from '../metrics/exposition.js';
import { parseMetricsPort, serveMetrics, type MetricsEndpoint } from '../metrics/serve-metrics.js';
import type { MetricFamily } from '../metrics/types.js';

/** `--metrics-port P [--metrics-host H]`: serves `families()` on http://H:P/metrics; nothing without a port. */
export async function startMetricsEndpoint(
  port: string | undefined,
  host: string | undefined,
  families: () => MetricFamily[],
): Promise<MetricsEndpoint | undefined> {
  if (port === undefined) return undefined;
  return serveMetrics(host ?? DEFAULT_METRICS_HOST, parseMetricsPort(port), () => renderExposition(families()));
}
