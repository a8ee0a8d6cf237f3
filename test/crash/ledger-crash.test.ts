// kill -9 in the middle of appends and of an upload, restart, and show (R-R05, R-R01):
// - no committed entry is lost and none gets two indices (every event row has exactly one log entry),
// - every checkpoint seen before a crash is consistent with the log after it (and the verifier agrees),
// - every acknowledged upload is there, and no half-written evidence is visible.
// Runs on PGlite (DATA_DIR) or, when DATABASE_URL is set, on a scratch PostgreSQL database.
//   npx vitest run --config test/crash/vitest.config.ts
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/platform/db.ts';
import { engine } from '../helpers/db.ts';
import { entryVersion } from '../../src/ledger/entry.ts';
import { fsckLedger } from '../../src/ledger/fsck.ts';
import { verifyConsistency } from '../../src/ledger/merkle.ts';
import { ed25519Verifier, openNote, parseCheckpoint, type Checkpoint } from '../../src/ledger/note.ts';
import { verifyRemoteLog } from '../../src/ledger/verify-remote.ts';
import * as store from '../../src/ledger/store.ts';
import { ServerProcess, type Session } from './server-process.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const SERVER_ENV = { LEDGER_BATCH_INTERVAL_MS: '50' };

let server: ServerProcess;
let statePath = '';
const url = (p: string) => server.url(p);

async function uploadSmall(s: Session, body: Buffer): Promise<string | null> {
  try {
    const res = await fetch(url('/api/v1/evidence'), {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', 'x-media-type': 'text/plain' },
      body: new Uint8Array(body),
    });
    if (res.status !== 201 && res.status !== 200) return null;
    return ((await res.json()) as { sha256: string }).sha256;
  } catch {
    return null; // the server died under us: not acknowledged
  }
}

/** A slow large upload that will be cut by the kill; resolves when the connection breaks. */
function uploadLargeUntilKilled(s: Session): Promise<void> {
  return new Promise((resolve) => {
    const total = 512 * 1024 * 1024;
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/evidence', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', 'x-media-type': 'video/mp4', 'content-length': String(total) } });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    const chunk = crypto.randomBytes(256 * 1024);
    let sent = 0;
    const timer = setInterval(() => {
      if (req.destroyed || sent >= total) return clearInterval(timer);
      chunk.writeUInt32BE(sent, 0);
      req.write(Buffer.from(chunk));
      sent += chunk.length;
    }, 5);
    req.on('close', () => clearInterval(timer));
  });
}

let key = '';
const seen: Checkpoint[] = [];
const acknowledged = new Set<string>();

async function fetchCheckpoint(): Promise<Checkpoint | null> {
  try {
    const res = await fetch(url('/ledger/checkpoint'));
    if (!res.ok) return null;
    return parseCheckpoint(openNote(await res.text(), [ed25519Verifier(key)]).text);
  } catch (err) {
    if ((err as Error).name === 'NoteError') throw err; // a bad signature is a failure, not a race
    return null;
  }
}

/** Waits until the log stops growing (the restarted sequencer has integrated the backlog). */
async function settledCheckpoint(): Promise<Checkpoint> {
  let last: Checkpoint | null = null;
  let stableSince = Date.now();
  for (;;) {
    const cp = await fetchCheckpoint();
    if (cp && (!last || cp.size !== last.size)) {
      last = cp;
      stableSince = Date.now();
    }
    if (last && Date.now() - stableSince > 1500) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  server = await ServerProcess.create('sx-crash-');
  statePath = path.join(server.workDir, 'verify-state.json');
  server.start(SERVER_ENV);
  await server.waitHealthy();
  key = (await (await fetch(url('/ledger/key'))).text()).trim();
}, 240_000);

afterAll(async () => {
  await server?.dispose();
});

