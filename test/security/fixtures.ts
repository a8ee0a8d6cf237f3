// The world the authorization matrix runs in: caseWorld (every demo role signed in) with the demo
// cases loaded, plus for each of three agencies (市场监管局 = own for scjg_*, 西湖区综合行政执法局 =
// same jurisdiction for xhsfj and own for xhzf_admin, 生态环境局 = foreign) an open case, an archived one
// where the demo has it, a finalised document and its PDF hash, a draft, an AV record and its file
// hash, an approved disclosure, a review, an officer and a user; API tokens of 市场监管局 made through
// the token routes; and per caller its own unattached upload and tus upload, made on first use.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { caseWorld, fakeVideo, type CaseWorld } from '../cases.fixtures.ts';
import { login, type Session } from '../helpers/app.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { loadCaseDemo } from '../../src/cases/demo.ts';
import { loadReviewDemo } from '../../src/review/demo.ts';
import { storeEvidence } from '../../src/blobs/service.ts';
import { createDraft } from '../../src/cases/case-documents.ts';
import { addRecord, decideDisclosure, requestDisclosure } from '../../src/cases/records.ts';
import { RecordInput } from '../../src/cases/schema.ts';
import { startSequencer } from '../../src/ledger/sequencer.ts';
import { TOKEN_SCOPES } from '../../src/accounts/service.ts';
import type { Actor, Role } from '../../src/platform/actor.ts';
import { AGENCY_KEYS, CALLERS, PLACES, type Place, type Req, type Who } from './matrix.ts';
import { publicityFixtures, type PublicityFx } from './publicity-fixtures.ts';

export interface PlaceFx {
  agency: string;
  open: string;
  /** An archived case where the demo has one (市场监管局), else the open case. */
  archived: string;
  finalDoc: { caseId: string; id: string; sha: string };
  draft: { caseId: string; id: string };
  av: { caseId: string; id: string; sha: string };
  disclosure: string;
  review: { caseId: string; id: string };
  /** A settled review coordination of the agency (the review demo's), else any id. */
  coordination: { caseId: string; id: string };
  officer: string;
  user: string;
  /** A legal-review roster entry of the agency. */
  roster: string;
}

export interface Fx {
  w: CaseWorld;
  /** Publicity (issue 8): drafts, corrections, a published decision. */
  pub: PublicityFx;
  at: Record<Place, PlaceFx>;
  sessions: Record<Exclude<Who, 'anonymous' | 'token' | 'tokenNoScope'>, Session>;
  tokens: { all: string; missing: Record<string, string> };
  /** Another user's (mx_uploader, 市场监管局) unattached upload and tus upload. */
  other: { sha: string; tus: string };
  systemUserId: string;
  /** Each case's party ID number and address, to look for where they must be withheld. */
  party: Map<string, { idNumber: string | null; address: string | null }>;
  /** Headers that authenticate `who` for a route needing `scope`. */
  auth(who: Who, method: string, scope: string | null): Record<string, string>;
  /** The caller's own unattached upload / tus upload (made on first use; another user's when the caller cannot upload). */
  selfUpload(who: Who, scope: string | null): Promise<string>;
  selfTus(who: Who, scope: string | null): Promise<string>;
  /** A fresh unattached upload of the caller ('uploader': mx_uploader of 市场监管局); another user's when the caller cannot upload. */
  freshUpload(who: Who | 'uploader', scope: string | null): Promise<string>;
  /** A fresh tus upload of the caller, for DELETE. */
  freshTus(who: Who, scope: string | null): Promise<string>;
  /** Ids made by `prepare` for the current cell. */
  scratch: Record<string, string>;
  /** A number unique in this run (usernames, certificate numbers, credit codes). */
  seq(): number;
  send(req: Req, who: Who, scope: string | null): Promise<LightMyRequestResponse>;
}

const standIn = (agencyId: string, role: Role, name: string): Actor => ({ kind: 'user', id: crypto.randomUUID(), name, role, agencyId, jurisdiction: null, scopes: [] });

const TUS = { 'tus-resumable': '1.0.0' };
const tusMeta = (name: string, type: string) => `filename ${Buffer.from(name).toString('base64')},filetype ${Buffer.from(type).toString('base64')}`;

