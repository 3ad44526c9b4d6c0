/**
 * The progress bar in a real terminal: `pagefleet ingest --executors 2` runs in a tmux pane (a real
 * pseudo-terminal, so stderr is a TTY and the bar is drawn), under `script`, which keeps the raw bytes
 * the terminal received. Files are cut only when a block ends (a large file_target and max_file_age), so
 * pages are fetched well before they land. The test checks:
 * - mid-run, the screen shows the bar with more pages fetched than landed (it moves page by page);
 * - at the end, the bar reads 100%, every page fetched and landed;
 * - every line, on the final screen and in the raw output, is whole: a bar line, a log line or a summary
 *   line, never log or summary text glued to the bar.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

const BAR = /^ [█▒░]{30} (\d+)% \| fetched (\d+)\/(\d+) \| landed (\d+)\/(\d+) \| \d+ records \| \d+\.\d pages\/s \| \d+ retries \| \d+ failed \| ETA \S+$/;
const LOG = /^pagefleet: [a-z_]+( [A-Za-z_]+=\S.*)?$/;
/** What only the bar draws: never part of another line. */
const BAR_TEXT = /[█▒░]| pages\/s \| /;
const SUMMARY = /^(pagefleet run \S+ \(dataset \w+\): (COMPLETE|INCOMPLETE)|  [a-z]+ +\S.*|\[exit \d+\])$/;

/** A tmux server of this test's own (its socket in the temp folder), never the user's. */
const socket = join(tmpdir(), `pf-progress-${process.pid}.sock`);
const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });

const stops: (() => Promise<void> | void)[] = [];
after(async () => {
  tmux('kill-server');
  await rm(socket, { force: true });
  for (const s of stops) await s();
});

/** Each line must be one of the three kinds, whole; returns the bar lines. */
function checkWholeLines(lines: string[], where: string): RegExpExecArray[] {
  const bars: RegExpExecArray[] = [];
  for (const line of lines) {
    const bar = BAR.exec(line);
    if (bar) bars.push(bar);
    else assert.ok((LOG.test(line) || SUMMARY.test(line)) && !BAR_TEXT.test(line), `${where}: a line that is not whole: ${JSON.stringify(line)}`);
  }
  return bars;
}

interface PaneRun {
  /** The first bar seen mid-run with more pages fetched than landed (undefined if the run ended first). */
  ahead?: RegExpExecArray;
  /** Non-blank lines of the final screen (wrapped lines joined). */
  lines: string[];
  /** The raw output cut where the terminal starts a line, escape sequences removed. */
  segments: string[];
}

/** Runs `pagefleet ingest ...args` in a tmux pane under `script` and returns what the terminal showed. */
async function ingestInPane(name: string, args: string[], dir: string, planned: number): Promise<PaneRun> {
  const raw = join(dir, 'raw.out');
  const ingest = [process.execPath, CLI, 'ingest', ...args].join(' ');
  // the pane lives on after the run (until the test ends), so its final screen can be read
  const script = `script -qefc '${ingest}' ${raw}; echo "[exit $?]"; tmux -S ${socket} wait-for -S done-${name}; tmux -S ${socket} wait-for never`;
  const started = tmux('new-session', '-d', '-s', name, '-x', '220', '-y', '60', script);
  assert.equal(started.status, 0, started.stderr);
  // the screen and its scrollback, wrapped lines joined
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name).stdout;
  let finished = false;
  const done = new Promise<void>((resolve) => spawn('tmux', ['-S', socket, 'wait-for', `done-${name}`]).on('close', () => resolve()));
  void done.then(() => (finished = true));
  // mid-run: pages fetched ahead of the pages landed, on the screen
  const ahead = await waitFor(() => {
    if (finished) return 'finished';
    const bar = screen().split('\n').map((l) => BAR.exec(l)).find(Boolean);
    return bar && Number(bar[2]) > Number(bar[4]) && Number(bar[4]) < planned ? bar : undefined;
  }, 150_000, 50);
  await done;
  // a line starts at a newline, a carriage return, "cursor to column 1" or "clear line"
  const segments = (await readFile(raw, 'utf8'))
    .replace(/^Script (started|done) .*$/gm, '') // script's own header and footer
    .replace(/\x1b\[(1G|2K)/g, '\n')
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .split(/[\r\n]+/)
    .filter((l) => l.trim() !== '');
  return { ahead: ahead === 'finished' ? undefined : (ahead as RegExpExecArray), lines: screen().split('\n').filter((l) => l.trim() !== ''), segments };
}

