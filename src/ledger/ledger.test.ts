// The log in the database (PGlite, or PostgreSQL when DATABASE_URL is set): appends commit with the
// caller's transaction, the sequencer gives every committed entry exactly one index, tables refuse
// change, and fsck finds tampering (R-R01, R-R05).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, engine, type TestDb } from '../../test/helpers/db.ts';
import { appendMany, fakeEntry, ledgerContext } from '../../test/helpers/ledger.ts';
import { appendLedgerEntry } from './append.ts';
import { fsckLedger } from './fsck.ts';
import { hashLeaf, memoryHashReader, proveInclusion, rootOfLeafHashes, verifyConsistency, verifyInclusion } from './merkle.ts';
import { openNote, parseCheckpoint, signNote } from './note.ts';
import { loadLogIdentity } from './identity.ts';
import { sm2Supported } from './sm2.ts';
import { Sequencer, startSequencer } from './sequencer.ts';
import * as ledger from './service.ts';
import * as store from './store.ts';
import { encodeEntry } from './entry.ts';

let t: TestDb;
let ctx: ReturnType<typeof ledgerContext>;
let seq: Sequencer;

beforeAll(async () => {
  t = await scratchDatabase();
  ctx = ledgerContext(t.db);
  seq = startSequencerForTest();
});
afterAll(async () => t?.drop());

function startSequencerForTest(batchSize = 512) {
  // A loop that never runs on its own (huge interval): tests drive batches explicitly.
  const h = startSequencer(ctx, { batchSize, intervalMs: 3_600_000 });
  void h.stop();
  return h.sequencer;
}

async function allEntries() {
  const cp = await store.latestCheckpoint(t.db);
  return store.readEntries(t.db, 0, cp?.size ?? 0);
}

async function verifiedHead() {
  const identity = await ledger.logIdentity(ctx);
  const { text } = await ledger.servedCheckpoint(t.db);
  return parseCheckpoint(openNote(text, identity.verifiers).text);
}

