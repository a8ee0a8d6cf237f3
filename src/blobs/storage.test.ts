// FsBlobStorage.adopt: a file already written beside the store (a finished resumable upload) becomes a
// blob by a rename — the same inode, no staging copy — hashed by the same code as a streamed upload;
// a file whose bytes are stored already is removed and the stored blob kept.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobHasher, FsBlobStorage } from './storage.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-adopt-'));
const uploads = path.join(root, 'uploads', 'parts');
fs.mkdirSync(uploads, { recursive: true });
const storage = new FsBlobStorage(root);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const blobPath = (hex: string) => path.join(root, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
const stagingFiles = () => (fs.existsSync(path.join(root, 'tmp')) ? fs.readdirSync(path.join(root, 'tmp')) : []);
const hashOf = (alg: string, b: Buffer) => crypto.createHash(alg).update(b).digest('hex');

describe('FsBlobStorage.adopt', () => {
  it('renames a finished upload into its content address: same inode, no copy, read-only', async () => {
    const body = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const file = path.join(uploads, 'a'.repeat(32));
    fs.writeFileSync(file, body);
    const inode = fs.statSync(file).ino;

    const adopted = await storage.adopt(file, { sm3: true });
    expect(adopted).toMatchObject({ sha256: hashOf('sha256', body), sm3: hashOf('sm3', body), size: body.length });
    // Hashed, not yet visible: until commit the file is the caller's.
    expect(fs.existsSync(file)).toBe(true);
    expect(await storage.stat(adopted.sha256)).toBeNull();

    expect(await adopted.commit()).toEqual({ created: true });
    expect(fs.existsSync(file)).toBe(false);
    const stored = fs.statSync(blobPath(adopted.sha256));
    expect(stored.ino).toBe(inode);
    expect(stored.mode & 0o222).toBe(0);
    expect(stagingFiles()).toEqual([]);
    expect(fs.readFileSync(blobPath(adopted.sha256)).equals(body)).toBe(true);
  });

  it('dedup: bytes already stored keep the stored file and remove the upload', async () => {
    const body = crypto.randomBytes(100_000);
    const staged = await storage.stage();
    await pipeline(Readable.from([body]), staged.sink);
    expect(await staged.commit(hashOf('sha256', body))).toEqual({ created: true });
    const storedInode = fs.statSync(blobPath(hashOf('sha256', body))).ino;

    const file = path.join(uploads, 'b'.repeat(32));
    fs.writeFileSync(file, body);
    const adopted = await storage.adopt(file);
    expect(adopted.sm3).toBeUndefined();
    expect(await adopted.commit()).toEqual({ created: false });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.statSync(blobPath(adopted.sha256)).ino).toBe(storedInode);
    expect(stagingFiles()).toEqual([]);
  });

  it('hashes like the streaming path (the one BlobHasher), chunk boundaries notwithstanding', () => {
    const body = crypto.randomBytes(10_000);
    const h = new BlobHasher({ sm3: true });
    for (let i = 0; i < body.length; i += 777) h.update(body.subarray(i, i + 777));
    expect(h.digest()).toEqual({ sha256: hashOf('sha256', body), sm3: hashOf('sm3', body), size: body.length });
  });
});
