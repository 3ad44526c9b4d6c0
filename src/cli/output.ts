import cliProgress from 'cli-progress';
import type { ExecutorStats } from '../executor/stats.js';
import type { Redactor } from '../http/redact.js';

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
  ) {}

  event(event: string, fields: Record<string, unknown> = {}): void {
    const safe = this.redactor.redactValue(fields);
    if (this.format === 'json') {
      process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), event, ...safe }) + '\n');
      return;
    }
    const kv = Object.entries(safe)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v.replace(/\s+/g, ' ') : JSON.stringify(v)}`)
      .join(' ');
    process.stderr.write(`pagefleet: ${event}${kv ? ' ' + kv : ''}\n`);
  }
}

/** A progress bar over the sum of several executors' stats; a no-op when stderr is not a TTY. */
export class Progress {
  private readonly bar?: cliProgress.SingleBar;
  private readonly byExecutor = new Map<number, ExecutorStats>();
  private readonly started = Date.now();

  constructor(enabled: boolean) {
    if (!enabled) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | {value}/{total} pages | {records} records | {rate} pages/s | {errors} errors | ETA {eta_formatted}',
        hideCursor: true,
        stream: process.stderr,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(1, 0, { records: 0, rate: '0', errors: 0 });
  }

  update(stats: ExecutorStats): void {
    if (!this.bar) return;
    this.byExecutor.set(stats.executor, stats);
    const all = [...this.byExecutor.values()];
    const sum = (f: (s: ExecutorStats) => number) => all.reduce((t, s) => t + f(s), 0);
    const done = sum((s) => s.pagesAlreadyLanded + s.pagesLanded);
    const fresh = sum((s) => s.pagesLanded);
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.setTotal(Math.max(1, sum((s) => s.pagesPlanned)));
    this.bar.update(done, {
      records: sum((s) => s.records),
      rate: seconds > 0 ? (fresh / seconds).toFixed(1) : '0',
      errors: sum((s) => s.pagesFailed),
    });
  }

  stop(): void {
    this.bar?.stop();
  }
}
