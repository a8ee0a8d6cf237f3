// Evidence store over real HTTP: streaming uploads hashed on the fly, duplicates stored once, size
// and type refusals, range downloads, interrupted uploads leave nothing visible, and every stored
// blob is committed to the ledger (R-R05, R-R01).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type TestDb } from '../../test/helpers/db.ts';
import { ledgerContext } from '../../test/helpers/ledger.ts';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { buildServer } from '../platform/http/server.ts';
import { startSequencer } from '../ledger/sequencer.ts';
import * as ledgerStore from '../ledger/store.ts';
import { registerBlobRoutes } from './routes.ts';
import { claimBlob, parseRange } from './service.ts';

const actor: Actor = { kind: 'user', id: crypto.randomUUID(), name: '王执法', role: 'officer', agencyId: crypto.randomUUID(), jurisdiction: null, scopes: [] };
/** A user of another agency (header x-test-user: other). */
const stranger: Actor = { ...actor, id: crypto.randomUUID(), name: '李执法', agencyId: crypto.randomUUID() };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-blobs-'));
const evidenceDir = path.join(dataDir, 'evidence');

let t: TestDb;
let ctx: AppContext;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  process.env.EVIDENCE_MAX_BYTES = String(512 * 1024 * 1024);
  t = await scratchDatabase();
  ctx = {
    ...ledgerContext(t.db, { DATA_DIR: dataDir }),
    demo: false,
    async authenticate(req: FastifyRequest, required: boolean) {
      if (req.headers['x-test-user'] === 'yes') return actor;
      if (req.headers['x-test-user'] === 'other') return stranger;
      if (required) throw new AppError('unauthenticated');
      return null;
    },
  };
  app = await buildServer(ctx, (a) => registerBlobRoutes(a, ctx));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  delete process.env.EVIDENCE_MAX_BYTES;
  await app?.close();
  await t?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const blobPath = (hex: string) => path.join(evidenceDir, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
const stagingFiles = () => (fs.existsSync(path.join(evidenceDir, 'tmp')) ? fs.readdirSync(path.join(evidenceDir, 'tmp')) : []);
const headers = (extra: Record<string, string> = {}) => ({ 'x-test-user': 'yes', 'content-type': 'application/octet-stream', 'x-media-type': 'video/mp4', ...extra });

async function upload(body: Buffer, extra: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/evidence', headers: headers(extra), payload: body });
}

/** A streamed upload over a real socket, from a generator: the test never holds the file either. */
function streamUpload(totalBytes: number, opts: { chunk?: number; abortAfter?: number; contentLength?: boolean } = {}): Promise<{ status: number; body: string; sha256: string }> {
  const chunk = opts.chunk ?? 1 << 20;
  const hash = crypto.createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/evidence',
      headers: { ...headers({ 'x-filename': encodeURIComponent('执法记录仪 2025-06-01.mp4') }), ...(opts.contentLength === false ? {} : { 'content-length': String(totalBytes) }) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, sha256: hash.digest('hex') }));
    });
    req.on('error', (err) => (opts.abortAfter !== undefined ? resolve({ status: 0, body: String(err), sha256: '' }) : reject(err)));
    let sent = 0;
    const seed = crypto.randomBytes(chunk);
    const pump = () => {
      while (sent < totalBytes) {
        if (opts.abortAfter !== undefined && sent >= opts.abortAfter) {
          req.destroy();
          return;
        }
        const piece = seed.subarray(0, Math.min(chunk, totalBytes - sent));
        piece[0] = sent % 251; // not all chunks equal
        hash.update(piece);
        sent += piece.length;
        if (!req.write(Buffer.from(piece))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('evidence upload', () => {
  it('R-R05: stores a file under its SHA-256, read-only, recorded and committed to the ledger', async () => {
    const body = crypto.randomBytes(100_000);
    const res = await upload(body, { 'x-filename': encodeURIComponent('现场照片.jpg'), 'x-media-type': 'image/jpeg' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ sha256: sha(body), size: body.length, mediaType: 'image/jpeg', created: true });
    expect(fs.readFileSync(blobPath(sha(body))).equals(body)).toBe(true);
    expect(fs.statSync(blobPath(sha(body))).mode & 0o222).toBe(0);
    const ev = await t.db.query<{ id: number; commitment: Uint8Array; data: { sha256: string; uploader: string } }>("SELECT id, commitment, data FROM events WHERE kind = 'blobs.stored'");
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0]!.data).toMatchObject({ sha256: sha(body), size: body.length, mediaType: 'image/jpeg', uploader: actor.id });
    // The ledger commits to the event (salted commitment, DESIGN §5) once the sequencer runs.
    const seq = startSequencer(ctx, { intervalMs: 3_600_000 });
    await seq.flush();
    await seq.stop();
    const found = await ledgerStore.findEntriesByDigest(t.db, Buffer.from(ev.rows[0]!.commitment), 1_000_000);
    expect(found).toHaveLength(1);
    expect(JSON.parse(found[0]!.entry.toString())).toMatchObject({ v: 2, domain: 'blobs', event: ev.rows[0]!.id });
  });

  it('stores duplicates once and records every submission', async () => {
    const body = crypto.randomBytes(5000);
    expect((await upload(body)).statusCode).toBe(201);
    const again = await upload(body, { 'x-filename': encodeURIComponent('副本.mp4') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sha256: sha(body), created: false });
    const uploads = await t.db.query<{ duplicate: boolean; filename: string | null }>('SELECT duplicate, filename FROM blob_uploads WHERE sha256 = $1 ORDER BY id', [sha(body)]);
    expect(uploads.rows).toEqual([{ duplicate: false, filename: null }, { duplicate: true, filename: '副本.mp4' }]);
    const events = await t.db.query("SELECT 1 FROM events WHERE kind = 'blobs.stored' AND subject_id = $1", [sha(body)]);
    expect(events.rows).toHaveLength(1);
    expect(stagingFiles()).toEqual([]);
  });

  it('refuses anonymous uploads, other body types, types not on the list and oversize files', async () => {
    const body = crypto.randomBytes(10);
    expect((await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { 'content-type': 'application/octet-stream', 'x-media-type': 'image/png' }, payload: body })).statusCode).toBe(401);
    expect((await upload(body, { 'x-media-type': 'text/html' })).statusCode).toBe(415);
    expect((await upload(body, { 'x-media-type': '' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { 'x-test-user': 'yes', 'content-type': 'video/mp4' }, payload: body })).statusCode).toBe(415);
    expect((await upload(Buffer.alloc(0))).statusCode).toBe(400);
    const big = await upload(body, { 'content-length': String(600 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect((big.json() as { detail: string }).detail).toMatch(/超过上限/);
    expect(stagingFiles()).toEqual([]);
  });

  it('stops reading a chunked upload at the size limit and keeps nothing', async () => {
    process.env.EVIDENCE_MAX_BYTES = String(3 * 1024 * 1024);
    try {
      const res = await streamUpload(8 * 1024 * 1024, { contentLength: false });
      expect(res.status).toBe(413);
    } finally {
      process.env.EVIDENCE_MAX_BYTES = String(512 * 1024 * 1024);
    }
    await expect.poll(stagingFiles).toEqual([]);
  });

  it('streams a file many times larger than its chunks with flat memory, hashing on the fly', async () => {
    const size = 256 * 1024 * 1024;
    global.gc?.();
    const before = process.memoryUsage().rss;
    const res = await streamUpload(size);
    const after = process.memoryUsage().rss;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ sha256: res.sha256, size, created: true });
    expect(fs.statSync(blobPath(res.sha256)).size).toBe(size);
    // Generous bound (test runner, GC timing); a buffered upload would add ≥ 256 MiB.
    expect(after - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('an interrupted upload leaves no visible file and no record', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM blobs');
    const res = await streamUpload(32 * 1024 * 1024, { abortAfter: 4 * 1024 * 1024 });
    expect(res.status).toBe(0);
    await expect.poll(stagingFiles, { timeout: 5000 }).toEqual([]);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM blobs');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('R-R05: blob records refuse UPDATE and DELETE', async () => {
    await expect(t.db.query("UPDATE blobs SET media_type = 'x'")).rejects.toThrow(/只允许追加/);
    await expect(t.db.query('DELETE FROM blob_uploads')).rejects.toThrow(/只允许追加/);
    await expect(t.db.query('TRUNCATE blobs CASCADE')).rejects.toThrow(/只允许追加/);
  });
});

describe('evidence download', () => {
  const body = crypto.randomBytes(10_000);
  const hex = sha(body);
  const get = (h: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1/evidence/${hex.toUpperCase()}`, headers: { 'x-test-user': 'yes', ...h } });

  beforeAll(async () => {
    await upload(body, { 'x-filename': encodeURIComponent('询问笔录.pdf'), 'x-media-type': 'application/pdf' });
  });

  it('sends the whole file with its digest, type and name', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(body)).toBe(true);
    expect(res.headers).toMatchObject({ 'content-type': 'application/pdf', 'accept-ranges': 'bytes', etag: `"${hex}"`, 'content-length': '10000' });
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('询问笔录.pdf')}`);
    expect(res.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`);
    expect((await get({ 'if-none-match': `"${hex}"` })).statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${hex}` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${'0'.repeat(64)}`, headers: { 'x-test-user': 'yes' } })).statusCode).toBe(404);
    const audited = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'evidence.download'");
    expect(audited.rows.length).toBeGreaterThan(0);
  });

  it('R-R06: by its hash only the uploader reads its file, and only until a domain attaches it; another agency cannot attach it', async () => {
    const other = { 'x-test-user': 'other' };
    for (const url of [`/api/v1/evidence/${hex}`, `/api/v1/evidence/${hex}/info`]) {
      const r = await app.inject({ method: 'GET', url, headers: other });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${hex}/info`, headers: { 'x-test-user': 'yes' } })).json()).toMatchObject({ sha256: hex, filename: '询问笔录.pdf' });
    expect(await t.db.transaction((tx) => claimBlob(tx, hex, { agencyId: stranger.agencyId, by: stranger.id, purpose: 'record' }))).toBeNull();
    expect((await t.db.query('SELECT 1 FROM blob_attachments WHERE sha256 = $1', [hex])).rows).toEqual([]);
    // A fresh file, so that the other tests keep theirs: attached by its own agency, then nobody reads it by hash.
    const bytes = crypto.randomBytes(1000);
    await upload(bytes, { 'x-media-type': 'application/pdf' });
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${sha(bytes)}`, headers: { 'x-test-user': 'yes' } })).statusCode).toBe(200);
    expect(await t.db.transaction((tx) => claimBlob(tx, sha(bytes), { agencyId: actor.agencyId, by: actor.id, purpose: 'document' }))).toMatchObject({ size: 1000, mediaType: 'application/pdf' });
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${sha(bytes)}`, headers: { 'x-test-user': 'yes' } })).statusCode).toBe(404);
    const denied = await t.db.query(`SELECT 1 FROM audit_log WHERE outcome = 'denied' AND detail->>'sha256' = $1`, [sha(bytes)]);
    expect(denied.rows).toHaveLength(1);
    await expect(t.db.query('DELETE FROM blob_attachments')).rejects.toThrow(/只允许追加/);
  });

  it('answers range requests (video seeking)', async () => {
    const r1 = await get({ range: 'bytes=0-99' });
    expect(r1.statusCode).toBe(206);
    expect(r1.headers['content-range']).toBe('bytes 0-99/10000');
    expect(r1.rawPayload.equals(body.subarray(0, 100))).toBe(true);
    const r2 = await get({ range: 'bytes=9990-' });
    expect(r2.rawPayload.equals(body.subarray(9990))).toBe(true);
    const r3 = await get({ range: 'bytes=-10' });
    expect(r3.headers['content-range']).toBe('bytes 9990-9999/10000');
    const r4 = await get({ range: 'bytes=5000-99999' });
    expect(r4.headers['content-range']).toBe('bytes 5000-9999/10000');
    const r5 = await get({ range: 'bytes=10000-' });
    expect(r5.statusCode).toBe(416);
    expect(r5.headers['content-range']).toBe('bytes */10000');
    expect((await get({ range: 'bytes=0-1,5-6' })).statusCode).toBe(200);
    expect((await get({ range: 'bytes=0-1', 'if-range': '"other"' })).statusCode).toBe(200);
  });

  it('parses ranges per RFC 9110', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=2-4', 10)).toEqual({ kind: 'partial', start: 2, end: 4 });
    expect(parseRange('bytes=-20', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=5-2', 10)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'full' });
  });
});
