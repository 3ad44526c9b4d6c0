import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run, startMockApi } from '../../test/harness.js';

/** The capped, date-filterable endpoint served by a real `pagefleet mock-api` process, flags and all. */
describe('pagefleet mock-api: /3/discover/movie (integ)', () => {
  it('--max-pages caps pages; --base-size/--added-after date the added records after the given day', async () => {
    const api = await startMockApi([
      ...['--size', '300', '--per-page', '5', '--max-pages', '4'],
      ...['--base-size', '250', '--added-after', '2030-06-30'],
    ]);
    try {
      const capped = await fetch(`${api.url}/3/discover/movie?page=5`);
      assert.equal(capped.status, 400);
      assert.equal(
        await capped.text(),
        '{"success":false,"status_code":22,"status_message":"Invalid page: Pages start at 1 and max at 4. They are expected to be an integer."}',
      );
      const first = await (await fetch(`${api.url}/3/discover/movie`)).json();
      assert.equal(first.total_pages, 4);
      assert.equal(first.total_results, 300);
      const added = await (await fetch(`${api.url}/discover/offset?primary_release_date.gte=2030-07-01&limit=15`)).json();
      assert.equal(added.total, 50);
      assert.deepEqual(
        added.results.map((r: { id: number; release_date: string }) => [r.id, r.release_date]),
        Array.from({ length: 15 }, (_, k) => [251 + k, `2030-07-0${1 + Math.floor(k / 10)}`]),
      );
      const tooFar = await fetch(`${api.url}/discover/offset?offset=15&limit=6`);
      assert.equal(tooFar.status, 400);
      await tooFar.arrayBuffer();
    } finally {
      await api.stop();
    }
  });

  it('a bad flag is one line naming it, exit 2, and no server', async () => {
    const bad = await run(['mock-api', '--port', '0', '--base-size', '5', '--added-after', '2030-02-30']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'pagefleet: mock.addedAfter: must be a date YYYY-MM-DD\n');
    const orphan = await run(['mock-api', '--port', '0', '--added-after', '2030-01-01']);
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /^pagefleet: mock\.addedAfter: needs baseSize > 0/);
  });
});