describe(`kill -9 on ${engine}`, () => {
  it(`R-R05: ${ROUNDS} crashes during appends and an upload lose nothing and fork nothing`, async () => {
    const first = await settledCheckpoint();
    seen.push(first);
    expect((await verifyRemoteLog({ url: url('/ledger'), key, statePath })).ok).toBe(true);

    for (let round = 0; round < ROUNDS; round++) {
      const session = await server.login();
      let stop = false;
      const uploaders = Array.from({ length: 6 }, async (_, w) => {
        while (!stop) {
          const body = Buffer.from(`round ${round} writer ${w} ${crypto.randomUUID()}\n`.repeat(1 + Math.floor(Math.random() * 50)));
          const sha = await uploadSmall(session, body);
          if (sha) acknowledged.add(sha);
        }
      });
      const watcher = (async () => {
        while (!stop) {
          const cp = await fetchCheckpoint();
          if (cp) seen.push(cp);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const large = uploadLargeUntilKilled(session);
      await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1500));
      await server.killHard();
      stop = true;
      await Promise.all([...uploaders, watcher, large]);

      server.start(SERVER_ENV);
      await server.waitHealthy();
      const after = await settledCheckpoint();
      expect(await fetch(url('/ledger/key')).then((r) => r.text())).toBe(`${key}\n`); // same identity
      // Every checkpoint seen before the crash is a prefix of the log after it.
      for (const cp of seen) {
        if (cp.size === 0 || cp.size > after.size) continue;
        const res = await fetch(url(`/api/v1/ledger/proof/consistency?from=${cp.size}&to=${after.size}`));
        const body = (await res.json()) as { proof: string[] };
        verifyConsistency(cp.size, after.size, body.proof.map((p) => Buffer.from(p, 'base64')), cp.root, after.root);
      }
      const maxSeen = Math.max(...seen.map((c) => c.size));
      expect(after.size).toBeGreaterThanOrEqual(maxSeen);
      seen.push(after);
      // The auditor's verifier, remembering the previous run, agrees.
      const v = await verifyRemoteLog({ url: url('/ledger'), key, statePath });
      expect(v.error ?? '').toBe('');
      // Every acknowledged upload is there, complete.
      const s2 = await server.login();
      for (const sha of acknowledged) {
        const res = await fetch(url(`/api/v1/evidence/${sha}`), { headers: { cookie: s2.cookie } });
        expect(res.status, sha).toBe(200);
        expect(crypto.createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(sha);
      }
    }
    expect(acknowledged.size).toBeGreaterThan(ROUNDS * 5);

    // Stop cleanly and look inside.
    await server.stop();
    const db: Db = server.databaseUrl ? await openDatabase({ databaseUrl: server.databaseUrl }) : await openDatabase({ dataDir: server.dataDir });
    try {
      const latest = (await store.latestCheckpoint(db))!;
      const entries = await store.readEntries(db, 0, latest.size);
      expect(entries.map((e) => e.idx)).toEqual(entries.map((_, i) => i));
      expect(await store.countUnintegrated(db)).toBe(0);
      // Every committed event has exactly one log entry: none lost, none indexed twice.
      const eventsInLog = entries.map((e) => (JSON.parse(e.entry.toString()) as { event: number }).event);
      // The server writes only blinded (version-2) entries (issue 15, defect 8; docs/LEDGER.md §1.1).
      expect(entries.filter((e) => entryVersion(e.entry) !== 2).map((e) => e.idx)).toEqual([]);
      expect(new Set(eventsInLog).size).toBe(eventsInLog.length);
      const events = (await db.query<{ id: number }>('SELECT id FROM events ORDER BY id')).rows.map((r) => Number(r.id));
      expect([...eventsInLog].sort((a, b) => a - b)).toEqual(events);
      const pending = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_pending');
      expect(Number(pending.rows[0]!.n)).toBe(entries.length);
      const { rows: ident } = await db.query<{ value: { origin: string } }>("SELECT value FROM settings WHERE key = 'ledger.identity'");
      const report = await fsckLedger(db, [ed25519Verifier(key)], ident[0]!.value.origin);
      expect(report.divergence).toBeNull();
      // Evidence: every record has its complete file; every visible file is complete.
      const blobs = (await db.query<{ sha256: string; size: number }>('SELECT sha256, size FROM blobs')).rows;
      for (const sha of acknowledged) expect(blobs.some((b) => b.sha256 === sha), sha).toBe(true);
      const evidenceRoot = path.join(server.dataDir, 'evidence', 'sha256');
      const files = fs.existsSync(evidenceRoot) ? fs.readdirSync(evidenceRoot, { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}$/.test(f)) : [];
      for (const f of files) {
        const name = path.basename(f);
        expect(crypto.createHash('sha256').update(fs.readFileSync(path.join(evidenceRoot, f))).digest('hex'), f).toBe(name);
      }
      for (const b of blobs) expect(files.some((f) => f.endsWith(b.sha256)), b.sha256).toBe(true);
      // The cut large uploads became nothing visible: no record of a 512 MiB blob, and on PGlite (one
      // process owns DATA_DIR) the restart cleared their staging files.
      if (!server.databaseUrl) expect(fs.readdirSync(path.join(server.dataDir, 'evidence', 'tmp'))).toEqual([]);
      expect(blobs.filter((b) => Number(b.size) >= 512 * 1024 * 1024)).toEqual([]);
      console.log(`crash test (${engine}, sanxiang serve): ${ROUNDS} kills, ${acknowledged.size} acknowledged uploads, ${seen.length} checkpoints seen, final size ${latest.size}, ${events.length} events each in the log once, ${files.length} evidence files all complete`);
    } finally {
      await db.close();
    }
  }, 900_000);
});
