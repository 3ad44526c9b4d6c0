import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PYTHON, readBack, REPO, runDemo, tempDir } from './harness.js';

/**
 * The README's first command in full, as a user runs it: `bash scripts/demo.sh` installs the demo's
 * part of the setup (pyspark, delta-spark, delta-rs, the Delta jars), streams the landing zone into
 * Delta with the Spark reader while 4 executors ingest the demo API, and reads the table back. Checked
 * here independently: the table with delta-rs + pyarrow, the landing zone with pyarrow and DuckDB, and
 * the reader's own events (each landed file taken once). About 2-4 minutes (Spark's start dominates).
 */


/** Rows and distinct ids of a Delta table, read with delta-rs into pyarrow (not Spark, not the demo's helper). */
function deltaTable(path: string): { rows: number; distinct: number; min: number; max: number } {
  const code = `import json, sys
import pyarrow.compute as pc
from deltalake import DeltaTable
ids = DeltaTable(sys.argv[1]).to_pyarrow_table(columns=["id"]).column("id")
print(json.dumps({"rows": len(ids), "distinct": len(pc.unique(ids)), "min": pc.min(ids).as_py(), "max": pc.max(ids).as_py()}), flush=True)
# delta-rs may abort at interpreter teardown (delta-io/delta-rs#2184): the answer is out, skip it
import os; os._exit(0)`;
  const r = spawnSync(PYTHON, ['-c', code, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function countFiles(dir: string, suffix: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith(suffix)).length;
}

test('demo.sh: the Spark reader streams the demo into Delta while 4 executors ingest; table and landing zone hold each record once', async (t) => {
  const cwd = await tempDir('pf-demo-spark-');
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const size = 20000;
  const r = await runDemo(['--out', 'out', '--size', String(size)], cwd);
  const out = join(cwd, 'out');
  assert.equal(r.code, 0, `demo.sh exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /scripts\/setup\.sh --demo \(/, 'the demo setup, with Spark');

  // the reader: started before the data, then took every landed Parquet file exactly once
  const events = (await readFile(join(out, 'logs/reader.log'), 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('{"event"'))
    .map((l) => JSON.parse(l) as { event: string; files?: number; skipped?: number });
  assert.equal(events[0]?.event, 'waiting', 'the reader was up before the dataset existed');
  const batches = events.filter((e) => e.event === 'batch');
  assert.ok(batches.length >= 1, 'the reader committed micro-batches');
  const markers = await countFiles(join(out, 'landing/_pagefleet/demo_movies/landed/parquet'), '.json');
  assert.equal(batches.reduce((n, b) => n + (b.files ?? 0), 0), markers, 'each landed Parquet file went into the table once');
  assert.equal(events.filter((e) => e.event === 'skipped').length, 0, 'no landed file was skipped');

  // the curated table, read independently, and what the demo said about it
  const table = deltaTable(join(out, 'curated/demo_movies'));
  assert.deepEqual(table, { rows: size, distinct: size, min: 1, max: size });
  assert.match(r.stdout, new RegExp(`^ {2}${size} rows, ${size} distinct ids \\(each record once\\), ids 1\\.\\.${size}, 1 run\\(s\\)`, 'm'));

  // the landing zone and status
  for (const format of ['parquet', 'ndjson'] as const) {
    const back = readBack(join(out, 'landing'), 'demo_movies', format);
    assert.deepEqual([back.count, back.distinct], [size, size], `${format}: each id once`);
    assert.match(r.stdout, new RegExp(`^ {2}${format}\\s+${back.files} files,`, 'm'), `the demo's ${format} file count`);
  }
  assert.match(r.stdout, /\(dataset demo_movies\): COMPLETE/);
  assert.match(r.stdout, /done \(status exit 0\)/);
});