export async function buildFixtures(): Promise<Fx> {
  const w = await caseWorld();
  const { ctx } = w.app;
  await loadCaseDemo(ctx, w.ids);
  await loadReviewDemo(ctx);
  const q = async <T>(sql: string, params: unknown[] = []) => (await ctx.db.query<T>(sql, params)).rows;
  const hash = (await q<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'scjg_officer'`))[0]!.password_hash;
  const systemUserId = (await q<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`))[0]!.id;

  // Throwaway accounts: one per place for the user routes, one that uploads as "another user", one that logs in.
  const addUser = async (username: string, agencyId: string) => {
    const id = crypto.randomUUID();
    await ctx.db.query(`INSERT INTO users (id, username, display_name, agency_id, role, password_hash) VALUES ($1,$2,$3,$4,'officer',$5)`, [id, username, username, agencyId, hash]);
    return id;
  };
  await addUser('mx_uploader', w.ids.get('city_scjg')!);
  await addUser('mx_login', w.ids.get('city_scjg')!);
  const uploader = await login(w.app, 'mx_uploader', DEMO_PASSWORD);
  const xhAdmin = await login(w.app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
  const sessions = { ...w.s, xhAdmin } as Fx['sessions'];

  // API tokens of 市场监管局, made through the token routes by its administrator.
  const makeToken = async (scopes: string[]) => {
    const r = await w.api.admin('POST', '/api/v1/tokens', { name: `matrix ${scopes.join(' ')}`, scopes });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { token: string }).token;
  };
  const tokens = { all: await makeToken([...TOKEN_SCOPES]), missing: {} as Record<string, string> };
  for (const s of TOKEN_SCOPES) tokens.missing[s] = await makeToken(TOKEN_SCOPES.filter((x) => x !== s));

  const addRosterEntry = async (agencyId: string) => {
    const r = await w.api.system('POST', '/api/v1/reviewers', { agencyId, name: '矩阵审核', role: 'reviewer' });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };

  const at = {} as Record<Place, PlaceFx>;
  for (const place of PLACES) {
    const agency = w.ids.get(AGENCY_KEYS[place])!;
    const officer = place === 'scjg' ? w.officerActor : standIn(agency, 'officer', '矩阵执法人员');
    const head = standIn(agency, 'agency_head', '矩阵负责人');
    const open = (await q<{ id: string }>(`SELECT id FROM cases WHERE agency_id = $1 AND status = 'open' AND procedure_id = 'penalty-general' ORDER BY created_at LIMIT 1`, [agency]))[0]?.id;
    if (!open) throw new Error(`the demo has no open penalty case of ${AGENCY_KEYS[place]}`);
    const archived = (await q<{ id: string }>(`SELECT id FROM cases WHERE agency_id = $1 AND status = 'archived' ORDER BY created_at LIMIT 1`, [agency]))[0]?.id ?? open;
    const fd = (await q<{ id: string; case_id: string; pdf_sha256: string }>(
      // One that holds the party's ID number, so that who may not see it is seen not to get it.
      `SELECT d.id, d.case_id, d.pdf_sha256 FROM case_documents d JOIN cases c ON c.id = d.case_id
        WHERE d.agency_id = $1 AND d.status = 'final' ORDER BY (c.party_id_number IS NOT NULL AND strpos(d.fields::text, c.party_id_number) > 0) DESC, d.created_at LIMIT 1`,
      [agency],
    ))[0];
    if (!fd) throw new Error(`the demo has no finalised document of ${AGENCY_KEYS[place]}`);
    const draft = await createDraft(ctx, null, officer, open, { type: 'inquiry_record', fields: {} });
    const stored = await storeEvidence(ctx, officer, { body: Readable.from([fakeVideo()]), mediaType: 'video/mp4', filename: `矩阵-${place}.mp4`, declaredLength: undefined });
    const rec = await addRecord(ctx, null, officer, open, RecordInput.parse({
      kind: 'video', step: 'inspection', title: '现场检查执法记录仪录像', description: '执法人员表明身份、告知权利及现场检查全过程。', blobSha256: stored.sha256, deviceId: 'DSJ-MX-001',
      startedAt: '2026-10-09T09:00:00+08:00', endedAt: '2026-10-09T09:30:00+08:00', place: '演示市某某路现场', custodian: '证据保管员 周某',
    }));
    const d = await requestDisclosure(ctx, null, officer, open, { recordIds: [rec.id], recipient: '演示市西湖区人民法院', purpose: '行政诉讼举证' });
    await decideDisclosure(ctx, null, head, open, d.id, { approved: true, opinion: '同意提供', validUntil: '2026-12-31' });
    const review = (await q<{ id: string; case_id: string }>(`SELECT r.id, r.case_id FROM legal_reviews r JOIN cases c ON c.id = r.case_id WHERE c.agency_id = $1 AND NOT EXISTS (SELECT 1 FROM legal_review_assignments x WHERE x.review_id = r.id) ORDER BY r.round, r.id LIMIT 1`, [agency]))[0];
    const coord = (await q<{ id: string; case_id: string }>(`SELECT k.id, k.case_id FROM review_coordinations k JOIN cases c ON c.id = k.case_id WHERE c.agency_id = $1 LIMIT 1`, [agency]))[0];
    const officerId = (await q<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 ORDER BY certificate_number DESC LIMIT 1`, [agency]))[0]!.id;
    at[place] = {
      agency, open, archived,
      finalDoc: { caseId: fd.case_id, id: fd.id, sha: fd.pdf_sha256 },
      draft: { caseId: open, id: draft.id },
      av: { caseId: open, id: rec.id, sha: stored.sha256 },
      disclosure: d.id,
      // Only 市场监管局's demo cases reach legal review (one not assigned to the justice bureau's adviser); elsewhere no caller of the matrix may review, so any id serves.
      review: review ? { caseId: review.case_id, id: review.id } : { caseId: open, id: crypto.randomUUID() },
      coordination: coord ? { caseId: coord.case_id, id: coord.id } : { caseId: open, id: crypto.randomUUID() },
      officer: officerId,
      user: await addUser(`mx_user_${place}`, agency),
      roster: await addRosterEntry(agency),
    };
  }

  const pub = await publicityFixtures(ctx, (p) => at[p].agency);
  // The public ledger answers proofs only once a checkpoint is signed; the archive package needs every event of its case in one.
  const sequencer = startSequencer(ctx, { intervalMs: 20 });
  await sequencer.flush(60_000);
  await sequencer.stop();

  const party = new Map((await q<{ id: string; party_id_number: string | null; party_address: string | null }>(`SELECT id, party_id_number, party_address FROM cases`)).map((r) => [r.id, { idNumber: r.party_id_number, address: r.party_address }]));

  const auth = (who: Who, method: string, scope: string | null): Record<string, string> => {
    if (who === 'anonymous') return {};
    if (who === 'token') return { authorization: `Bearer ${tokens.all}` };
    if (who === 'tokenNoScope') return { authorization: `Bearer ${scope ? tokens.missing[scope] : tokens.all}` };
    const s = sessions[who];
    return { cookie: s.cookie, ...(method === 'GET' || method === 'HEAD' ? {} : { 'x-csrf-token': s.csrf }) };
  };
  const send = (req: Req, who: Who, scope: string | null) =>
    w.app.server.inject({
      method: req.method,
      url: req.url,
      headers: { ...auth(who, req.method, scope), ...(req.headers ?? {}) },
      ...(req.raw ? { payload: req.raw } : req.body !== undefined ? { payload: req.body as object } : {}),
    });

  const postUpload = async (headers: Record<string, string>) => {
    const bytes = fakeVideo();
    return w.app.server.inject({ method: 'POST', url: '/api/v1/evidence', headers: { ...headers, 'content-type': 'application/octet-stream', 'x-media-type': 'video/mp4', 'x-filename': encodeURIComponent('自己的上传.mp4') }, payload: bytes });
  };
  const createTus = async (headers: Record<string, string>) =>
    w.app.server.inject({ method: 'POST', url: '/api/v1/evidence/uploads', headers: { ...headers, ...TUS, 'upload-length': '4096', 'upload-metadata': tusMeta('续传.mp4', 'video/mp4') } });

  const uploaderHeaders = (method: string) => ({ cookie: uploader.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': uploader.csrf }) });
  const otherUp = await postUpload(uploaderHeaders('POST'));
  expect(otherUp.statusCode, otherUp.body).toBe(201);
  const otherTus = await createTus(uploaderHeaders('POST'));
  expect(otherTus.statusCode, otherTus.body).toBe(201);
  const other = { sha: (otherUp.json() as { sha256: string }).sha256, tus: String(otherTus.headers.location).split('/').pop()! };

  const uploads = new Map<string, string>();
  const tusIds = new Map<string, string>();
  // Keyed by the credential actually sent: tokenNoScope is a different token for each scope.
  const credKey = (who: Who, scope: string | null) => `${who}:${who === 'tokenNoScope' ? scope : ''}`;
  let n = 0;
  const fx: Fx = {
    w, pub, at, sessions, tokens, other, systemUserId, party, auth, send,
    scratch: {},
    seq: () => ++n,
    async selfUpload(who, scope) {
      const key = credKey(who, scope);
      if (!uploads.has(key)) {
        const r = await postUpload(auth(who, 'POST', scope));
        uploads.set(key, r.statusCode === 201 ? (r.json() as { sha256: string }).sha256 : other.sha);
      }
      return uploads.get(key)!;
    },
    async freshUpload(who, scope) {
      const r = await postUpload(who === 'uploader' ? uploaderHeaders('POST') : auth(who, 'POST', scope));
      return r.statusCode === 201 ? (r.json() as { sha256: string }).sha256 : other.sha;
    },
    async selfTus(who, scope) {
      const key = credKey(who, scope);
      if (!tusIds.has(key)) tusIds.set(key, await fx.freshTus(who, scope));
      return tusIds.get(key)!;
    },
    async freshTus(who, scope) {
      const r = await createTus(auth(who, 'POST', scope));
      return r.statusCode === 201 ? String(r.headers.location).split('/').pop()! : other.tus;
    },
  };
  return fx;
}

export const callerUsername = (who: Who) => ('username' in CALLERS[who] ? (CALLERS[who] as { username: string }).username : null);
