// Where evidence bytes live. The service hashes while it streams and only then knows the name, so a
// backend offers "stage, then commit under a hash": nothing is ever visible under a hash before all
// its bytes are durable. The filesystem backend is the default; an S3-compatible backend fits the same
// interface (stage = multipart upload to a staging key, commit = copy to `sha256/<hex>` if absent,
// then delete the staging key) without the service changing. A file already written beside the store
// (a finished resumable upload) is adopted instead: hashed by reading it once, then renamed, not copied.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** What the store knows of a blob's bytes: its digests and length. */
export interface BlobDigests {
  sha256: string;
  /** Only when SM3 was asked for (国密). */
  sm3?: string;
  size: number;
}

/**
 * The one hashing code of the store: SHA-256 (and SM3 when asked) of bytes as they pass, whether
 * they stream in over HTTP (storeEvidence) or are read back from a finished upload (adopt).
 */
export class BlobHasher {
  private readonly sha = crypto.createHash('sha256');
  private readonly sm3: crypto.Hash | null;
  size = 0;

  constructor(opts: { sm3?: boolean } = {}) {
    this.sm3 = opts.sm3 ? crypto.createHash('sm3') : null;
  }

  update(chunk: Uint8Array): void {
    this.size += chunk.length;
    this.sha.update(chunk);
    this.sm3?.update(chunk);
  }

  digest(): BlobDigests {
    const sm3 = this.sm3?.digest('hex');
    return { sha256: this.sha.digest('hex'), ...(sm3 ? { sm3 } : {}), size: this.size };
  }
}

/** A file handed to the store, hashed and durable on disk, not yet visible under its hash. */
export interface AdoptedBlob extends BlobDigests {
  /**
   * Moves the file under its SHA-256 (a rename: no byte copied). When that blob is stored already,
   * the file is removed and the stored one kept. Until this is called the file stays where it was.
   */
  commit(): Promise<{ created: boolean }>;
}

export interface StagedBlob {
  /** Where the upload's bytes go. */
  readonly sink: Writable;
  /** After the sink finished: makes the bytes durable and visible under `sha256`; a blob already there is kept. */
  commit(sha256: string): Promise<{ created: boolean }>;
  /** Drops the staged bytes (refused or interrupted upload). Safe to call more than once. */
  discard(): Promise<void>;
}

export interface BlobStorage {
  stage(): Promise<StagedBlob>;
  /**
   * Takes over a file already written on the store's filesystem (a finished resumable upload): reads
   * it once to hash it, fsyncs it, and on commit() renames it into place. The caller keeps the file
   * until commit(); after commit() it is gone (stored, or removed as a duplicate).
   */
  adopt(file: string, opts?: { sm3?: boolean }): Promise<AdoptedBlob>;
  /** Size of a committed blob, or null. */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** Bytes start…end (inclusive) of a committed blob, or all of it. */
  read(sha256: string, range?: { start: number; end: number }): Readable;
  /** Removes staging leftovers (from crashed processes) older than `maxAgeMs`; returns how many. */
  sweep(maxAgeMs: number): Promise<number>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const CHUNK = 1 << 20;

async function fsyncPath(p: string, flags: string): Promise<void> {
  const fh = await fsp.open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
const fsyncDir = (dir: string) => fsyncPath(dir, 'r');
const fsyncFile = (file: string) => fsyncPath(file, 'r+');

/**
 * `<root>/sha256/ab/cd/<hex>` for committed blobs (read-only files), `<root>/tmp/*.part` while
 * uploading. Commit = fsync file, rename into place, fsync the directories: after a crash a blob is
 * either complete under its name or absent, never half there.
 */
export class FsBlobStorage implements BlobStorage {
  constructor(readonly root: string) {}

  private finalPath(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error(`不是 SHA-256 十六进制值：${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  private get tmpDir(): string {
    return path.join(this.root, 'tmp');
  }

  async stage(): Promise<StagedBlob> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${crypto.randomUUID()}.part`);
    const sink = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK });
    return {
      sink,
      commit: async (sha256) => {
        // The stream has closed its descriptor; fsync through a new one flushes the same file.
        await fsyncFile(tmp);
        return this.place(tmp, sha256);
      },
      discard: async () => {
        sink.destroy();
        // Wait for the descriptor to close before unlinking (and let a late open fail harmlessly).
        if (!sink.closed) await new Promise<void>((res) => sink.once('close', () => res()));
        await fsp.rm(tmp, { force: true });
      },
    };
  }

  async adopt(file: string, opts: { sm3?: boolean } = {}): Promise<AdoptedBlob> {
    const hasher = new BlobHasher(opts);
    for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) hasher.update(chunk as Buffer);
    const digests = hasher.digest();
    // Whoever wrote the file may not have flushed it: durable before it gets a name. Read-only
    // descriptor: a retry after a crash between chmod and rename finds the file already 0440.
    await fsyncPath(file, 'r');
    return {
      ...digests,
      commit: async () => {
        try {
          return await this.place(file, digests.sha256);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        }
        // Not on the store's filesystem after all (a separately mounted uploads directory): copy once.
        await fsp.mkdir(this.tmpDir, { recursive: true });
        const tmp = path.join(this.tmpDir, `${crypto.randomUUID()}.part`);
        try {
          await fsp.copyFile(file, tmp, fs.constants.COPYFILE_EXCL);
          await fsyncPath(tmp, 'r');
          const placed = await this.place(tmp, digests.sha256);
          await fsp.rm(file, { force: true });
          return placed;
        } finally {
          await fsp.rm(tmp, { force: true });
        }
      },
    };
  }

  /**
   * The durable file `file` becomes blob `sha256`: renamed into place (read-only), directories fsynced;
   * or removed when that blob exists already. After a crash it is either still at `file` or stored.
   */
  private async place(file: string, sha256: string): Promise<{ created: boolean }> {
    const final = this.finalPath(sha256);
    const dir = path.dirname(final);
    await fsp.mkdir(dir, { recursive: true });
    if (await fsp.stat(final).then(() => true, () => false)) {
      await fsp.rm(file, { force: true });
      return { created: false };
    }
    // R-R05: stored evidence is not to be modified; the file is made read-only as well.
    await fsp.chmod(file, 0o440);
    await fsp.rename(file, final);
    await fsyncDir(dir);
    await fsyncDir(path.dirname(dir));
    return { created: true };
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const s = await fsp.stat(this.finalPath(sha256));
      return { size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  read(sha256: string, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(this.finalPath(sha256), { highWaterMark: CHUNK, ...(range ?? {}) });
  }

  async sweep(maxAgeMs: number): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await fsp.readdir(this.tmpDir);
    } catch {
      return 0;
    }
    const cutoff = Date.now() - maxAgeMs;
    for (const name of names) {
      if (!name.endsWith('.part')) continue;
      const p = path.join(this.tmpDir, name);
      const s = await fsp.stat(p).catch(() => null);
      if (s && s.mtimeMs <= cutoff) {
        await fsp.rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
