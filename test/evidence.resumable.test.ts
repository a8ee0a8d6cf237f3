// Resumable evidence uploads (tus 1.0) over a real socket: creation refusals, chunked PATCHes with
// HEAD offsets, resuming after a broken PATCH, offset conflicts, ownership (another user: 404), the
// finished file stored through the same path as POST /api/v1/evidence (R-R05: hash, dedup, ledger),
// staging removed, stale partial uploads swept, and tus-js-client's Node side end to end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Upload, type DetailedError } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, type Session, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { sweepUploads } from '../src/blobs/resumable.ts';
import { FsBlobStorage } from '../src/blobs/storage.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-tus-'));
const parts = path.join(dataDir, 'evidence', 'uploads', 'parts');
const done = path.join(dataDir, 'evidence', 'uploads', 'done');
const staging = path.join(dataDir, 'evidence', 'tmp');
const BASE = '/api/v1/evidence/uploads';
const MAX = 64 * 1024 * 1024;

let app: TestApp;
let port: number;
let officer: Session;
let other: Session;

beforeAll(async () => {
  process.env.EVIDENCE_MAX_BYTES = String(MAX);
  app = await startTestApp({ DATA_DIR: dataDir });
  await loadDemo(app.ctx);
  officer = await login(app, 'scjg_officer', DEMO_PASSWORD);
  other = await login(app, 'sthj_officer', DEMO_PASSWORD);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.server.address() as { port: number }).port;
});
afterAll(async () => {
  delete process.env.EVIDENCE_MAX_BYTES;
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const blobPath = (hex: string) => path.join(dataDir, 'evidence', 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
const auth = (s: Session | null, write = true): Record<string, string> => (s ? { cookie: s.cookie, ...(write ? { 'x-csrf-token': s.csrf } : {}) } : {});

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over a real socket; `abortAfter` sends that many body bytes and then drops the connection. */
function send(method: string, url: string, headers: Record<string, string>, body?: Buffer, opts: { abortAfter?: number } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers: { 'tus-resumable': '1.0.0', ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', (err) => (opts.abortAfter !== undefined ? resolve({ status: 0, headers: {}, body: String(err) }) : reject(err)));
    if (!body) return void req.end();
    if (opts.abortAfter === undefined) return void req.end(body);
    req.write(body.subarray(0, opts.abortAfter), () => setTimeout(() => req.destroy(), 200));
  });
}

async function create(s: Session | null, size: number, meta: Record<string, string> = { filename: '执法记录仪 2026-06-01.mp4', filetype: 'video/mp4' }): Promise<Res> {
  const metadata = Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`).join(',');
  return send('POST', BASE, { ...auth(s), 'upload-length': String(size), 'upload-metadata': metadata });
}

const idOf = (r: Res) => String(r.headers.location).split('/').pop()!;
const head = (s: Session | null, id: string) => send('HEAD', `${BASE}/${id}`, auth(s, false));
const patch = (s: Session, id: string, offset: number, body: Buffer, opts: { abortAfter?: number } = {}) =>
  send('PATCH', `${BASE}/${id}`, { ...auth(s), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body, opts);

function expectProblem(r: Res, status: number, detail?: RegExp) {
  expect(r.status, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = JSON.parse(r.body) as { status: number; detail: string; type: string };
  expect(p.status).toBe(status);
  expect(p.type).toMatch(/^urn:sanxiang:problem:/);
  if (detail) expect(p.detail).toMatch(detail);
  return p;
}

describe('creation', () => {
  it('refuses without a session, too large, wrong type, and without Upload-Length (problem+json, Chinese)', async () => {
    expectProblem(await create(null, 100), 401, /登录/);
    expectProblem(await create(officer, MAX + 1), 413, /超过上限/);
    expectProblem(await create(officer, 100, { filename: 'a.html', filetype: 'text/html' }), 415, /不接受的证据文件类型/);
    expectProblem(await create(officer, 100, { filename: 'a' }), 400, /filetype/);
    expectProblem(await send('POST', BASE, { ...auth(officer), 'upload-defer-length': '1', 'upload-metadata': `filetype ${b64('video/mp4')}` }), 400, /Upload-Length/);
    // A cookie write without the CSRF header is refused like every other write.
    expectProblem(await send('POST', BASE, { cookie: officer.cookie, 'upload-length': '10', 'upload-metadata': `filetype ${b64('video/mp4')}` }), 403);
    expect(fs.existsSync(parts) ? fs.readdirSync(parts) : []).toEqual([]);
  });
});

describe('upload in chunks', () => {
  it('R-R05: PATCHes in several chunks, HEAD reports the offset, the finished file is stored, recorded and its staging removed', async () => {
    const body = crypto.randomBytes(3 * 1024 * 1024 + 123);
    const c = await create(officer, body.length);
    expect(c.status, c.body).toBe(201);
    expect(c.headers.location).toMatch(/^\/api\/v1\/evidence\/uploads\/[0-9a-f]{32}$/);
    const id = idOf(c);
    let h = await head(officer, id);
    expect(h.status).toBe(200);
    expect(h.headers['upload-offset']).toBe('0');
    expect(h.headers['upload-length']).toBe(String(body.length));
    expect(h.headers['cache-control']).toBe('no-store');

    const chunk = 1024 * 1024;
    let offset = 0;
    let last: Res | null = null;
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + chunk);
      last = await patch(officer, id, offset, piece);
      expect(last.status, last.body).toBe(204);
      offset += piece.length;
      expect(last.headers['upload-offset']).toBe(String(offset));
      if (offset < body.length) {
        h = await head(officer, id);
        expect(h.headers['upload-offset']).toBe(String(offset));
        expect(last.headers['x-evidence-sha256']).toBeUndefined();
      }
    }
    expect(last!.headers['x-evidence-sha256']).toBe(sha(body));

    // The same JSON as POST /api/v1/evidence.
    const result = await send('GET', `${BASE}/${id}/result`, auth(officer, false));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ sha256: sha(body), size: body.length, mediaType: 'video/mp4', created: true });
    expect(fs.readFileSync(blobPath(sha(body))).equals(body)).toBe(true);
    expect(fs.statSync(blobPath(sha(body))).mode & 0o222).toBe(0);

    const ev = await app.ctx.db.query<{ id: number; data: { sha256: string; size: number } }>("SELECT id, data FROM events WHERE kind = 'blobs.stored' AND subject_id = $1", [sha(body)]);
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0]!.data).toMatchObject({ sha256: sha(body), size: body.length, mediaType: 'video/mp4' });
    const pending = await app.ctx.db.query<{ entry: Uint8Array }>('SELECT entry FROM ledger_pending');
    const entries = pending.rows.map((r) => JSON.parse(Buffer.from(r.entry).toString()) as { kind: string; event: number });
    expect(entries).toContainEqual(expect.objectContaining({ v: 2, domain: 'blobs', event: ev.rows[0]!.id }));
    const uploads = await app.ctx.db.query<{ filename: string }>('SELECT filename FROM blob_uploads WHERE sha256 = $1', [sha(body)]);
    expect(uploads.rows).toEqual([{ filename: '执法记录仪 2026-06-01.mp4' }]);

    // Staging gone; the upload still answers as complete (a client whose last response was lost).
    expect(fs.readdirSync(parts).filter((n) => n.startsWith(id))).toEqual([]);
    h = await head(officer, id);
    expect(h.status).toBe(200);
    expect(h.headers['upload-offset']).toBe(String(body.length));
    expect(h.headers['x-evidence-sha256']).toBe(sha(body));
    // Stored evidence cannot be withdrawn through the upload (R-R05).
    expectProblem(await send('DELETE', `${BASE}/${id}`, auth(officer)), 409);
  });

  it('the same bytes uploaded again are stored once (dedup through the shared path)', async () => {
    const body = crypto.randomBytes(50_000);
    for (const expected of [true, false]) {
      const id = idOf(await create(officer, body.length, { filename: 'photo.jpg', filetype: 'image/jpeg' }));
      const r = await patch(officer, id, 0, body);
      expect(r.headers['x-evidence-sha256']).toBe(sha(body));
      expect(JSON.parse((await send('GET', `${BASE}/${id}/result`, auth(officer, false))).body).created).toBe(expected);
    }
  });

  it('a wrong offset is a 409 conflict, and a result before completion a 409', async () => {
    const id = idOf(await create(officer, 1000));
    expectProblem(await patch(officer, id, 10, Buffer.alloc(10)), 409, /Upload-Offset/);
    expect((await patch(officer, id, 0, Buffer.alloc(100, 1))).status).toBe(204);
    expectProblem(await patch(officer, id, 0, Buffer.alloc(10)), 409);
    expectProblem(await send('GET', `${BASE}/${id}/result`, auth(officer, false)), 409, /100 \/ 1000/);
    expectProblem(await patch(officer, id, 100, Buffer.alloc(1000)), 413);
  });
});

describe('resume', () => {
  it('after a PATCH broken mid-stream the offset is what reached the disk, and the upload completes from there', async () => {
    const body = crypto.randomBytes(6 * 1024 * 1024);
    const id = idOf(await create(officer, body.length));
    const broken = await patch(officer, id, 0, body, { abortAfter: 2 * 1024 * 1024 });
    expect(broken.status).toBe(0);
    // The server notices the broken connection and keeps what it received.
    let offset = -1;
    await expect
      .poll(async () => {
        const h = await head(officer, id);
        offset = Number(h.headers['upload-offset']);
        return offset;
      }, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(fs.statSync(path.join(parts, id)).size).toBe(offset);
    const r = await patch(officer, id, offset, body.subarray(offset));
    expect(r.status, r.body).toBe(204);
    expect(r.headers['x-evidence-sha256']).toBe(sha(body));
    expect(fs.readFileSync(blobPath(sha(body))).equals(body)).toBe(true);
  });
});

describe('recovery', () => {
  it('a complete upload whose ingest never ran (crash, lost response) is stored on the next HEAD — by a rename, not a copy', async () => {
    const body = crypto.randomBytes(70_000);
    const id = idOf(await create(officer, body.length, { filename: 'scan.pdf', filetype: 'application/pdf' }));
    // As if the process died after the last byte reached the disk and before the ingest ran.
    fs.writeFileSync(path.join(parts, id), body);
    const inode = fs.statSync(path.join(parts, id)).ino;
    expect(fs.existsSync(blobPath(sha(body)))).toBe(false);
    const h = await head(officer, id);
    expect(h.status).toBe(200);
    expect(h.headers['upload-offset']).toBe(String(body.length));
    expect(h.headers['x-evidence-sha256']).toBe(sha(body));
    expect(fs.readFileSync(blobPath(sha(body))).equals(body)).toBe(true);
    // The upload's own file became the blob: same inode, no staging copy, nothing left in parts/.
    expect(fs.statSync(blobPath(sha(body))).ino).toBe(inode);
    expect(fs.existsSync(staging) ? fs.readdirSync(staging) : []).toEqual([]);
    expect(fs.readdirSync(parts).filter((n) => n.startsWith(id))).toEqual([]);
    expect(JSON.parse((await send('GET', `${BASE}/${id}/result`, auth(officer, false))).body)).toMatchObject({ sha256: sha(body), mediaType: 'application/pdf' });
  });

  it('a crash after the file was renamed into the store and before it was recorded: the next HEAD records it', async () => {
    const body = crypto.randomBytes(40_000);
    const id = idOf(await create(officer, body.length, { filename: '询问笔录.pdf', filetype: 'application/pdf' }));
    fs.writeFileSync(path.join(parts, id), body);
    const owner = (JSON.parse(fs.readFileSync(path.join(parts, `${id}.json`), 'utf8')) as { metadata: { owner: string } }).metadata.owner;
    // What the ingest leaves when killed right after the rename: its intent, the blob stored, the parts file gone.
    const adopted = await new FsBlobStorage(path.join(dataDir, 'evidence')).adopt(path.join(parts, id));
    fs.writeFileSync(path.join(done, `${id}.adopt.json`), JSON.stringify({ owner, blob: { sha256: adopted.sha256, size: adopted.size, mediaType: 'application/pdf', filename: '询问笔录.pdf' } }));
    await adopted.commit();
    expect(fs.existsSync(path.join(parts, id))).toBe(false);
    expect((await app.ctx.db.query('SELECT 1 FROM blobs WHERE sha256 = $1', [sha(body)])).rows).toHaveLength(0);

    // Someone else still cannot see it; the owner cannot append to it.
    expect((await head(other, id)).status).toBe(404);
    expectProblem(await patch(officer, id, body.length, Buffer.alloc(1)), 409);
    const h = await head(officer, id);
    expect(h.status).toBe(200);
    expect(h.headers['upload-offset']).toBe(String(body.length));
    expect(h.headers['x-evidence-sha256']).toBe(sha(body));
    expect(JSON.parse((await send('GET', `${BASE}/${id}/result`, auth(officer, false))).body)).toEqual({ sha256: sha(body), size: body.length, mediaType: 'application/pdf', created: true });
    const uploads = await app.ctx.db.query<{ filename: string }>('SELECT filename FROM blob_uploads WHERE sha256 = $1', [sha(body)]);
    expect(uploads.rows).toEqual([{ filename: '询问笔录.pdf' }]);
    expect(fs.readdirSync(parts).filter((n) => n.startsWith(id))).toEqual([]);
    expect(fs.readdirSync(done).filter((n) => n.startsWith(id))).toEqual([`${id}.json`]);
  });
});

describe('ownership and authentication', () => {
  it('another user gets 404 for every request; no session gets 401; a cookie PATCH without CSRF 403', async () => {
    const id = idOf(await create(officer, 100));
    expect((await head(other, id)).status).toBe(404);
    expectProblem(await patch(other, id, 0, Buffer.alloc(100)), 404, /不存在/);
    expectProblem(await send('DELETE', `${BASE}/${id}`, auth(other)), 404);
    expectProblem(await send('GET', `${BASE}/${id}/result`, auth(other, false)), 404);
    // The same agency's other users are not the uploader either (issue 15: a different user, 404).
    const colleague = await login(app, 'scjg_head', DEMO_PASSWORD);
    expect((await head(colleague, id)).status).toBe(404);
    expectProblem(await patch(colleague, id, 0, Buffer.alloc(100)), 404, /不存在/);
    expectProblem(await send('DELETE', `${BASE}/${id}`, auth(colleague)), 404);
    expect((await head(null, id)).status).toBe(401);
    expectProblem(await send('PATCH', `${BASE}/${id}`, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(100)), 401);
    expectProblem(await send('PATCH', `${BASE}/${id}`, { cookie: officer.cookie, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(100)), 403);
    // Unknown and malformed ids: the same 404.
    expect((await head(officer, '0'.repeat(32))).status).toBe(404);
    expect((await head(officer, '..')).status).toBe(404);
    // The owner still has it, untouched.
    expect((await head(officer, id)).headers['upload-offset']).toBe('0');
  });

  it('DELETE drops an unfinished upload and its staging data (termination)', async () => {
    const id = idOf(await create(officer, 100));
    await patch(officer, id, 0, Buffer.alloc(50, 7));
    const d = await send('DELETE', `${BASE}/${id}`, auth(officer));
    expect(d.status, d.body).toBe(204);
    expect((await head(officer, id)).status).toBe(404);
    expect(fs.readdirSync(parts).filter((n) => n.startsWith(id))).toEqual([]);
  });
});

describe('housekeeping', () => {
  it('partial uploads older than the configured age are swept; fresh ones stay', async () => {
    const oldId = idOf(await create(officer, 100));
    const freshId = idOf(await create(officer, 100));
    const infoPath = path.join(parts, `${oldId}.json`);
    const info = JSON.parse(fs.readFileSync(infoPath, 'utf8')) as { creation_date: string };
    info.creation_date = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    fs.writeFileSync(infoPath, JSON.stringify(info));
    expect(await sweepUploads(app.ctx, 7 * 24 * 3600 * 1000)).toBe(1);
    expect((await head(officer, oldId)).status).toBe(404);
    expect((await head(officer, freshId)).status).toBe(200);
  });
});

describe('tus-js-client (Node)', () => {
  it('uploads a buffer in chunks with progress and learns the SHA-256 from the last response', async () => {
    const body = crypto.randomBytes(2 * 1024 * 1024 + 77);
    const progress: number[] = [];
    const sha256 = await new Promise<string>((resolve, reject) => {
      const up = new Upload(body, {
        endpoint: `http://127.0.0.1:${port}${BASE}`,
        chunkSize: 512 * 1024,
        metadata: { filename: 'hearing.webm', filetype: 'video/webm' },
        headers: auth(officer),
        retryDelays: [0, 100],
        onProgress: (sent) => progress.push(sent),
        onSuccess: ({ lastResponse }) => resolve(lastResponse.getHeader('X-Evidence-Sha256') ?? ''),
        onError: reject,
      });
      up.start();
    });
    expect(sha256).toBe(sha(body));
    expect(progress.at(-1)).toBe(body.length);
    expect(fs.readFileSync(blobPath(sha256)).equals(body)).toBe(true);
  });

  it('turns a refusal into an error carrying the problem+json', async () => {
    const err = await new Promise<Error | DetailedError>((resolve) => {
      new Upload(Buffer.alloc(10), {
        endpoint: `http://127.0.0.1:${port}${BASE}`,
        metadata: { filename: 'x.exe', filetype: 'application/x-msdownload' },
        headers: auth(officer),
        retryDelays: null,
        onError: (e) => resolve(e),
      }).start();
    });
    const res = (err as DetailedError).originalResponse;
    expect(res?.getStatus()).toBe(415);
    expect(JSON.parse(res!.getBody()).detail).toMatch(/不接受的证据文件类型/);
  });
});
