// Issue 15, defect 8: the public ledger let anyone rebuild each case's timeline — every entry of a
// case carried the same unsalted subject SHA-256("case:<id>"), next to its kind, agency and exact
// time, so entries linked into cases and a known case id could be confirmed. Entries now blind the
// subject (and the kind) per entry with the event's salt (docs/LEDGER.md §1.1). These tests read the
// log as the public does (the C2SP tlog-tiles entry bundle over HTTP), then as the holder of the
// event, then run every independent verifier (R-R05: checkable by anyone; R-P14: no personal or case
// data leaks through the log).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindedSubject as offlineBlindedSubject, verifyPackage } from '../src/cases/archive/verify-archive.mjs';
import { appendLedgerEntry } from '../src/ledger/append.ts';
import { blindedSubject, decodeEntry, encodeEntry, entryDay, type LedgerEntry, type LedgerEntryV2 } from '../src/ledger/entry.ts';
import { fsckLedger } from '../src/ledger/fsck.ts';
import { registerLedgerRoutes } from '../src/ledger/routes.ts';
import { startSequencer, type Sequencer } from '../src/ledger/sequencer.ts';
import * as ledger from '../src/ledger/service.ts';
import { decodeEntryBundle, tilePath } from '../src/ledger/tiles.ts';
import { verifyRemoteLog } from '../src/ledger/verify-remote.ts';
import { commitment, recordChanges, type Change } from '../src/platform/changes.ts';
import type { AppContext } from '../src/platform/context.ts';
import { buildServer } from '../src/platform/http/server.ts';
import { scratchDatabase, engine, type TestDb } from './helpers/db.ts';
import { fakeEntry, fakeEntryV1, ledgerContext } from './helpers/ledger.ts';

let t: TestDb;
let ctx: AppContext;
let seq: Sequencer;
let app: FastifyInstance;
let baseUrl: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-defect8-'));

const caseId = crypto.randomUUID();
const agencyId = crypto.randomUUID();
const change = (kind: string, data: Record<string, unknown>): Change => ({ kind, agencyId, subjectType: 'case', subjectId: caseId, actorId: null, data });

interface EventRow {
  id: number;
  kind: string;
  subject_type: string;
  subject_id: string;
  data: Record<string, unknown>;
  salt: Uint8Array;
  commitment: Uint8Array;
  created_at: Date;
}

async function caseEvents(): Promise<EventRow[]> {
  const { rows } = await t.db.query<EventRow>(`SELECT id, kind, subject_type, subject_id, data, salt, commitment, created_at FROM events WHERE subject_type = 'case' AND subject_id = $1 ORDER BY id`, [caseId]);
  return rows;
}

/** The log as anyone downloads it: the entry bundle of the latest checkpoint, undecoded bytes. */
async function publicEntries(): Promise<Buffer[]> {
  const checkpoint = await (await fetch(`${baseUrl}/ledger/checkpoint`)).text();
  const size = Number(checkpoint.split('\n')[1]);
  expect(size).toBeLessThan(256);
  const res = await fetch(`${baseUrl}/ledger/${tilePath({ level: 'entries', index: 0, width: size })}`);
  expect(res.status).toBe(200);
  return decodeEntryBundle(Buffer.from(await res.arrayBuffer()));
}

/** The public entry of an event, found as the public could (by its commitment, which the holder gives). */
async function publicEntryOf(ev: EventRow): Promise<{ bytes: Buffer; entry: LedgerEntryV2 }> {
  const hex = Buffer.from(ev.commitment).toString('hex');
  const bytes = (await publicEntries()).find((b) => b.toString('utf8').includes(hex))!;
  expect(bytes).toBeDefined();
  return { bytes, entry: JSON.parse(bytes.toString('utf8')) as LedgerEntryV2 };
}