async function demoJob(api: { url: string }, extra = ''): Promise<{ dir: string; job: string }> {
  const dir = await tempDir();
  // files are cut only when a block ends: pages are fetched long before they land
  const job = await writeJob(
    dir,
    `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 40, concurrency: 4${extra} }
output: { root: ${join(dir, 'landing')}, formats: [ndjson], file_target: 256MiB, max_file_age: 1h }
`,
  );
  return { dir, job };
}

test('2 executors: the bar runs fetched ahead of landed, ends at 100%, and log lines print above it, whole', { timeout: 180_000 }, async () => {
  const api = await startMockApi(['--size', '6000', '--per-page', '20', '--latency', '40']);
  stops.push(api.stop);
  const { dir, job } = await demoJob(api);
  const pane = await ingestInPane('local', [job, '--executors', '2', '--run-id', 'tty-run'], dir, 300);
  assert.ok(pane.ahead, 'the run ended before the bar showed pages fetched ahead of landed');

  const { lines } = pane;
  const bars = checkWholeLines(lines, 'final screen');
  assert.equal(bars.length, 1, 'one bar on the screen: it redraws in place');
  const [, percent, fetched, planned, landed, planned2] = bars[0];
  assert.deepEqual([percent, fetched, landed, planned, planned2], ['100', '300', '300', '300', '300']);
  assert.ok(lines.indexOf(bars[0][0]) > lines.findIndex((l) => l.startsWith('pagefleet: run_planned')), 'log lines above the bar');
  assert.equal(lines.filter((l) => l.startsWith('pagefleet: executor_finished')).length, 2);
  assert.ok(lines.includes('pagefleet run tty-run (dataset movies): COMPLETE'));
  assert.ok(lines.includes('[exit 0]'));

  const rawBars = checkWholeLines(pane.segments, 'raw output');
  assert.ok(rawBars.length >= 5, `the bar was redrawn as the run went (${rawBars.length} times)`);
  const fetchedSeen = new Set(rawBars.map((b) => b[2]));
  assert.ok(fetchedSeen.size >= 5, `fetched moved step by step: ${[...fetchedSeen].join(' ')}`);
  assert.ok(rawBars.some((b) => Number(b[2]) > Number(b[4])), 'fetched ran ahead of landed');
});

test('one executor with failing pages: each page_failed line prints above the bar, whole; the bar counts the failures', { timeout: 180_000 }, async () => {
  const api = await startMockApi(['--size', '4000', '--per-page', '20', '--latency', '40', '--error-rate', '0.2', '--seed', '2']);
  stops.push(api.stop);
  const { dir, job } = await demoJob(api, ', retries: 0'); // seed 2 answers the discovery request
  const pane = await ingestInPane('one', [job, '--executors', '1', '--executor-index', '0', '--run-id', 'tty-one'], dir, 200);
  const bars = checkWholeLines(pane.lines, 'final screen');
  checkWholeLines(pane.segments, 'raw output');
  assert.equal(bars.length, 1);
  const failedLines = pane.lines.filter((l) => l.startsWith('pagefleet: page_failed'));
  assert.ok(failedLines.length > 0, 'some pages failed');
  const [, , fetched, planned, landed] = bars[0];
  const failed = Number(/\| (\d+) failed \|/.exec(bars[0][0])![1]);
  assert.equal(failed, failedLines.length, 'the bar counts every failed page');
  assert.equal(Number(fetched) + failed, Number(planned), 'every page fetched or failed');
  assert.equal(landed, fetched, 'every fetched page landed');
  assert.ok(pane.lines.includes('[exit 1]'));
});
