import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { PYTHON, readBack, REPO, runDemo, tempDir } from './harness.js';

/**
 * The README's first command, light version, as a user runs it: `bash scripts/demo.sh --no-spark` from
 * another folder, setup included (Node only), then an independent read-back of what it landed. And
 * what the demo refuses, and what `setup.sh --demo` / `fetch-jars.sh --no-s3` install.
 */


/** `  parquet    13 files,    0.8 MiB  /path` lines of the demo's landing-zone read-out. */
function filesPerFormat(stdout: string): Record<string, number> {
  return Object.fromEntries([...stdout.matchAll(/^ {2}(parquet|ndjson)\s+(\d+) files,/gm)].map((m) => [m[1], Number(m[2])]));
}

test('demo.sh --no-spark: Node only, lands the catalogue exactly once in both formats, reads out files and status', async (t) => {
  const cwd = await tempDir('pf-demo-');
  t.after(() => rm(cwd, { recursive: true, force: true }));
  // an earlier demo's folder (it carries the demo's mark) is emptied, not mixed with the new run
  const out = join(cwd, 'out');
  await mkdir(out);
  await writeFile(join(out, '.pagefleet-demo'), '');
  await writeFile(join(out, 'stale.txt'), 'from an earlier demo');
  const size = 3000;

  const r = await runDemo(['--no-spark', '--out', 'out', '--size', String(size)], cwd);
  assert.equal(r.code, 0, `demo.sh exited ${r.code}\n${r.stdout}\n${r.stderr}`);

  // what it installed and ran: the Node-only setup, no Spark
  assert.match(r.stdout, /scripts\/setup\.sh --demo --no-spark/);
  assert.doesNotMatch(r.stdout + r.stderr, /spark-submit|Spark reader|fetch-jars|\bpip\b/i);
  assert.ok(!existsSync(join(out, 'logs/reader.log')) && !existsSync(join(out, 'curated')), 'no reader ran, no table');
  assert.ok(!existsSync(join(out, 'stale.txt')), 'the earlier demo folder was emptied');

  // landed: every record exactly once in each format, read back by pyarrow and DuckDB
  const landing = join(out, 'landing');
  const said = filesPerFormat(r.stdout);
  for (const format of ['parquet', 'ndjson'] as const) {
    const back = readBack(landing, 'demo_movies', format);
    assert.deepEqual([back.count, back.distinct, back.min, back.max], [size, size, 1, size], `${format}: each id 1..${size} once`);
    assert.equal(said[format], back.files, `the demo's ${format} file count is what is on disk`);
  }
  const runs = (await readdir(join(landing, '_pagefleet/demo_movies'))).filter((n) => n.startsWith('run_id='));
  assert.equal(runs.length, 1, 'one run in the landing zone');

  // the status read-out, and the job spec it was computed from (left for the user to run status again)
  assert.match(r.stdout, /pagefleet status .*demo\.yaml:\n {2}pagefleet run \S+ \(dataset demo_movies\): COMPLETE/);
  const job = await readFile(join(out, 'demo.yaml'), 'utf8');
  assert.match(job, new RegExp(`root: ${landing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.stdout, /done \(status exit 0\)/);
});

test('demo.sh refuses a folder it did not make, and bad flags, before installing anything', async (t) => {
  const cwd = await tempDir('pf-demo-');
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const mine = join(cwd, 'mine');
  await mkdir(mine);
  await writeFile(join(mine, 'keep.txt'), 'not the demo\'s');

  const refused = await runDemo(['--no-spark', '--out', 'mine'], cwd);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^demo\.sh: --out .*mine exists and was not made by the demo: pick another folder$/m);
  assert.equal(await readFile(join(mine, 'keep.txt'), 'utf8'), 'not the demo\'s', 'the folder is untouched');
  assert.doesNotMatch(refused.stdout, /installing/, 'refused before the setup');

  for (const [args, message] of [
    [['--size', 'many'], /^demo\.sh: --size: expected a positive integer, got many$/m],
    [['--executors', '0'], /^demo\.sh: --executors: expected a positive integer, got 0$/m],
    [['--spark-please'], /^demo\.sh: unknown option --spark-please$/m],
  ] as const) {
    const bad = await runDemo([...args], cwd);
    assert.equal(bad.code, 2, `${args.join(' ')}: exit 2`);
    assert.match(bad.stderr, message);
    assert.deepEqual(await readdir(cwd), [basename(mine)], `${args.join(' ')}: nothing written`);
  }
});

test('setup.sh: --no-spark only goes with --demo (the tests need Spark), unknown options are refused', () => {
  const alone = spawnSync('bash', [join(REPO, 'scripts/setup.sh'), '--no-spark'], { encoding: 'utf8' });
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /^setup\.sh: --no-spark goes with --demo/m);
  const unknown = spawnSync('bash', [join(REPO, 'scripts/setup.sh'), '--everything'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^setup\.sh: unknown option --everything$/m);
});

test('fetch-jars.sh --no-s3: only the Delta jars matched to delta-spark, none of the s3a jars (what the demo passes to Spark)', (t) => {
  if (!existsSync(PYTHON)) {
    t.skip('no .venv: bash scripts/setup.sh creates it');
    return;
  }
  const r = spawnSync('bash', [join(REPO, 'spark/fetch-jars.sh'), '--no-s3'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const delta = /^delta-spark==(\S+)$/m.exec(spawnSync('cat', [join(REPO, 'spark/requirements.txt')], { encoding: 'utf8' }).stdout)?.[1];
  const jars = r.stdout.trim().split(',').map((p) => basename(p)).sort();
  assert.deepEqual(jars, [`delta-spark_2.13-${delta}.jar`, `delta-storage-${delta}.jar`]);
  assert.doesNotMatch(r.stderr, /hadoop-project|bundle/, 'no s3a jar (hadoop-aws, AWS SDK bundle) is even resolved');
  const bad = spawnSync('bash', [join(REPO, 'spark/fetch-jars.sh'), '--s3-only'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fetch-jars: unknown option --s3-only \(expected --no-s3\)$/m);
});