beforeAll(async () => {
  t = await scratchDatabase();
  ctx = { ...ledgerContext(t.db), demo: false, authenticate: async () => null } as AppContext;
  const h = startSequencer(ctx, { intervalMs: 3_600_000 });
  await h.stop();
  seq = h.sequencer;
  // The log's history before the fix: old-format entries stay as they are and keep verifying.
  await t.db.transaction(async (tx) => {
    await appendLedgerEntry(tx, fakeEntryV1());
    await appendLedgerEntry(tx, fakeEntryV1());
  });
  // Two changes of one case, in two transactions as two steps of a case would be.
  await t.db.transaction((tx) => recordChanges(tx, [change('cases.created', { number: '杭市监罚〔2026〕1号', title: '某某有限公司销售过期食品案' })]));
  await t.db.transaction((tx) => recordChanges(tx, [change('cases.step_performed', { step: 'filing', decision: 'approve' })]));
  await seq.flush();
  app = await buildServer(ctx, (a) => registerLedgerRoutes(a, ctx));
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe(`issue 15 defect 8: the public ledger does not rebuild a case's timeline (${engine})`, () => {
  it('defect 8: two changes of one case leave public entries that share no linkable value', async () => {
    const [created, filed] = await caseEvents();
    const a = await publicEntryOf(created!);
    const b = await publicEntryOf(filed!);
    expect(a.entry.subject).not.toBe(b.entry.subject);
    // Only the coarse public fields may coincide: the format, the agency, the domain and the day.
    const shared = Object.keys(a.entry).filter((k) => JSON.stringify(a.entry[k as keyof LedgerEntryV2]) === JSON.stringify(b.entry[k as keyof LedgerEntryV2]));
    expect(shared.sort()).toEqual(['agency', 'day', 'domain', 'v']);
    for (const { bytes } of [a, b]) {
      const text = bytes.toString('utf8');
      // Neither the case id, nor its old unsalted pseudonym, nor the kind, nor the exact time is public.
      const plain = crypto.createHash('sha256').update(`case:${caseId}`).digest('hex');
      for (const leak of [caseId, plain, plain.slice(0, 32), 'cases.created', 'cases.step_performed', 'step_performed', created!.created_at.toISOString().slice(11, 19)]) {
        expect(text).not.toContain(leak);
      }
    }
  });

  it('defect 8: a guessed case id cannot be confirmed from the public entry', async () => {
    const [created] = await caseEvents();
    const { bytes, entry } = await publicEntryOf(created!);
    // Every unsalted derivation of the right guess misses…
    const guesses = [`case:${caseId}`, caseId, `${'cases.created'}:case:${caseId}`].map((m) => crypto.createHash('sha256').update(m).digest('hex'));
    for (const g of guesses) expect([g, g.slice(0, 32)]).not.toContain(entry.subject);
    // …because the subject depends on the event's salt, which the public entry does not carry: the right
    // case id under any other salt gives another value, so the guess cannot be tested.
    const salt = Buffer.from(created!.salt);
    expect(blindedSubject(crypto.randomBytes(16), created!.kind, 'case', caseId)).not.toBe(entry.subject);
    expect(bytes.toString('utf8')).not.toContain(salt.toString('hex'));
    expect(bytes.toString('utf8')).not.toContain(salt.toString('base64'));
  });

  it('defect 8: the holder of the event (its salt) recomputes the subject, the day and the commitment', async () => {
    for (const ev of await caseEvents()) {
      const { entry } = await publicEntryOf(ev);
      const salt = Buffer.from(ev.salt);
      expect(entry).toMatchObject({ v: 2, domain: 'cases', agency: agencyId, event: Number(ev.id), day: entryDay(new Date(ev.created_at)) });
      expect(blindedSubject(salt, ev.kind, ev.subject_type, ev.subject_id)).toBe(entry.subject);
      expect(commitment(salt, ev.data).toString('hex')).toBe(entry.commitment);
      // The offline archive verifier computes the same value; another case id or kind does not match.
      expect(offlineBlindedSubject(salt, ev.kind, 'case', caseId)).toBe(entry.subject);
      expect(blindedSubject(salt, ev.kind, 'case', crypto.randomUUID())).not.toBe(entry.subject);
      expect(blindedSubject(salt, 'cases.document_finalised', 'case', caseId)).not.toBe(entry.subject);
    }
  });

  it('defect 8: a blinded entry cannot carry the kind, the exact time or an unsalted subject', () => {
    const e = fakeEntry();
    expect(decodeEntry(encodeEntry(e))).toEqual(e);
    const plainSubject = crypto.createHash('sha256').update(`case:${caseId}`).digest('hex').slice(0, 32);
    for (const leaky of [{ ...e, kind: 'cases.created' }, { ...e, time: new Date().toISOString() }, { ...e, subject: plainSubject }, { ...e, day: '2026-11-25T10:00' }, { ...e, domain: 'cases.created' }]) {
      expect(() => encodeEntry(leaky as LedgerEntry)).toThrow(/第 2 版/);
      expect(decodeEntry(Buffer.from(JSON.stringify(leaky)))).toBeNull();
    }
  });

  it('defect 8: fsck and sanxiang verify pass on a log that holds both formats', async () => {
    const identity = await ledger.logIdentity(ctx);
    const clean = { blindedFrom: 2, malformed: 0, plainAfterBlinded: 0, first: null };
    const report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    expect(report).toMatchObject({ ok: true, divergence: null, entriesChecked: 4, format: clean });
    const v = await verifyRemoteLog({ url: `${baseUrl}/ledger`, key: identity.verifierKey, statePath: path.join(tmp, 'state.json') });
    expect(v.error ?? '').toBe('');
    expect(v).toMatchObject({ ok: true, size: 4, format: clean });
  });

  it('defect 8: the archive verifier recomputes each blinded subject and binds every event to its case', async () => {
    // The ledger part of an archive package, as src/cases/archive/export.ts writes it.
    const cp = await ledger.servedCheckpoint(t.db);
    const identity = await ledger.logIdentity(ctx);
    const events = [];
    for (const ev of await caseEvents()) {
      const hex = Buffer.from(ev.commitment).toString('hex');
      const found = (await ledger.entriesByDigest(t.db, hex)).entries[0]!;
      const proof = await ledger.inclusionProof(t.db, found.index, cp.size);
      events.push({
        id: Number(ev.id), kind: ev.kind, time: new Date(ev.created_at).toISOString(), data: ev.data, salt: Buffer.from(ev.salt).toString('base64'),
        commitment: hex, ledger: { index: found.index, entry: found.entry, proof: proof.proof },
      });
    }
    const manifest = { format: 'sanxiang-case-archive/1', case: { id: caseId, number: '杭市监罚〔2026〕1号' }, files: [], events, checkpoint: { size: cp.size, note: cp.text }, log: { origin: identity.origin, verifierKey: identity.verifierKey } };
    const write = (m: unknown) => {
      const dir = fs.mkdtempSync(path.join(tmp, 'pkg-'));
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
      return dir;
    };
    const ok = verifyPackage(write(manifest), { key: identity.verifierKey });
    expect(ok.problems).toEqual([]);
    expect(ok).toMatchObject({ ok: true, checked: { events: 2 } });
    // The same events presented as another case's, or with another kind, are refused.
    const other = verifyPackage(write({ ...manifest, case: { ...manifest.case, id: crypto.randomUUID() } }), { key: identity.verifierKey });
    expect(other.ok).toBe(false);
    expect(other.problems.filter((p) => p.includes('不属于本案'))).toHaveLength(2);
    const relabelled = verifyPackage(write({ ...manifest, events: [{ ...events[0]!, kind: 'cases.document_finalised' }, events[1]] }), { key: identity.verifierKey });
    expect(relabelled.problems).toEqual([expect.stringContaining(`事件 ${events[0]!.id}（cases.document_finalised）的账本条目不属于本案`)]);
  });

  it('defect 8: an old-format or malformed entry after blinded ones is reported by fsck and sanxiang verify, which still check integrity past it', async () => {
    // As an application process of the old version would write during a rolling upgrade, then garbage.
    await t.db.transaction((tx) => appendLedgerEntry(tx, fakeEntryV1()));
    await t.db.query(`INSERT INTO ledger_pending (entry) VALUES (convert_to('{"hello":1}', 'UTF8'))`);
    await seq.flush();
    const identity = await ledger.logIdentity(ctx);
    const findings = { blindedFrom: 2, plainAfterBlinded: 1, malformed: 1, first: 4 };
    const report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    expect(report).toMatchObject({ ok: true, entriesChecked: 6, format: findings });
    const said: string[] = [];
    const v = await verifyRemoteLog({ url: `${baseUrl}/ledger`, key: identity.verifierKey, statePath: path.join(tmp, 'state.json'), say: (l) => said.push(l) });
    expect(v).toMatchObject({ ok: true, size: 6, previousSize: 4, format: findings });
    expect(said.join('\n')).toMatch(/1 条格式不正确.*1 条在第 2 条起的盲化条目之后仍为旧格式.*第一条为第 4 条/);
  });
});
