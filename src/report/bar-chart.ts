import { escapeHtml as esc } from './escape.js';
import { legend, niceTicks, PALETTE, plotWidth, svgOpen, type Frame } from './svg-axes.js';

export interface BarChartOptions {
  id: string;
  title: string;
  /** One row per category, top to bottom. */
  categories: string[];
  /** Each group is one bar per category (e.g. retries and failed pages). */
  groups: { name: string; values: number[]; colour?: string }[];
  width?: number;
}

/** Horizontal bars, grouped per category, with the value written after each bar. */
export function barChart(o: BarChartOptions): string {
  const bar = 14;
  const rowHeight = o.groups.length * bar + 10;
  const labelWidth = Math.min(220, 12 + 7 * Math.max(4, ...o.categories.map((c) => c.length)));
  const f: Frame = { width: o.width ?? 560, height: 28 + Math.max(1, o.categories.length) * rowHeight + 10, left: labelWidth, right: 56, top: 24, bottom: 10 };
  const max = niceTicks(Math.max(1, ...o.groups.flatMap((g) => g.values))).at(-1)!;
  const colour = (i: number) => o.groups[i].colour ?? PALETTE[i % PALETTE.length];
  const rows = o.categories
    .map((category, r) => {
      const y0 = f.top + 6 + r * rowHeight;
      const bars = o.groups
        .map((g, i) => {
          const v = g.values[r] ?? 0;
          const w = (plotWidth(f) * v) / max;
          const y = y0 + i * bar;
          return `<rect class="bar" data-group="${esc(g.name)}" x="${f.left}" y="${y}" width="${Math.max(v > 0 ? 1 : 0, w).toFixed(1)}" height="${bar - 2}" fill="${colour(i)}"><title>${esc(`${category}: ${g.name} ${v}`)}</title></rect>` +
            // a zero next to its neighbour's bar reads as noise; a lone series keeps it (an empty bin)
            (v > 0 || o.groups.length === 1 ? `<text class="tick" x="${(f.left + w + 4).toFixed(1)}" y="${y + bar / 2}" dominant-baseline="middle">${esc(v)}</text>` : '');
        })
        .join('');
      return `<text class="tick" x="${f.left - 6}" y="${y0 + (o.groups.length * bar) / 2}" text-anchor="end" dominant-baseline="middle">${esc(category)}</text>${bars}`;
    })
    .join('');
  const empty = o.categories.length ? '' : `<text class="tick" x="${f.width / 2}" y="${f.top + 20}" text-anchor="middle">none</text>`;
  return svgOpen(f, o.id, o.title) + rows + empty + (o.groups.length > 1 ? legend(f, o.groups.map((g) => g.name), colour) : '') + '</svg>';
}
