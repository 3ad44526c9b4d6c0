import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { BodyProblem, decode, parseJsonText, readAll, readJsonBody } from './body.js';

const id = (t: string) => t.replace(/SECRET/g, '***');
async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield p;
}
const doc = Buffer.from(JSON.stringify({ page: 1, results: [{ id: 1 }] }));

describe('body', () => {
  it('reads, decodes gzip / br / identity and parses', async () => {
    for (const [enc, raw] of [
      ['gzip', gzipSync(doc)],
      ['br', brotliCompressSync(doc)],
      ['identity', doc],
      [undefined, doc],
    ] as const) {
      const headers: Record<string, string> = enc ? { 'content-encoding': enc } : {};
      const half = Math.floor(raw.length / 2);
      const out = await readJsonBody(chunks(raw.subarray(0, half), raw.subarray(half)), headers, { maxBodyBytes: 1e6, redact: id });
      assert.deepEqual(out.body, { page: 1, results: [{ id: 1 }] });
      assert.equal(out.bytes, doc.length);
    }
  });

  it('refuses bodies larger than maxBodyBytes, raw or decoded', async () => {
    await assert.rejects(readAll(chunks(Buffer.alloc(10), Buffer.alloc(10)), 15), (e: BodyProblem) => e.code === 'PF_BODY_TOO_LARGE');
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    await assert.rejects(decode(bomb, 'gzip', 10_000), (e: BodyProblem) => e.code === 'PF_BODY_TOO_LARGE');
  });

  it('tells a truncated compressed body from a corrupt one', async () => {
    const gz = gzipSync(doc);
    await assert.rejects(decode(gz.subarray(0, gz.length - 8), 'gzip', 1e6), (e: BodyProblem) => e.code === 'PF_BODY_TRUNCATED');
    await assert.rejects(decode(Buffer.from('not gzip at all'), 'gzip', 1e6), (e: BodyProblem) => e.code === 'PF_BODY_ENCODING');
    await assert.rejects(decode(doc, 'compress', 1e6), /unsupported content-encoding "compress"/);
  });

  it('a non-JSON body is PF_BODY_NOT_JSON with a short redacted quote', () => {
    const html = Buffer.from(`<html><body>Error for token SECRET ${'z'.repeat(500)}</body></html>`);
    assert.throws(
      () => parseJsonText(html, 'text/html', id),
      (e: BodyProblem) =>
        e.code === 'PF_BODY_NOT_JSON' && e.message.includes('text/html') && e.message.includes('***') && !e.message.includes('SECRET') && e.message.length < 250,
    );
    assert.throws(() => parseJsonText(Buffer.alloc(0), undefined, id), /\(empty\)/);
    assert.deepEqual(parseJsonText(Buffer.from('\uFEFF[1]'), 'application/json', id), { value: [1], text: '[1]' });
  });
});
