import cliProgress from 'cli-progress';
import type { ExecutorStats } from '../executor/stats.js';
import type { Redactor } from '../http/redact.js';
import { formatProgressLine, progressView } from './progress-line.js';

export type LogFormat = 'text' | 'json';

/**
 * Logs to stderr: readable lines, or JSON lines with `--log-format json`. Field values are redacted
 * before they are formatted (event names and field names are ours and stay readable), so a short secret
 * can never break a JSON line.
 */
export class Logger {
  constructor(
    readonly format: LogFormat,
    private readonly redactor: Pick<Redactor, 'redactValue'> = { redactValue: (v) => v },
    /** Where lines go: stderr, or a progress bar that prints them above itself. */
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  event(event: string, fields: Record<string, unknown> = {}): void {
    const safe = this.redactor.redactValue(fields);
    if (this.format === 'json') {
      this.write(JSON.stringify({ ts: new Date().toISOString(), event, ...safe }) + '\n');
      return;
    }
    const kv = Object.entries(safe)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v.replace(/\s+/g, ' ') : JSON.stringify(v)}`)
      .join(' ');
    this.write(`pagefleet: ${event}${kv ? ' ' + kv : ''}\n`);
  }
}

/**
 * A live progress bar on stderr over the sum of several executors' stats (progress-line.ts draws it); a
 * no-op when disabled (stderr is not a TTY, or JSON logs). Log lines go through `log()`, which prints
 * them above the bar, whole, and redraws the bar below them: the bar is never written into a log line.
 */
export class Progress {
  private readonly multi?: cliProgress.MultiBar;
  private readonly byExecutor = new Map<number, ExecutorStats>();
  private readonly started = Date.now();
  private stopped = false;

  constructor(enabled: boolean) {
    if (!enabled) return;
    const stream = process.stderr;
    this.multi = new cliProgress.MultiBar({
      // progress-line.ts formats the whole line; cli-progress redraws it and keeps log lines above it
      format: () => formatProgressLine(progressView(this.byExecutor.values(), Date.now() - this.started), stream.columns || 120),
      hideCursor: true,
      stream,
      fps: 5,
      clearOnComplete: false,
      // redraw after every flush of log lines, even if the bar did not change (the flush cleared its line)
      forceRedraw: true,
      // log lines wrap as the terminal likes; the bar line is cut to the width by cli-progress
      linewrap: true,
    });
    this.multi.create(1, 0);
  }

  /** Whether the bar is on screen (log lines must then go through `log`). */
  get active(): boolean {
    return this.multi !== undefined;
  }

  update(stats: ExecutorStats): void {
    this.byExecutor.set(stats.executor, stats);
  }

  /** Prints a line (ending in a newline) above the bar at the next redraw. */
  log(line: string): void {
    if (this.multi) this.multi.log(line.endsWith('\n') ? line : line + '\n');
    else process.stderr.write(line);
  }

  /** Flushes pending log lines, draws the final bar and leaves the cursor on the line below it (once). */
  stop(): void {
    if (!this.multi || this.stopped) return;
    this.stopped = true;
    this.multi.update();
    this.multi.stop();
  }
}
