import { duration } from './aggregate.js';
import { barChart } from './bar-chart.js';
import { escapeHtml as esc } from './escape.js';
import { lineChart } from './line-chart.js';
import { count } from './outcome.js';
import { byteTicks } from './svg-axes.js';
import { sessionTimeline } from './timeline-chart.js';
import type { ReportData } from './types.js';

/**
 * The run report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched (a
 * Content-Security-Policy forbids it), so it opens the same from a disk, a mail or an Airflow log.
 * Pure: data in, text out; every string from the data is escaped.
 */
export function renderReportHtml(d: ReportData): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pagefleet run ${esc(d.runId)} (${esc(d.dataset)}): ${d.complete ? 'COMPLETE' : 'INCOMPLETE'}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>pagefleet run <code>${esc(d.runId)}</code> <span class="dataset">dataset ${esc(d.dataset)}</span></h1>
<p id="outcome" class="outcome ${d.complete ? 'complete' : 'incomplete'}">${esc(d.outcome)}</p>
<dl class="meta">
<dt>API</dt><dd class="api-url">${esc(d.sourceUrl)}</dd>
<dt>landing zone</dt><dd>${esc(d.landing)}</dd>
<dt>style</dt><dd>${esc(d.style)}, ${d.executors.length} executors</dd>
<dt>first event</dt><dd>${esc(d.startedAt)}, spanning ${esc(duration(d.spanSeconds * 1000))}</dd>
<dt>report made</dt><dd>${esc(d.generatedAt)}</dd>
</dl>
</header>
${cards(d)}
${findings(d)}
<section class="grid">
<figure><figcaption>Pages landed per second, per executor (${esc(d.bucketSeconds)} s buckets)</figcaption>
${lineChart({ id: 'chart-pages', title: 'pages per second per executor', series: d.pagesPerSecond, span: d.spanSeconds, formatY: short })}</figure>
<figure><figcaption>Requests per second, every attempt, against <code>limits.rate</code> = ${esc(d.rateLimit)}</figcaption>
${lineChart({ id: 'chart-rate', title: 'requests per second against the rate limit', series: [d.requestsPerSecond], span: d.spanSeconds, formatY: short, ceiling: { value: d.rateLimit, label: `limits.rate ${d.rateLimit}/s` } })}</figure>
<figure><figcaption>Latency of ${count(d.attempts)} attempts: p50 ${esc(duration(d.latencyQuantiles.p50))}, p90 ${esc(duration(d.latencyQuantiles.p90))}, p99 ${esc(duration(d.latencyQuantiles.p99))}, max ${esc(duration(d.latencyQuantiles.max))}</figcaption>
${barChart({ id: 'chart-latency', title: 'latency distribution', categories: d.latency.map((b) => b.label), groups: [{ name: 'attempts', values: d.latency.map((b) => b.count) }] })}</figure>
<figure><figcaption>Files landed over time, per format</figcaption>
${lineChart({ id: 'chart-files', title: 'files landed over time', series: d.filesLanded, span: d.spanSeconds, formatY: short })}</figure>
<figure><figcaption>Bytes landed over time, per format</figcaption>
${lineChart({ id: 'chart-bytes', title: 'bytes landed over time', series: d.bytesLanded, span: d.spanSeconds, formatY: bytes, ticks: byteTicks })}</figure>
<figure><figcaption>Retries and failed pages by error class and HTTP status</figcaption>
${barChart({
  id: 'chart-failures',
  title: 'retries and failures by error class and HTTP status',
  categories: d.failures.map((f) => `${f.errorClass}${f.httpStatus ? ` ${f.httpStatus}` : ''}`),
  groups: [
    { name: 'retried attempts', values: d.failures.map((f) => f.retries), colour: '#E69F00' },
    { name: 'failed pages', values: d.failures.map((f) => f.failedPages), colour: '#D55E00' },
  ],
})}</figure>
</section>
${failureTable(d)}
${executorSection(d)}
${slowestTable(d)}
</body>
</html>
`;
}

function cards(d: ReportData): string {
  const card = (label: string, value: number, cls = '') => `<div class="card ${cls}"><div class="value">${count(value)}</div><div class="label">${esc(label)}</div></div>`;
  return `<section class="cards">${card('pages planned', d.totals.planned)}${card('landed', d.totals.landed, 'ok')}${card('failed', d.totals.failed, d.totals.failed ? 'bad' : '')}${card('missing', d.totals.missing, d.totals.missing ? 'bad' : '')}${card('records', d.records)}${card('attempts', d.attempts)}</section>`;
}

function findings(d: ReportData): string {
  if (!d.problems.length && !d.notes.length) return '';
  const items = [...d.problems.map((p) => `<li class="problem">problem: ${esc(p)}</li>`), ...d.notes.map((n) => `<li class="note">note: ${esc(n)}</li>`)];
  return `<section><h2>Findings</h2><ul class="findings">${items.join('')}</ul></section>`;
}

function failureTable(d: ReportData): string {
  const rows = d.failures.map(
    (f) => `<tr><td class="class">${esc(f.errorClass)}</td><td class="num status">${esc(f.httpStatus ?? '')}</td><td class="num">${count(f.retries)}</td><td class="num">${count(f.failedPages)}</td><td class="example">${esc(f.example)}</td></tr>`,
  );
  return `<section><h2>Retries and failures</h2>