describe(`ledger storage on ${engine}`, () => {
  it('signs an empty checkpoint on first start, with the configured origin', async () => {
    await seq.flush();
    const cp = await verifiedHead();
    expect(cp).toMatchObject({ origin: 'sanxiang.test/ledger', size: 0 });
    expect((await ledger.logIdentity(ctx)).verifierKey).toMatch(/^sanxiang\.test\/ledger\+[0-9a-f]{8}\+/);
  });

  it.skipIf(!sm2Supported())('adds an SM2 signer with LEDGER_SM2, keeping the same log identity', async () => {
    const plain = await loadLogIdentity(t.db, { origin: 'ignored/once-created', sm2: false });
    const guomi = await loadLogIdentity(t.db, { origin: 'ignored/once-created', sm2: true });
    expect(guomi.origin).toBe('sanxiang.test/ledger'); // fixed when the log was created
    expect(guomi.verifierKey).toBe(plain.verifierKey);
    expect(guomi.signers).toHaveLength(2);
    const note = signNote('sanxiang.test/ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', guomi.signers);
    expect(openNote(note, guomi.verifiers).verified).toHaveLength(2);
    expect((await loadLogIdentity(t.db, { origin: 'x', sm2: true })).sm2VerifierKey).toBe(guomi.sm2VerifierKey);
  });

  it('R-R05: an append inside a rolled-back transaction leaves no entry', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await appendLedgerEntry(tx, fakeEntry());
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    await seq.flush();
    expect((await verifiedHead()).size).toBe(0);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_pending')).rows[0]!.n).toBe(0);
  });

  it('integrates committed entries in batches, each covered by a signed checkpoint', async () => {
    const small = startSequencerForTest(7);
    const written = await t.db.transaction((tx) => appendMany(tx, 20)); // one transaction, more rows than a batch
    await small.flush();
    const rows = await allEntries();
    expect(rows.map((r) => r.idx)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(rows.map((r) => r.entry.toString())).toEqual(written.map((e) => encodeEntry(e).toString()));
    const head = await verifiedHead();
    expect(head.size).toBe(20);
    expect(head.root.equals(rootOfLeafHashes(rows.map((r) => hashLeaf(r.entry))))).toBe(true);
    // 20 entries in batches of at most 7: three checkpoints after the empty one, all prefixes of the latest.
    const cps = await store.checkpointsAfter(t.db, 0, 100);
    expect(cps.map((c) => c.size)).toEqual([7, 14, 20]);
    for (const c of cps) {
      const proof = await ledger.consistencyProof(t.db, c.size, 20);
      verifyConsistency(c.size, 20, proof.proof.map((p) => Buffer.from(p, 'base64')), c.root, head.root);
    }
  });

  it('serves inclusion proofs that verify against the signed root', async () => {
    const rows = await allEntries();
    const head = await verifiedHead();
    const leaves = rows.map((r) => r.leafHash);
    for (const index of [0, 5, 19]) {
      const p = await ledger.inclusionProof(t.db, index, head.size);
      expect(p.leafHash).toBe(leaves[index]!.toString('base64'));
      const proof = p.proof.map((h) => Buffer.from(h, 'base64'));
      expect(proof).toEqual(await proveInclusion(index, head.size, memoryHashReader(leaves)));
      verifyInclusion(index, head.size, leaves[index]!, proof, head.root);
    }
    await expect(ledger.inclusionProof(t.db, 0, head.size + 1)).rejects.toMatchObject({ code: 'validation' });
    await expect(ledger.inclusionProof(t.db, head.size, head.size)).rejects.toMatchObject({ code: 'validation' });
    await expect(ledger.consistencyProof(t.db, 5, 3)).rejects.toMatchObject({ code: 'validation' });
  });

  it('finds an entry by its commitment or its content digest', async () => {
    const content = 'ab'.repeat(32);
    const e = fakeEntry({ content });
    await t.db.transaction((tx) => appendLedgerEntry(tx, e));
    await seq.flush();
    const byCommitment = await ledger.entriesByDigest(t.db, e.commitment);
    expect(byCommitment.entries).toHaveLength(1);
    expect(byCommitment.entries[0]!.decoded).toEqual(e);
    expect((await ledger.entriesByDigest(t.db, content)).entries[0]!.index).toBe(byCommitment.entries[0]!.index);
    expect((await ledger.entriesByDigest(t.db, 'cd'.repeat(32))).entries).toEqual([]);
  });

  it('R-R05: concurrent appends from many transactions all integrate exactly once', async () => {
    const before = (await verifiedHead()).size;
    const running = startSequencer(ctx, { batchSize: 50, intervalMs: 5 });
    const workers = 8;
    const perWorker = 40;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let i = 0; i < perWorker; i++) await t.db.transaction((tx) => appendMany(tx, 1 + (i % 3)));
      }),
    );
    await running.flush();
    await running.stop();
    const rows = await allEntries();
    const added = rows.slice(before);
    // Transactions of 1, 2, 3, 1, 2, 3, … entries.
    expect(added.length).toBe(workers * [...Array(perWorker).keys()].reduce((sum, i) => sum + 1 + (i % 3), 0));
    expect(new Set(rows.map((r) => r.pendingId)).size).toBe(rows.length);
    expect(rows.map((r) => r.idx)).toEqual(rows.map((_, i) => i));
    const pending = await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_pending');
    expect(pending.rows[0]!.n).toBe(rows.length);
    expect(await store.countUnintegrated(t.db)).toBe(0);
  });

  it('R-R05: every ledger table refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const [table, set, where] of [
      ['ledger_pending', "entry = '\\x00'", 'id = (SELECT min(id) FROM ledger_pending)'],
      ['ledger_entries', "entry = '\\x00'", 'idx = 0'],
      ['ledger_checkpoints', "note = 'x'", 'size = 0'],
    ] as const) {
      await expect(t.db.query(`UPDATE ${table} SET ${set} WHERE ${where}`)).rejects.toThrow(/只允许追加/);
      await expect(t.db.query(`DELETE FROM ${table} WHERE ${where}`)).rejects.toThrow(/只允许追加/);
      await expect(t.db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/只允许追加/);
    }
    await expect(t.db.query('DELETE FROM ledger_tiles WHERE level = 0 AND idx = 0')).rejects.toThrow(/只允许追加/);
    await expect(t.db.query("UPDATE ledger_tiles SET root = root WHERE level = 0 AND idx = 0")).rejects.toThrow(/只允许追加/);
    await expect(t.db.query('TRUNCATE ledger_tiles')).rejects.toThrow(/只允许追加/);
    await expect(t.db.query('TRUNCATE ledger_cosignatures')).rejects.toThrow(/只允许追加/);
    // (Row-level refusal on ledger_cosignatures is shown in routes.test.ts, once a witness has cosigned.)
  });

  it('builds and checks full tiles (more than 256 entries) and fsck passes', async () => {
    await t.db.exec(
      `INSERT INTO ledger_pending (entry)
       SELECT convert_to('{"agency":null,"commitment":"' || encode(sha256(int4send(g)), 'hex') || '","day":"2025-01-01","domain":"test","event":' || g || ',"subject":"' || encode(sha256(int4send(-g)), 'hex') || '","v":2}', 'UTF8')
         FROM generate_series(1, 700) g`,
    );
    await seq.flush();
    const head = await verifiedHead();
    expect(head.size).toBeGreaterThan(800);
    const tiles = await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_tiles WHERE level = 0');
    expect(tiles.rows[0]!.n).toBe(Math.floor(head.size / 256));
    const identity = await ledger.logIdentity(ctx);
    const report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    expect(report).toMatchObject({ ok: true, size: head.size, entriesChecked: head.size, tilesChecked: Math.floor(head.size / 256), pending: 0, divergence: null });
  });

  it('fsck reports the first divergence when a row was altered behind the triggers', async () => {
    const identity = await ledger.logIdentity(ctx);
    const head = await verifiedHead();
    const target = 300; // inside the second full tile
    // Tampering as a superuser would: switch the trigger off, change a row, switch it back on.
    const tamper = async (sql: string, table: string, trigger: string) => {
      await t.db.exec(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}; ${sql}; ALTER TABLE ${table} ENABLE TRIGGER ${trigger};`);
    };
    const original = (await store.readEntries(t.db, target, target + 1))[0]!;
    const forged = Buffer.from(original.entry.toString().replace(/"domain":"[^"]*"/, '"domain":"forged"'));
    await tamper(`UPDATE ledger_entries SET entry = '\\x${forged.toString('hex')}' WHERE idx = ${target}`, 'ledger_entries', 'ledger_entries_append_only');
    let report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    expect(report.divergence).toMatchObject({ kind: 'entry_hash', at: target });
    expect(report.entriesChecked).toBe(target);

    // A careful forger also fixes the leaf hash: then the first signed checkpoint after the entry,
    // or the entry's tile if it completes first, no longer matches.
    await tamper(`UPDATE ledger_entries SET leaf_hash = '\\x${hashLeaf(forged).toString('hex')}' WHERE idx = ${target}`, 'ledger_entries', 'ledger_entries_append_only');
    report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    const firstCheckpointAfter = (await store.checkpointsAfter(t.db, target, 1))[0]!.size;
    expect(report.divergence).toEqual(
      firstCheckpointAfter <= 512
        ? expect.objectContaining({ kind: 'checkpoint_root', at: firstCheckpointAfter })
        : expect.objectContaining({ kind: 'tile_hash', at: 1, level: 0 }),
    );

    // Put it back; then alter the last signed checkpoint's note.
    await tamper(
      `UPDATE ledger_entries SET entry = '\\x${original.entry.toString('hex')}', leaf_hash = '\\x${original.leafHash.toString('hex')}' WHERE idx = ${target}`,
      'ledger_entries',
      'ledger_entries_append_only',
    );
    expect((await fsckLedger(t.db, identity.verifiers, identity.origin)).ok).toBe(true);
    const cp = (await store.latestCheckpoint(t.db))!;
    await tamper(`UPDATE ledger_checkpoints SET note = replace(note, '\n${head.size}\n', '\n${head.size + 1}\n') WHERE size = ${cp.size}`, 'ledger_checkpoints', 'ledger_checkpoints_append_only');
    report = await fsckLedger(t.db, identity.verifiers, identity.origin);
    expect(report.divergence).toMatchObject({ kind: 'checkpoint_signature', at: cp.size });
    await tamper(`UPDATE ledger_checkpoints SET note = '${cp.note.replaceAll("'", "''")}' WHERE size = ${cp.size}`, 'ledger_checkpoints', 'ledger_checkpoints_append_only');
    expect((await fsckLedger(t.db, identity.verifiers, identity.origin)).ok).toBe(true);
  });

  it('refuses to extend a tree whose stored hashes no longer give the signed root', async () => {
    const head = await verifiedHead();
    const last = head.size - 1; // in the partial level-0 tile the sequencer restarts from
    const row = (await store.readEntries(t.db, last, last + 1))[0]!;
    await t.db.exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
      UPDATE ledger_entries SET leaf_hash = '\\x${'00'.repeat(32)}' WHERE idx = ${last};
      ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;`);
    await t.db.transaction((tx) => appendMany(tx, 1));
    const fresh = startSequencerForTest(); // no cached tree: must restore from the database
    await expect(fresh.integrateBatch()).rejects.toThrow(/不一致/);
    expect((await verifiedHead()).size).toBe(head.size);
    await t.db.exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
      UPDATE ledger_entries SET leaf_hash = '\\x${row.leafHash.toString('hex')}' WHERE idx = ${last};
      ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;`);
    await fresh.flush();
    expect((await verifiedHead()).size).toBe(head.size + 1);
  });
});

