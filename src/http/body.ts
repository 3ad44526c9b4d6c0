import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

/** Codes of body problems; classify.ts maps them (NOT_JSON/ENCODING retry, TRUNCATED transient, TOO_LARGE fails). */
export type BodyProblemCode = 'PF_BODY_NOT_JSON' | 'PF_BODY_ENCODING' | 'PF_BODY_TRUNCATED' | 'PF_BODY_TOO_LARGE';

/** A body we cannot use. Its message is already redacted and never quotes more than a short snippet. */
export class BodyProblem extends Error {
  readonly code: BodyProblemCode;
  constructor(code: BodyProblemCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'BodyProblem';
  }
}

export interface BodyOptions {
  maxBodyBytes: number;
  redact: (text: string) => string;
}

const decoders: Record<string, (buf: Buffer, o: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

const SNIPPET_CHARS = 120;

/** Reads a whole body into memory, refusing more than maxBytes (stops reading and drops the stream). */
export async function readAll(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyProblem('PF_BODY_TOO_LARGE', `body larger than the ${maxBytes}-byte limit (limits.max_body)`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** Undoes Content-Encoding (gzip, x-gzip, deflate, br, identity; listed codings are undone last first). */
export async function decode(buf: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '').toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  let out = buf;
  for (const coding of codings.reverse()) {
    const decoder = decoders[coding];
    if (!decoder) throw new BodyProblem('PF_BODY_ENCODING', `unsupported content-encoding "${coding}"`);
    try {
      out = await decoder(out, { maxOutputLength: maxBytes });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BodyProblem('PF_BODY_TOO_LARGE', `decoded body larger than the ${maxBytes}-byte limit (limits.max_body)`);
      }
      if (code === 'Z_BUF_ERROR') throw new BodyProblem('PF_BODY_TRUNCATED', `${coding} body ends early`, { cause: err });
      throw new BodyProblem('PF_BODY_ENCODING', `${coding} body cannot be decoded`, { cause: err });
    }
  }
  return out;
}

/** A short, redacted, single-line quote of a body for error messages. */
export function snippet(text: string, redact: (t: string) => string, max = SNIPPET_CHARS): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

/**
 * Parses a decoded body as JSON, and gives the text it parsed (without a byte-order mark), or throws
 * PF_BODY_NOT_JSON quoting (redacted) what it got instead.
 */
export function parseJsonText(buf: Buffer, contentType: string | undefined, redact: (t: string) => string): { value: unknown; text: string } {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(text), text };
  } catch {
    // The SyntaxError's own message quotes a cut-off piece of the body, which could hold a prefix of a
    // secret the redactor no longer recognises, so it is dropped; the quote below is redacted, then cut.
    const quote = text.trim() ? `: "${snippet(text, redact)}"` : ' (empty)';
    throw new BodyProblem('PF_BODY_NOT_JSON', `body is not JSON (${contentType ?? 'no content-type'}, ${buf.length} bytes)${quote}`);
  }
}

/** Reads, decodes and parses a 2xx body. */
export async function readJsonBody(
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  opts: BodyOptions,
): Promise<{ body: unknown; bytes: number; text: string }> {
  const raw = await readAll(body, opts.maxBodyBytes);
  const decoded = await decode(raw, headers['content-encoding'], opts.maxBodyBytes);
  const { value, text } = parseJsonText(decoded, headers['content-type'], opts.redact);
  return { body: value, bytes: decoded.length, text };
}

/** Up to maxBytes of an error body, decoded if possible, as a short quote; never throws. */
export async function readErrorSnippet(
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  maxBytes: number,
  redact: (t: string) => string,
): Promise<string> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      size += chunk.byteLength;
      if (size >= maxBytes) break; // leaving the loop drops the rest (and that connection)
    }
    const decoded = await decode(Buffer.concat(chunks, size), headers['content-encoding'], maxBytes * 64);
    return snippet(decoded.toString('utf8'), redact);
  } catch {
    return '';
  }
}