<table id="failures"><thead><tr><th>error class</th><th class="num">HTTP status</th><th class="num">retried attempts</th><th class="num">failed pages</th><th>example message</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="5">no retries, no failures</td></tr>'}</tbody></table></section>`;
}

function executorSection(d: ReportData): string {
  const rows = d.executors.map(
    (e) => `<tr><td class="num">${e.executor}</td><td class="num">${count(e.planned)}</td><td class="num">${count(e.landed)}</td><td class="num">${count(e.failed)}</td><td class="num">${count(e.missing)}</td><td class="num">${count(e.taken)}</td><td class="num">${count(e.fetched)}</td><td class="num">${e.sessions.length}</td></tr>`,
  );
  return `<section><h2>Executors</h2>
<table id="executors"><thead><tr>${numHeads('executor', 'pages owned', 'landed', 'failed', 'missing', 'taken from others', 'fetched (ledger)', 'sessions')}</tr></thead>
<tbody>${rows.join('')}</tbody></table>
<figure class="wide"><figcaption>When each session was live (hatched: no end recorded, killed or still running)</figcaption>
${sessionTimeline('chart-sessions', d.executors, d.spanSeconds)}</figure></section>`;
}

function slowestTable(d: ReportData): string {
  const sliced = d.slowest.some((p) => p.slice !== undefined);
  const rows = d.slowest.map(
    (p) => `<tr><td class="num">${p.page}</td>${sliced ? `<td>${esc(p.slice ?? '')}</td>` : ''}<td class="num">${p.executor}</td><td class="num">${esc(duration(p.durationMs))}</td><td class="num">${p.attempt}</td><td class="num">${esc(p.httpStatus ?? '')}</td><td class="num">${esc(p.records ?? '')}</td></tr>`,
  );
  const heads = `${numHeads('page')}${sliced ? '<th>slice</th>' : ''}${numHeads('executor', 'landed attempt took', 'attempt', 'HTTP status', 'records')}`;
  return `<section><h2>Slowest pages</h2>
<table id="slowest"><thead><tr>${heads}</tr></thead>
<tbody>${rows.join('') || `<tr><td colspan="${sliced ? 7 : 6}">no page has landed</td></tr>`}</tbody></table></section>`;
}

/** Headers of numeric columns, right-aligned over their numbers. */
function numHeads(...names: string[]): string {
  return names.map((n) => `<th class="num">${esc(n)}</th>`).join('');
}

/** 1500 → "1.5k". */
function short(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${+v.toFixed(1)} ${units[i]}`;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:24px auto;max-width:1180px;padding:0 16px;background:#fff}
h1{font-size:20px;margin:0 0 8px}h1 .dataset{font-weight:normal;color:#666;font-size:15px;margin-left:8px}
h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
.outcome{font-size:17px;font-weight:600;padding:10px 14px;border-radius:6px;margin:8px 0 12px}
.outcome.complete{background:#e3f4ea;border-left:6px solid #009E73}
.outcome.incomplete{background:#fdebe3;border-left:6px solid #D55E00}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;color:#444}
.meta dt{color:#777}.meta dd{margin:0;word-break:break-all}
.cards{display:flex;gap:12px;margin:16px 0;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card .value{font-size:22px;font-weight:600}.card .label{color:#666}
.card.ok .value{color:#00795a}.card.bad .value{color:#b8460b}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
figure{margin:0;border:1px solid #eee;border-radius:6px;padding:8px}
figure.wide{margin-top:12px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{max-width:100%;height:auto;display:block}
svg .grid{stroke:#eee}svg .axis{stroke:#999}svg .tick{font-size:11px;fill:#555}svg .legend{font-size:12px;fill:#333}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f6f6;font-weight:600}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
td.example{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.findings li.problem{color:#b8460b}
`;
