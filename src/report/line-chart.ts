import { escapeHtml as esc } from './escape.js';
import { legend, niceTicks, PALETTE, plotHeight, plotWidth, svgOpen, timeTicks, xTimeAxis, yAxis, type Frame } from './svg-axes.js';
import type { Series } from './types.js';

export interface LineChartOptions {
  id: string;
  title: string;
  series: Series[];
  /** Seconds covered by the time axis. */
  span: number;
  formatY?: (v: number) => string;
  /** Tick values of the y axis from 0 to at least the given maximum (default: 1, 2, 5 × 10^n steps). */
  ticks?: (max: number) => number[];
  /** A dashed horizontal line, such as the rate limit. */
  ceiling?: { value: number; label: string };
  width?: number;
  height?: number;
}

/** Lines over time (seconds since the run started), one path per series, drawn as SVG. */
export function lineChart(o: LineChartOptions): string {
  const f: Frame = { width: o.width ?? 560, height: o.height ?? 260, left: 64, right: 16, top: 24, bottom: 28 };
  const formatY = o.formatY ?? ((v: number) => String(v));
  const top = Math.max(o.ceiling?.value ?? 0, ...o.series.flatMap((s) => s.points.map(([, v]) => v)));
  const ticks = (o.ticks ?? niceTicks)(top * 1.05);
  const yMax = ticks[ticks.length - 1];
  const x = (t: number) => f.left + (plotWidth(f) * t) / o.span;
  const y = (v: number) => f.top + plotHeight(f) * (1 - v / yMax);
  const paths = o.series
    .map((s, i) =>
      s.points.length
        ? `<path class="series" data-series="${esc(s.name)}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2" ` +
          `d="${s.points.map(([t, v], k) => `${k ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('')}"/>`
        : '',
    )
    .join('');
  const ceiling = o.ceiling
    ? `<line class="ceiling" x1="${f.left}" x2="${f.width - f.right}" y1="${y(o.ceiling.value).toFixed(1)}" y2="${y(o.ceiling.value).toFixed(1)}" stroke="#D55E00" stroke-dasharray="6 4" stroke-width="1.5"/>` +
      `<text class="tick ceiling-label" x="${f.width - f.right}" y="${(y(o.ceiling.value) - 4).toFixed(1)}" text-anchor="end">${esc(o.ceiling.label)}</text>`
    : '';
  const empty = o.series.every((s) => s.points.length === 0) ? `<text class="tick" x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no data</text>` : '';
  return (
    svgOpen(f, o.id, o.title) +
    yAxis(f, ticks, y, formatY) +
    xTimeAxis(f, timeTicks(o.span), x) +
    paths +
    ceiling +
    empty +
    legend(f, o.series.map((s) => s.name)) +
    '</svg>'
  );
}
