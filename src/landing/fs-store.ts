import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UnavailableError, WriteError } from '../errors.js';
import type { PutOptions, Store, Upload } from './types.js';

/**
 * A landing zone in a local folder. Atomic writes: `.<name>.tmp-<random>` in the same folder,
 * fsync, then rename (or link, for create-once) onto the final name, then fsync the folder.
 * Names starting with `.` are ignored by Spark and by `list`.
 */
export class FsStore implements Store {
  readonly location: string;
  constructor(root: string) {
    this.location = resolve(root);
  }

  /**
   * Checks the root (or its nearest existing ancestor) is a folder where files can be created, by
   * creating and removing a dot-file probe there. Creates no folders, leaves nothing behind.
   */
  async preflight(): Promise<void> {
    let dir = this.location;
    while (!(await exists(dir)) && dirname(dir) !== dir) dir = dirname(dir);
    const fail = (why: string, cause?: unknown) =>
      new UnavailableError(`output.root: landing zone ${this.location} is not writable (${why})`, { cause });
    if (!(await stat(dir)).isDirectory()) throw fail(`${dir} is not a folder`);
    const probe = join(dir, `.pagefleet-preflight-${randomBytes(4).toString('hex')}`);
    try {
      await (await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL)).close();
      await unlink(probe);
    } catch (err) {
      throw fail((err as NodeJS.ErrnoException).code ?? String(err), err);
    }
  }

  async put(key: string, body: Uint8Array | string, opts: PutOptions = {}): Promise<boolean> {
    const durable = opts.durable !== false;
    const target = this.path(key);
    const tmp = tempPath(target);
    try {
      const fh = await createTemp(tmp);
      try {
        await fh.writeFile(body);
        if (durable) await fh.sync();
      } finally {
        await fh.close();
      }
      if (opts.ifAbsent) {
        try {
          await link(tmp, target);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw err;
        } finally {
          await unlink(tmp).catch(() => {});
        }
      } else {
        await rename(tmp, target);
      }
      if (durable) await syncDir(dirname(target));
      return true;
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw new WriteError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.cannot('read', key, err);
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? s.size : undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw this.cannot('read', key, err);
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    return (await this.openForReading(key))?.createReadStream(); // closes the file when the stream ends or is destroyed
  }

  async getTail(key: string, bytes: number): Promise<Uint8Array | undefined> {
    const fh = await this.openForReading(key);
    if (!fh) return undefined;
    try {
      const size = (await fh.stat()).size;
      const n = Math.min(bytes, size);
      const buf = Buffer.alloc(n);
      await fh.read(buf, 0, n, size - n);
      return buf;
    } finally {
      await fh.close();
    }
  }

  /** Keys under `prefix`, sorted; no stat per file (the block, session and rate registers are listed often). */
  async list(prefix: string): Promise<string[]> {
    return (await this.filesUnder(prefix)).map((f) => this.keyOf(f)).sort(byKey);
  }

  async listSizes(prefix: string): Promise<Map<string, number>> {
    const sized = await Promise.all(
      // a file removed between readdir and stat is simply not listed
      (await this.filesUnder(prefix)).map(async (f) => [this.keyOf(f), await stat(f).then((s) => s.size, () => -1)] as const),
    );
    return new Map(sized.filter(([, size]) => size >= 0).sort(([a], [b]) => byKey(a, b)));
  }

  /** Paths of the visible files under `prefix` (dot-named temp files are not). */
  private async filesUnder(prefix: string): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.path(prefix), { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw this.cannot('list', prefix, err);
    }
    return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.parentPath + sep + e.name);
  }

  /** A listed file's key. A slice, not path.relative: a 64-executor run lists hundreds of thousands of files. */
  private keyOf(file: string): string {
    const rel = file.startsWith(this.location + sep) ? file.slice(this.location.length + 1) : relative(this.location, file);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true }).catch((err: unknown) => {
      throw new WriteError(`cannot delete ${this.path(key)}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
    });
  }

  async sweep(dir: string, namePrefix: string): Promise<number> {
    const folder = this.path(dir);
    const names = await readdir(folder).catch(() => [] as string[]);
    const stale = names.filter((n) => n.startsWith(`.${namePrefix}`) && n.includes('.tmp-'));
    for (const n of stale) await this.delete(this.keyOf(join(folder, n)));
    return stale.length;
  }

  /** Reading or listing failed for another reason than absence: the landing zone cannot be used (exit 3), as on S3. */
  private cannot(what: string, key: string, err: unknown): UnavailableError {
    return new UnavailableError(`cannot ${what} ${this.path(key)}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
  }

  private async openForReading(key: string): Promise<FileHandle | undefined> {
    try {
      return await open(this.path(key), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.cannot('read', key, err);
    }
  }

  /** Streams into `.<name>.tmp-<random>` beside the target; `complete` is fsync, rename, fsync of the folder. */
  openUpload(key: string): Upload {
    const target = this.path(key);
    const tmp = tempPath(target);
    let fh: FileHandle | undefined;
    let bytes = 0;
    let aborted = false;
    const fail = (err: unknown) => new WriteError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
    const opened = async (): Promise<FileHandle> => {
      if (aborted) throw new Error('the upload was aborted');
      fh ??= await createTemp(tmp);
      return fh;
    };
    return {
      key,
      get bytes() {
        return bytes;
      },
      async write(chunk) {
        try {
          await (await opened()).write(chunk);
          bytes += chunk.byteLength;
        } catch (err) {
          throw fail(err);
        }
      },
      async complete() {
        try {
          const handle = await opened();
          await handle.sync();
          await handle.close();
          fh = undefined;
          await rename(tmp, target);
          await syncDir(dirname(target));
        } catch (err) {
          await this.abort();
          throw fail(err);
        }
      },
      async abort() {
        aborted = true;
        await fh?.close().catch(() => {});
        fh = undefined;
        await unlink(tmp).catch(() => {});
      },
    };
  }

  private path(key: string): string {
    const p = resolve(this.location, key);
    if (p !== this.location && !p.startsWith(this.location + sep)) throw new WriteError(`key escapes the landing zone: ${key}`);
    return p;
  }
}

/** A temp file beside `target`: dot-named (never listed, never read by Spark), swept by its name's prefix. */
function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Creates a temp file for writing, and its folder only when it is missing: the folders of a run exist after
 * its first files, and a recursive mkdir before every put cost more main-thread CPU than the write itself.
 */
async function createTemp(tmp: string): Promise<FileHandle> {
  const create = () => open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
  try {
    return await create();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(tmp), { recursive: true });
    return create();
  }
}
