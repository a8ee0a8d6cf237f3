// The public ledger over HTTP, exactly as an outside auditor sees it: C2SP tlog-tiles resources,
// JSON proofs with problem+json errors, witness cosignatures, the browser verifier's code and the
// `sanxiang verify` command against a listening server (R-R05).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type TestDb } from '../../test/helpers/db.ts';
import { appendMany, fakeEntry, ledgerContext } from '../../test/helpers/ledger.ts';
import { buildServer } from '../platform/http/server.ts';
import type { AppContext } from '../platform/context.ts';
import { appendLedgerEntry } from './append.ts';
import { verifyCommand } from './cli.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { cosign, ed25519Signer, ed25519Verifier, openNote, parseCheckpoint } from './note.ts';
import { registerLedgerRoutes } from './routes.ts';
import { startSequencer, type Sequencer } from './sequencer.ts';
import { decodeEntryBundle, splitHashes } from './tiles.ts';
import { VERIFY_LIB_JS } from './verify-page.ts';

const witnessKey = crypto.generateKeyPairSync('ed25519').privateKey;
const WITNESS = 'witness.example.gov.cn/justice';
const witnessVkey = cosign('x\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', WITNESS, witnessKey, 0).vkey;

let t: TestDb;
let app: FastifyInstance;
let seq: Sequencer;
let baseUrl: string;
let ctx: AppContext;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-verify-'));

