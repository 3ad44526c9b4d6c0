import type { Labels, MetricFamily } from './types.js';

/** The Content-Type of the Prometheus text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** HELP text: backslash and line feed are escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value: backslash, double quote and line feed are escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus spells it (+Inf, -Inf, NaN). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

function line(name: string, labels: Labels, value: number): string {
  return `${name}${formatLabels(labels)} ${formatValue(value)}`;
}

/**
 * Renders metric families in the Prometheus text exposition format (version 0.0.4): a HELP and a TYPE
 * line per family, then its samples; a histogram's buckets are cumulative, end with le="+Inf" (= _count),
 * and are followed by _sum and _count. Families of the same name are expected to be merged already.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type !== 'histogram') {
      for (const s of f.series) out.push(line(f.name, s.labels, s.value));
      continue;
    }
    for (const s of f.series) {
      let cumulative = 0;
      f.bounds.forEach((bound, i) => {
        cumulative += s.counts[i] ?? 0;
        out.push(line(`${f.name}_bucket`, { ...s.labels, le: formatValue(bound) }, cumulative));
      });
      out.push(line(`${f.name}_bucket`, { ...s.labels, le: '+Inf' }, s.count));
      out.push(line(`${f.name}_sum`, s.labels, s.sum));
      out.push(line(`${f.name}_count`, s.labels, s.count));
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
