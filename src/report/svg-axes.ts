import { escapeHtml as esc } from './escape.js';

/** Series colours, in order; chosen to stay apart for common colour blindness (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** Inner plot area of every chart, in SVG units. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const plotWidth = (f: Frame) => f.width - f.left - f.right;
export const plotHeight = (f: Frame) => f.height - f.top - f.bottom;

/** About `count` round tick values from 0 to at least `max` (1, 2 or 5 times a power of ten apart). */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  if (ticks[ticks.length - 1] < max) ticks.push(+(ticks[ticks.length - 1] + step).toPrecision(12));
  return ticks;
}

/** Ticks for a byte axis: round steps in the largest binary unit (KiB, MiB, …) that `max` reaches. */
export function byteTicks(max: number): number[] {
  let unit = 1;
  while (max / unit >= 1024) unit *= 1024;
  return niceTicks(max / unit).map((v) => v * unit);
}

/** 95 → "1m35s", 7200 → "2h", 12 → "12s": labels of a time axis in seconds since the run started. */
export function clockLabel(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
}

/** Round time ticks (seconds) over [0, max]. */
export function timeTicks(max: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  const step = steps.find((s) => max / s <= 8) ?? Math.ceil(max / 8);
  const ticks: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Horizontal grid lines and labels of a y axis. */
export function yAxis(f: Frame, ticks: number[], scale: (v: number) => number, label: (v: number) => string): string {
  return ticks
    .map((v) => {
      const y = scale(v).toFixed(1);
      return `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${y}" y2="${y}"/>` +
        `<text class="tick" x="${f.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(label(v))}</text>`;
    })
    .join('');
}

/** Tick marks and labels of a time axis at the bottom of the frame. */
export function xTimeAxis(f: Frame, ticks: number[], scale: (t: number) => number): string {
  const y = f.height - f.bottom;
  return `<line class="axis" x1="${f.left}" x2="${f.width - f.right}" y1="${y}" y2="${y}"/>` + ticks
    .map((t) => {
      const x = scale(t).toFixed(1);
      return `<line class="axis" x1="${x}" x2="${x}" y1="${y}" y2="${y + 4}"/><text class="tick" x="${x}" y="${y + 16}" text-anchor="middle">${esc(clockLabel(t))}</text>`;
    })
    .join('');
}

/** A row of coloured keys naming the series, above the plot. */
export function legend(f: Frame, names: string[], colour: (i: number) => string = (i) => PALETTE[i % PALETTE.length]): string {
  let x = f.left;
  return names
    .map((name, i) => {
      const item = `<g class="legend-item"><rect x="${x}" y="4" width="10" height="10" fill="${colour(i)}"/>` +
        `<text class="legend" x="${x + 14}" y="13">${esc(name)}</text></g>`;
      x += 24 + name.length * 7;
      return item;
    })
    .join('');
}

/** The opening tag of a chart: scalable, labelled for screen readers. */
export function svgOpen(f: Frame, id: string, title: string): string {
  return `<svg id="${esc(id)}" class="chart" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>`;
}