beforeAll(async () => {
  process.env.LEDGER_WITNESSES = witnessVkey;
  t = await scratchDatabase();
  ctx = { ...ledgerContext(t.db), demo: false, authenticate: async () => null };
  const h = startSequencer(ctx, { intervalMs: 3_600_000 });
  await h.stop();
  seq = h.sequencer;
  await t.db.transaction((tx) => appendMany(tx, 300));
  await seq.flush();
  app = await buildServer(ctx, (a) => registerLedgerRoutes(a, ctx));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  delete process.env.LEDGER_WITNESSES;
  await app?.close();
  await t?.drop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

async function head() {
  const key = (await get('/ledger/key')).body.trim();
  const res = await get('/ledger/checkpoint');
  return { key, res, cp: parseCheckpoint(openNote(res.body, [ed25519Verifier(key)]).text) };
}

describe('C2SP tlog-tiles resources', () => {
  it('serves a signed checkpoint whose origin is the key name', async () => {
    const { key, res, cp } = await head();
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(key.startsWith(`${cp.origin}+`)).toBe(true);
    expect(cp).toMatchObject({ origin: 'sanxiang.test/ledger', size: 300 });
  });

  it('serves full tiles forever-cacheable and partial tiles briefly', async () => {
    const full = await get('/ledger/tile/0/000');
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('application/octet-stream');
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(full.rawPayload.length).toBe(8192);
    const partial = await get('/ledger/tile/0/001.p/44');
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['cache-control']).toBe('public, max-age=60');
    expect(partial.rawPayload.length).toBe(44 * 32);
    expect((await get('/ledger/tile/1/000.p/1')).rawPayload.length).toBe(32);
    // Entries hash to the level-0 tile.
    const bundle = await get('/ledger/tile/entries/001.p/44');
    const entries = decodeEntryBundle(bundle.rawPayload);
    expect(entries).toHaveLength(44);
    expect(entries.map((e) => hashLeaf(e))).toEqual(splitHashes(partial.rawPayload));
    const gz = await get('/ledger/tile/entries/000', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decodeEntryBundle(zlib.gunzipSync(gz.rawPayload))).toHaveLength(256);
  });

  it('refuses tiles beyond the checkpoint and non-canonical paths', async () => {
    for (const url of ['/ledger/tile/0/001', '/ledger/tile/0/001.p/45', '/ledger/tile/0/002.p/1', '/ledger/tile/2/000.p/1', '/ledger/tile/0/1', '/ledger/tile/0/x000/001', '/ledger/tile/entries/001.p/0']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('JSON proofs', () => {
  it('inclusion proof verifies against the checkpoint', async () => {
    const { cp } = await head();
    const res = await get(`/api/v1/ledger/proof/inclusion?index=123&size=${cp.size}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { index: number; size: number; leafHash: string; proof: string[] };
    expect(body).toMatchObject({ index: 123, size: cp.size });
    verifyInclusion(123, cp.size, Buffer.from(body.leafHash, 'base64'), body.proof.map((p) => Buffer.from(p, 'base64')), cp.root);
  });

  it('consistency proof verifies between two signed checkpoints', async () => {
    const before = (await head()).cp;
    await t.db.transaction((tx) => appendMany(tx, 5));
    await seq.flush();
    const after = (await head()).cp;
    const res = await get(`/api/v1/ledger/proof/consistency?from=${before.size}&to=${after.size}`);
    const body = res.json() as { from: number; to: number; proof: string[] };
    expect(body).toMatchObject({ from: before.size, to: after.size });
    verifyConsistency(before.size, after.size, body.proof.map((p) => Buffer.from(p, 'base64')), before.root, after.root);
  });

  it('answers out-of-range questions with problem+json 400', async () => {
    const { cp } = await head();
    for (const url of [
      `/api/v1/ledger/proof/inclusion?index=0&size=${cp.size + 1}`,
      `/api/v1/ledger/proof/inclusion?index=${cp.size}&size=${cp.size}`,
      '/api/v1/ledger/proof/inclusion?index=-1&size=3',
      '/api/v1/ledger/proof/inclusion?index=a&size=3',
      '/api/v1/ledger/proof/consistency?from=5&to=3',
      `/api/v1/ledger/proof/consistency?from=1&to=${cp.size + 1}`,
      '/api/v1/ledger/proof/consistency?from=0&to=3',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((res.json() as { detail: string }).detail).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('finds entries by commitment', async () => {
    const e = fakeEntry();
    await t.db.transaction((tx) => appendLedgerEntry(tx, e));
    await seq.flush();
    const res = await get(`/api/v1/ledger/entries/by-commitment/${e.commitment.toUpperCase()}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { entries: Array<{ index: number; decoded: unknown }> };
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]!.decoded).toEqual(e);
    expect((await get('/api/v1/ledger/entries/by-commitment/xyz')).statusCode).toBe(400);
  });
});

describe('witness cosignatures (C2SP tlog-cosignature)', () => {
  const post = (note: string) => app.inject({ method: 'POST', url: '/api/v1/ledger/cosignatures', payload: { note } });

  it('accepts a configured witness cosignature and serves it with the checkpoint', async () => {
    const { res, cp, key } = await head();
    const text = openNote(res.body, [ed25519Verifier(key)]).text;
    const { line } = cosign(text, WITNESS, witnessKey, Math.floor(Date.now() / 1000));
    const r = await post(`${res.body}${line}\n`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ size: cp.size, accepted: [{ witness: WITNESS, stored: true }] });
    const served = (await get('/ledger/checkpoint')).body;
    expect(served.endsWith(`${line}\n`)).toBe(true);
    // Still a valid signed note for the log key, and cosignatures are append-only.
    expect(openNote(served, [ed25519Verifier(key)]).verified).toHaveLength(1);
    await expect(t.db.query('DELETE FROM ledger_cosignatures')).rejects.toThrow(/只允许追加/);
    await expect(t.db.query("UPDATE ledger_cosignatures SET line = 'x'")).rejects.toThrow(/只允许追加/);
  });

  it('refuses bad, unknown-witness, unknown-size and forked submissions', async () => {
    const { res, key, cp } = await head();
    const text = openNote(res.body, [ed25519Verifier(key)]).text;
    const { line } = cosign(text, WITNESS, witnessKey, Math.floor(Date.now() / 1000));
    const badSig = line.slice(0, -8) + 'AAAAAAA=';
    expect((await post(`${res.body}${badSig}\n`)).statusCode).toBe(400);
    // Without the accepted witness line from the previous test: only a stranger's line.
    const logOnly = res.body.split('\n').filter((l) => !l.includes(WITNESS)).join('\n');
    const stranger = cosign(text, 'stranger.example/w', crypto.generateKeyPairSync('ed25519').privateKey, 1).line;
    expect((await post(`${logOnly}${stranger}\n`)).statusCode).toBe(400);
    const future = cosign(text, WITNESS, witnessKey, Math.floor(Date.now() / 1000) + 86400).line;
    expect((await post(`${res.body}${future}\n`)).statusCode).toBe(400);
    const otherSize = text.replace(`\n${cp.size}\n`, `\n${cp.size + 1000}\n`);
    expect((await post(`${otherSize}\n${cosign(otherSize, WITNESS, witnessKey, 1).line}\n`)).statusCode).toBe(404);
    const forkedRoot = `${cp.origin}\n${cp.size}\n${Buffer.alloc(32, 1).toString('base64')}\n`;
    expect((await post(`${forkedRoot}\n${cosign(forkedRoot, WITNESS, witnessKey, 1).line}\n`)).statusCode).toBe(409);
    expect((await post('not a note')).statusCode).toBe(400);
  });
});

describe('browser verifier (/ledger/verify)', () => {
  it('serves the page with the key and a nonce-protected script', async () => {
    const res = await get('/ledger/verify');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))![1];
    expect(res.body).toContain(`<script nonce="${nonce}">`);
    expect(res.body).toContain((await get('/ledger/key')).body.trim());
    expect(res.body).toContain('账本公开验证');
  });

  // The page's own checking code, run in Node against the live log.
  const lib = new Function(`${VERIFY_LIB_JS}; return { verifyDigest, Sha256, sha256, toHex };`)() as {
    verifyDigest(hex: string, vkey: string, ft: (p: string) => Promise<string>, fj: (p: string) => Promise<unknown>): Promise<{ found: boolean; results: Array<{ index: number; signatureVerified: boolean | null }> }>;
    Sha256: new () => { update(u8: Uint8Array): void; digest(): Uint8Array };
  };
  const fetchText = async (p: string) => (await get(p)).body;
  const fetchJson = async (p: string) => (await get(p)).json() as unknown;

  it('finds a published text by its content digest and verifies proof and signature', async () => {
    const published = '某市市场监督管理局行政处罚决定书（公示稿）\n当事人：某某有限公司……';
    const digest = crypto.createHash('sha256').update(published).digest('hex');
    await t.db.transaction((tx) => appendLedgerEntry(tx, fakeEntry({ content: digest })));
    await seq.flush();
    const key = (await get('/ledger/key')).body.trim();
    const r = await lib.verifyDigest(digest, key, fetchText, fetchJson);
    expect(r.found).toBe(true);
    expect(r.results[0]!.signatureVerified).toBe(true);
    expect((await lib.verifyDigest('00'.repeat(32), key, fetchText, fetchJson)).found).toBe(false);
    // A key whose id does not match its material is refused.
    const wrongKey = key.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    await expect(lib.verifyDigest(digest, wrongKey, fetchText, fetchJson)).rejects.toThrow();
  });

  it('the streaming SHA-256 matches node:crypto', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100_000]) {
      const data = crypto.randomBytes(n);
      const h = new lib.Sha256();
      h.update(data.subarray(0, Math.floor(n / 3)));
      h.update(data.subarray(Math.floor(n / 3)));
      expect(Buffer.from(h.digest()).toString('hex')).toBe(crypto.createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('sanxiang verify <url>', () => {
  const lines: string[] = [];
  const opts = (extra: Record<string, unknown> = {}) => ({ state: path.join(stateDir, 'state.json'), out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), ...extra });

  it('verifies the whole log, then only what is new, and remembers the checkpoint', async () => {
    const key = (await get('/ledger/key')).body.trim();
    expect(await verifyCommand(baseUrl, opts({ key }))).toBe(0); // the site root works too
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { size: number };
    await t.db.transaction((tx) => appendMany(tx, 600));
    await seq.flush();
    expect(await verifyCommand(`${baseUrl}/ledger`, opts())).toBe(0);
    expect(lines.some((l) => l.includes(`一致性证明有效：大小 ${state.size}`))).toBe(true);
  });

  it('fails when the log was rewritten behind its checkpoints', async () => {
    const statePath = path.join(stateDir, 'state.json');
    const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { root: string };
    // Pretend we remembered a different tree of the same size: the log must not be consistent with it.
    fs.writeFileSync(statePath, JSON.stringify({ ...state, root: Buffer.alloc(32, 7).toString('base64') }));
    lines.length = 0;
    expect(await verifyCommand(baseUrl, opts())).toBe(1);
    expect(lines.join('\n')).toMatch(/与上次记住的.*不一致/);
    // A wrong key is refused outright.
    lines.length = 0;
    const other = ed25519Signer('sanxiang.test/ledger', crypto.generateKeyPairSync('ed25519').privateKey).verifierKey;
    expect(await verifyCommand(baseUrl, { ...opts({ key: other }), state: path.join(stateDir, 'fresh.json') })).toBe(1);
  });

  it('fails when an entry was altered in the database', async () => {
    await t.db.exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
      UPDATE ledger_entries SET entry = convert_to('{"forged":true}', 'UTF8') WHERE idx = 10;
      ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;`);
    lines.length = 0;
    const key = (await get('/ledger/key')).body.trim();
    expect(await verifyCommand(baseUrl, { ...opts({ key }), state: path.join(stateDir, 'audit2.json') })).toBe(1);
    expect(lines.join('\n')).toMatch(/第 10 条/);
  });
});
