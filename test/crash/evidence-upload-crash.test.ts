// kill -9 in the middle of a resumable (tus) evidence upload, restart, and show (R-R05):
// - every offset the server acknowledged is still there after the crash (HEAD reports at least it),
// - nothing of the unfinished upload is visible in the evidence store or recorded,
// - the upload resumes from the HEAD offset and the stored file has the right SHA-256.
// Runs on PGlite (DATA_DIR) or, when DATABASE_URL is set, on a scratch PostgreSQL database.
//   npx vitest run --config test/crash/vitest.config.ts test/crash/evidence-upload-crash.test.ts
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../helpers/db.ts';
import { ServerProcess, type Session } from './server-process.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 2);
const BASE = '/api/v1/evidence/uploads';
const SIZE = 48 * 1024 * 1024;

let server: ServerProcess;

const tusHeaders = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf, 'tus-resumable': '1.0.0' });

async function headOffset(s: Session, id: string): Promise<number> {
  const res = await fetch(server.url(`${BASE}/${id}`), { method: 'HEAD', headers: tusHeaders(s) });
  if (res.status !== 200) throw new Error(`HEAD ${res.status}`);
  return Number(res.headers.get('upload-offset'));
}

/**
 * PATCH body[offset…] in 1 MiB writes; `onSent` sees the bytes handed to the socket. Resolves with the
 * acknowledged offset, or null when the connection died. `holdBack` bytes at the end are never sent,
 * so a request meant to die mid-upload cannot finish before the kill on a fast machine.
 */
function patchFrom(s: Session, id: string, body: Buffer, offset: number, length: number, onSent?: (sent: number) => void, holdBack = 0): Promise<{ offset: number; sha256: string | null } | null> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      method: 'PATCH',
      path: `${BASE}/${id}`,
      headers: { ...tusHeaders(s), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(length) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 204 ? { offset: Number(res.headers['upload-offset']), sha256: (res.headers['x-evidence-sha256'] as string | undefined) ?? null } : null));
    });
    req.on('error', () => resolve(null));
    let sent = 0;
    const pump = () => {
      while (sent < length - holdBack) {
        const n = Math.min(1 << 20, length - holdBack - sent);
        const ok = req.write(body.subarray(offset + sent, offset + sent + n));
        sent += n;
        onSent?.(sent);
        if (!ok) return void req.once('drain', pump);
      }
      if (!holdBack) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  server = await ServerProcess.create('sx-tus-crash-');
  server.start();
  await server.waitHealthy();
}, 240_000);

afterAll(async () => {
  await server?.dispose();
});

describe(`resumable upload, kill -9 on ${engine}`, () => {
  it(`R-R05: ${ROUNDS} crashes mid-upload lose no acknowledged byte and expose nothing half-written`, async () => {
    const body = crypto.randomBytes(SIZE);
    const expected = crypto.createHash('sha256').update(body).digest('hex');
    let s = await server.login();
    const metadata = `filename ${Buffer.from('执法记录仪.mp4').toString('base64')},filetype ${Buffer.from('video/mp4').toString('base64')}`;
    const created = await fetch(server.url(BASE), { method: 'POST', headers: { ...tusHeaders(s), 'upload-length': String(SIZE), 'upload-metadata': metadata } });
    expect(created.status, await created.text()).toBe(201);
    const id = created.headers.get('location')!.split('/').pop()!;

    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // A fully acknowledged chunk first, then a PATCH the server dies in the middle of.
      const ack = await patchFrom(s, id, body, acknowledged, 4 * 1024 * 1024);
      expect(ack).not.toBeNull();
      acknowledged = ack!.offset;
      let killed: Promise<void> | null = null;
      let sentBeforeKill = 0;
      let latest = 0;
      const remaining = SIZE - acknowledged;
      const holdBack = 1 << 20;
      const broken = await patchFrom(s, id, body, acknowledged, remaining, (sent) => {
        latest = sent;
        if (!killed && sent >= Math.min(8 * 1024 * 1024, remaining - holdBack)) {
          killed = new Promise((r) => setTimeout(r, 100)).then(() => {
            sentBeforeKill = latest;
            return server.killHard();
          });
        }
      }, holdBack);
      await killed;
      expect(broken).toBeNull();

      server.start();
      await server.waitHealthy();
      s = await server.login();
      const offset = await headOffset(s, id);
      // Every acknowledged byte survived; nothing beyond what was sent is claimed.
      expect(offset).toBeGreaterThanOrEqual(acknowledged);
      expect(offset).toBeLessThanOrEqual(acknowledged + sentBeforeKill);
      acknowledged = offset;
      // Half an upload is never evidence.
      const visible = await fetch(server.url(`/api/v1/evidence/${expected}/info`), { headers: { cookie: s.cookie } });
      expect(visible.status, `round ${round}: offset ${offset} of ${SIZE}: ${await visible.text()}`).toBe(404);
    }

    const done = await patchFrom(s, id, body, acknowledged, SIZE - acknowledged);
    expect(done?.offset).toBe(SIZE);
    expect(done?.sha256).toBe(expected);
    const result = await fetch(server.url(`${BASE}/${id}/result`), { headers: { cookie: s.cookie } });
    expect(await result.json()).toEqual({ sha256: expected, size: SIZE, mediaType: 'video/mp4', created: true });
    const stored = path.join(server.dataDir, 'evidence', 'sha256', expected.slice(0, 2), expected.slice(2, 4), expected);
    expect(crypto.createHash('sha256').update(fs.readFileSync(stored)).digest('hex')).toBe(expected);
    expect(fs.readdirSync(path.join(server.dataDir, 'evidence', 'uploads', 'parts')).filter((n) => n.startsWith(id))).toEqual([]);
  });
});
