import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measuredRun, parseTime } from './measured-run.js';

test('parseTime reads the last line, after GNU time\'s exit-status line', () => {
  assert.deepEqual(parseTime('Command exited with non-zero status 1\n1.50 0.75 0.25 20480\n'), { userS: 0.75, sysS: 0.25, maxRssKiB: 20480 });
  assert.throws(() => parseTime('garbage'), /unexpected/);
});

test('measuredRun counts the CPU and memory of a child the command waited for', async () => {
  // the parent only spawns a child that spins ~0.3 s of CPU and holds ~64 MiB
  const child = "const b = Buffer.alloc(64 << 20, 1); const t = Date.now(); while (Date.now() - t < 300); process.stdout.write(String(b[5]))";
  const parent = `const r = require('node:child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(child)}], { encoding: 'utf8' }); process.stdout.write(r.stdout)`;
  const r = await measuredRun(process.execPath, ['-e', parent]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '1');
  assert.ok(r.cpuS >= 0.25, `cpu ${r.cpuS}`);
  assert.ok(r.maxRssMiB >= 64, `rss ${r.maxRssMiB}`);
  assert.ok(r.wallS >= 0.3);
});
