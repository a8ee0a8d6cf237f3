// Where evidence bytes live. The service hashes while it streams and only then knows the name, so a
// backend offers "stage, then commit under a hash": nothing is ever visible under a hash before all
// its bytes are durable. The filesystem backend is the default; an S3-compatible backend fits the same
// interface (stage = multipart upload to a staging key, commit = copy to `sha256/<hex>` if absent,
// then delete the staging key) without the service changing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

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
  /** Size of a committed blob, or null. */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** Bytes start…end (inclusive) of a committed blob, or all of it. */
  read(sha256: string, range?: { start: number; end: number }): Readable;
  /** Removes staging leftovers (from crashed processes) older than `maxAgeMs`; returns how many. */
  sweep(maxAgeMs: number): Promise<number>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const CHUNK = 1 << 20;

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

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
        const final = this.finalPath(sha256);
        // The stream has closed its descriptor; fsync through a new one flushes the same file.
        const fh = await fsp.open(tmp, 'r+');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        const dir = path.dirname(final);
        await fsp.mkdir(dir, { recursive: true });
        if (await fsp.stat(final).then(() => true, () => false)) {
          await fsp.rm(tmp, { force: true });
          return { created: false };
        }
        // R-R05: stored evidence is not to be modified; the file is made read-only as well.
        await fsp.chmod(tmp, 0o440);
        await fsp.rename(tmp, final);
        await fsyncDir(dir);
        await fsyncDir(path.dirname(dir));
        return { created: true };
      },
      discard: async () => {
        sink.destroy();
        // Wait for the descriptor to close before unlinking (and let a late open fail harmlessly).
        if (!sink.closed) await new Promise<void>((res) => sink.once('close', () => res()));
        await fsp.rm(tmp, { force: true });
      },
    };
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
