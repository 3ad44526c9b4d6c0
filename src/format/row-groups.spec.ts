import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROW_GROUP_JSON_BYTES, ROW_GROUP_MAX_ROWS, rowGroups } from './row-groups.js';

const page = (count: number) => ({ count });
const sizes = (groups: { count: number }[][]) => groups.map((g) => g.reduce((n, p) => n + p.count, 0));

describe('rowGroups', () => {
  it('keeps everything in one group while under both limits', () => {
    assert.deepEqual(sizes(rowGroups([page(20), page(20), page(5)], 500)), [45]);
    assert.deepEqual(rowGroups([], 500), []);
  });
  it('cuts at whole pages by estimated bytes', () => {
    const perRecord = ROW_GROUP_JSON_BYTES / 50; // 50 records per group
    assert.deepEqual(sizes(rowGroups([page(20), page(20), page(20), page(20)], perRecord)), [40, 40]);
  });
  it('cuts by rows for tiny records, and a page larger than a group stays whole', () => {
    assert.deepEqual(sizes(rowGroups([page(ROW_GROUP_MAX_ROWS), page(1)], 1)), [ROW_GROUP_MAX_ROWS, 1]);
    assert.deepEqual(sizes(rowGroups([page(3), page(200)], ROW_GROUP_JSON_BYTES / 10)), [3, 200]);
  });
});
