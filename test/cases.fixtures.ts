// Fixtures of the case API tests: the platform with its demo agencies, officers and users, sessions
// for each role, valid and invalid officers of the city market regulator, and helpers that upload an
// evidence file and attach it as a record.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { startTestApp, login, as, type TestApp, type Session } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { storeEvidence } from '../src/blobs/service.ts';
import type { Actor } from '../src/platform/actor.ts';
import { demoDocumentFields, type DemoCaseInfo } from '../src/cases/demo-content.ts';

export const PARTY = { name: '演示某某食品贸易有限公司', type: 'organisation', idType: 'credit_code', idNumber: '91330106MA2H3K7Q4Q', address: '演示市西湖区文三路 100 号' } as const;
export const MATTER = { category: '市场监管', area: '演示市西湖区' };

export interface Officer {
  id: string;
  name: string;
  certificateNumber: string;
}

export interface CaseWorld {
  app: TestApp;
  ids: Map<string, string>;
  s: Record<'officer' | 'head' | 'reviewer' | 'admin' | 'otherOfficer' | 'citySupervisor' | 'countySupervisor' | 'system', Session>;
  api: Record<'officer' | 'head' | 'reviewer' | 'admin' | 'otherOfficer' | 'citySupervisor' | 'countySupervisor' | 'system', ReturnType<typeof as>>;
  /** Valid certificates of 演示市市场监督管理局 covering 市场监管 in 演示市. */
  officers: Officer[];
  expired: Officer;
  officerActor: Actor;
}

export async function caseWorld(env: Record<string, string> = {}): Promise<CaseWorld> {
  const app = await startTestApp({ DATA_DIR: `/tmp/sx-cases-${crypto.randomBytes(4).toString('hex')}`, ...env });
  const ids = await loadDemo(app.ctx);
  const s = {
    officer: await login(app, 'scjg_officer', DEMO_PASSWORD),
    head: await login(app, 'scjg_head', DEMO_PASSWORD),
    reviewer: await login(app, 'scjg_reviewer', DEMO_PASSWORD),
    admin: await login(app, 'scjg_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET),
    otherOfficer: await login(app, 'sthj_officer', DEMO_PASSWORD),
    citySupervisor: await login(app, 'sfj', DEMO_PASSWORD),
    countySupervisor: await login(app, 'xhsfj', DEMO_PASSWORD),
    system: await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET),
  };
  const api = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, as(app, v)])) as CaseWorld['api'];
  const agency = ids.get('city_scjg')!;
  const { rows } = await app.ctx.db.query<{ id: string; name: string; certificate_number: string }>(
    `SELECT id, name, certificate_number FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_from <= '2026-01-01' AND valid_to >= '2028-12-31' ORDER BY certificate_number LIMIT 4`,
    [agency],
  );
  const officers = rows.map((r) => ({ id: r.id, name: r.name, certificateNumber: r.certificate_number }));
  const ex = (await app.ctx.db.query<{ id: string; name: string; certificate_number: string }>(`SELECT id, name, certificate_number FROM officers WHERE agency_id = $1 AND valid_to < '2026-01-01' LIMIT 1`, [agency])).rows[0]!;
  const user = (await app.ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'scjg_officer'`)).rows[0]!;
  const officerActor: Actor = { kind: 'user', id: user.id, name: 'scjg_officer', role: 'officer', agencyId: agency, jurisdiction: null, scopes: [] };
  return { app, ids, s, api, officers, expired: { id: ex.id, name: ex.name, certificateNumber: ex.certificate_number }, officerActor };
}

/** Uploads bytes to the evidence store (the same service POST /api/v1/evidence runs). */
export async function upload(w: CaseWorld, bytes: Buffer, mediaType: string, filename: string): Promise<string> {
  const r = await storeEvidence(w.app.ctx, w.officerActor, { body: Readable.from([bytes]), mediaType, filename, declaredLength: bytes.length });
  return r.sha256;
}

let counter = 0;
/** A small fake video, distinct each time. */
export function fakeVideo(): Buffer {
  return Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), crypto.randomBytes(2048), Buffer.from(`demo-${++counter}`)]);
}

export async function addAvRecord(w: CaseWorld, caseId: string, step: string, on: string, kind: 'video' | 'audio' | 'photo' = 'video', stepSeq?: number) {
  const media = kind === 'video' ? 'video/mp4' : kind === 'audio' ? 'audio/mpeg' : 'image/jpeg';
  const sha = await upload(w, fakeVideo(), media, `${step}.${kind === 'video' ? 'mp4' : kind === 'audio' ? 'mp3' : 'jpg'}`);
  const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/records`, {
    kind, step, ...(stepSeq ? { stepSeq } : {}), title: `${step} 执法记录仪录像`, description: '执法人员表明身份、告知权利及现场检查全过程，画面连续无中断。',
    blobSha256: sha, deviceId: 'DSJ-2026-001', startedAt: `${on}T09:00:00+08:00`, endedAt: `${on}T09:40:00+08:00`, place: '演示市西湖区文三路 100 号',
    officerIds: w.officers.slice(0, 2).map((o) => o.id), custodian: '证据保管员 周某',
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; blobSha256: string };
}

export function caseInfo(c: { number: string; title: string }, officers: Officer[], facts: Record<string, unknown> = {}): DemoCaseInfo {
  return { number: c.number, title: c.title, party: { ...PARTY }, officers: officers.map((o) => ({ name: o.name, certificateNumber: o.certificateNumber })), facts };
}

/** Inline documents for a step: one of each type, filled in for the case on that day. */
export function docs(types: string[], on: string, info: DemoCaseInfo) {
  return types.map((type) => ({ type, fields: demoDocumentFields(type, on, info) }));
}

export function expectProblem(r: { statusCode: number; headers: Record<string, unknown>; json(): unknown; body: string }, status: number, codes?: string[]) {
  expect(r.statusCode, r.body).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  const body = r.json() as { type: string; title: string; detail: string; refusals?: { code: string; reason: string }[] };
  expect(body.title).toMatch(/\p{Script=Han}/u);
  if (codes) expect(body.refusals?.map((x) => x.code), body.detail).toEqual(expect.arrayContaining(codes));
  return body;
}