describe.runIf(engine === 'postgres')('ledger ordering on PostgreSQL', () => {
  it('R-R05: an entry whose transaction commits after later ones is neither skipped nor indexed twice', async () => {
    const early = fakeEntry();
    const late = fakeEntry();
    let inserted!: () => void;
    let release!: () => void;
    const insertedP = new Promise<void>((r) => (inserted = r));
    const gate = new Promise<void>((r) => (release = r));
    // T1 takes the smaller id first but commits last.
    const t1 = t.db.transaction(async (tx) => {
      await appendLedgerEntry(tx, early);
      inserted();
      await gate;
    });
    await insertedP;
    await t.db.transaction((tx) => appendLedgerEntry(tx, late));
    const size0 = (await verifiedHead()).size;
    await seq.integrateBatch();
    expect((await verifiedHead()).size).toBe(size0 + 1); // the late writer's entry is not held back
    release();
    await t1;
    await seq.integrateBatch();
    const rows = await store.readEntries(t.db, size0, size0 + 2);
    expect(rows.map((r) => JSON.parse(r.entry.toString()).commitment)).toEqual([late.commitment, early.commitment]);
    expect(rows[1]!.pendingId).toBeLessThan(rows[0]!.pendingId);
    expect(await store.countUnintegrated(t.db)).toBe(0);
  });

  it('two sequencers on one database never interleave batches', async () => {
    const a = startSequencer(ctx, { batchSize: 16, intervalMs: 1 });
    const b = startSequencer(ledgerContext(t.db), { batchSize: 16, intervalMs: 1 });
    await Promise.all(Array.from({ length: 6 }, () => (async () => {
      for (let i = 0; i < 30; i++) await t.db.transaction((tx) => appendMany(tx, 2));
    })()));
    await a.flush();
    await b.flush();
    await a.stop();
    await b.stop();
    const cp = (await store.latestCheckpoint(t.db))!;
    const rows = await store.readEntries(t.db, 0, cp.size);
    expect(rows.map((r) => r.idx)).toEqual(rows.map((_, i) => i));
    expect(new Set(rows.map((r) => r.pendingId)).size).toBe(rows.length);
    expect(await store.countUnintegrated(t.db)).toBe(0);
    const identity = await ledger.logIdentity(ctx);
    expect((await fsckLedger(t.db, identity.verifiers, identity.origin)).ok).toBe(true);
  });
});
