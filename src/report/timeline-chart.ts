import { escapeHtml as esc } from './escape.js';
import { clockLabel, PALETTE, plotWidth, svgOpen, timeTicks, xTimeAxis, type Frame } from './svg-axes.js';
import type { ExecutorRow } from './types.js';

/**
 * When each session of each executor was live: one row per executor, one bar per session, from its start
 * to its end (or, with no end recorded, to its last heartbeat, drawn hatched: killed, or still running).
 */
export function sessionTimeline(id: string, executors: ExecutorRow[], span: number, width = 1120): string {
  const row = 26;
  const f: Frame = { width, height: 24 + Math.max(1, executors.length) * row + 30, left: 96, right: 16, top: 20, bottom: 28 };
  const x = (t: number) => f.left + (plotWidth(f) * Math.min(Math.max(t, 0), span)) / span;
  const rows = executors
    .map((e, r) => {
      const y = f.top + r * row;
      const colour = PALETTE[r % PALETTE.length];
      const bars = e.sessions
        .map((s) => {
          const w = Math.max(2, x(s.to) - x(s.from));
          const what = `${s.session} on ${s.host} pid ${s.pid}: ${clockLabel(s.from)} to ${clockLabel(s.to)}${s.ended ? '' : ' (no end recorded)'}`;
          return `<rect class="session${s.ended ? '' : ' open'}" x="${x(s.from).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" fill="${s.ended ? colour : 'url(#open-session)'}" stroke="${colour}"><title>${esc(what)}</title></rect>`;
        })
        .join('');
      return `<text class="tick" x="${f.left - 6}" y="${y + row / 2}" text-anchor="end" dominant-baseline="middle">executor ${esc(e.executor)}</text>${bars}`;
    })
    .join('');
  const hatch = '<defs><pattern id="open-session" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#999"/></pattern></defs>';
  return svgOpen(f, id, 'sessions of each executor over time') + hatch + rows + xTimeAxis(f, timeTicks(span), x) + '</svg>';
}
