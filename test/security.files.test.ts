// Issue 15, defects 1, 2, 5 and 9: every way to reach a stored file or a party's personal data.
// A hash (public in the ledger) is never a capability (R-R05, R-R06): by its hash a file is read only
// by its own uploader while it is attached to nothing; case files are read through the case, where the
// role rules and the access log apply. And what a role may not see of the party (R-P14) it gets from no
// representation: case JSON, DOCX, PDF, prefill, archive.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDocumentFields } from '../src/cases/demo-content.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, fakeVideo, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';
import { login, as } from './helpers/app.ts';

let w: CaseWorld;
let tmp: string;
let caseId: string;
let info: ReturnType<typeof caseInfo>;
let pdf: { id: string; sha256: string };
let video: { id: string; blobSha256: string };
let draftId: string;
let scjgToken: string;
let xhzfToken: string;

const two = () => w.officers.slice(0, 2).map((o) => o.id);
const post = (body: Record<string, unknown>) => w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { officerIds: two(), ...body });
const approve = async (step: string, on: string) => expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step, on, opinion: '同意' })).statusCode).toBe(201);
const bearer = (token: string, method: 'GET' | 'POST', url: string, extra: { headers?: Record<string, string>; payload?: Buffer } = {}) =>
  w.app.server.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...extra.headers }, payload: extra.payload });
const uploadAs = (s: { cookie: string; csrf: string }, bytes: Buffer, mediaType: string) =>
  w.app.server.inject({ method: 'POST', url: '/api/v1/evidence', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', 'x-media-type': mediaType }, payload: bytes });
const deniedCount = async (sha256: string) =>
  (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'denied' AND action LIKE 'evidence.%' AND detail->>'sha256' = $1`, [sha256])).rows[0]!.n;
const noPersonalData = (text: string) => {
  const flat = text.replace(/\s+/g, '');
  expect(flat).not.toContain(PARTY.idNumber);
  expect(flat).not.toContain(PARTY.address.replace(/\s+/g, ''));
};
const hasPersonalData = (text: string) => expect(text.replace(/\s+/g, '')).toContain(PARTY.idNumber);

async function token(s: { cookie: string; csrf: string }, scopes: string[]) {
  const r = await as(w.app, s)('POST', '/api/v1/tokens', { name: '对接测试', scopes });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().token as string;
}

beforeAll(async () => {
  w = await caseWorld();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-secfiles-'));
  scjgToken = await token(w.s.admin, ['evidence:read', 'evidence:write', 'cases:read']);
  xhzfToken = await token(await login(w.app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET), ['evidence:read', 'evidence:write', 'cases:read']);

  // A seizure case of 市场监管局 with a final PDF, an AV record and a draft; then closed and archived.
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'coercion-seizure', title: '扣押涉嫌过期食品', matter: MATTER, party: PARTY, profile: { amountInvolved: 20000 } })).json();
  caseId = c.id;
  info = caseInfo(c, w.officers);
  const r = await post({ step: 'measure_proposal', on: '2026-11-02', facts: { emergency: false, measureKind: 'detention' }, documents: docs(['coercion_approval'], '2026-11-02', info) });
  expect(r.statusCode, r.body).toBe(201);
  await approve('seizure', '2026-11-02');
  video = await addAvRecord(w, caseId, 'seizure', '2026-11-02', 'video');
  const s = await post({ step: 'seizure', on: '2026-11-02', documents: docs(['seizure_decision', 'seizure_list', 'seizure_record'], '2026-11-02', info) });
  expect(s.statusCode, s.body).toBe(201);
  const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
  const decision = view.documents.find((d: { type: string }) => d.type === 'seizure_decision');
  pdf = { id: decision.id, sha256: decision.pdfSha256 };
  const d = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type: 'penalty_decision', fields: demoDocumentFields('penalty_decision', '2026-11-20', info) });
  expect(d.statusCode, d.body).toBe(201);
  draftId = d.json().id;
});

afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('defect 1: a case document is not downloadable by its hash (R-R06)', () => {
  it('another agency’s officer, a district supervisor and another agency’s token get 404 for a final PDF of 市场监管局, audited', async () => {
    const before = await deniedCount(pdf.sha256);
    for (const path of [`/api/v1/evidence/${pdf.sha256}`, `/api/v1/evidence/${pdf.sha256}/info`]) {
      expectProblem(await w.api.otherOfficer('GET', path), 404);
      expectProblem(await w.api.countySupervisor('GET', path), 404);
      expectProblem(await w.api.citySupervisor('GET', path), 404);
      expectProblem(await bearer(xhzfToken, 'GET', path), 404);
      // Not its own agency's officer or token either: documents are read through the case.
      expectProblem(await w.api.officer('GET', path), 404);
      expectProblem(await bearer(scjgToken, 'GET', path), 404);
    }
    expect(await deniedCount(pdf.sha256)).toBe(before + 12);
    // A hash of nothing stored answers the same: existence is not revealed.
    const none = await w.api.otherOfficer('GET', `/api/v1/evidence/${'ab'.repeat(32)}`);
    expectProblem(none, 404);
    expect(none.json().detail).toBe((await w.api.otherOfficer('GET', `/api/v1/evidence/${pdf.sha256}`)).json().detail);
    // The case route serves it to whom the case is in scope.
    const viaCase = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${pdf.id}/pdf`);
    expect(viaCase.statusCode).toBe(200);
    expect(crypto.createHash('sha256').update(viaCase.rawPayload).digest('hex')).toBe(pdf.sha256);
    expect((await w.api.otherOfficer('GET', `/api/v1/cases/${caseId}/documents/${pdf.id}/pdf`)).statusCode).toBe(404);
  });

  it('the uploader reads its own unattached upload by hash, nobody else does; once attached only the case route serves it', async () => {
    const bytes = fakeVideo();
    const up = await uploadAs(w.s.officer, bytes, 'video/mp4');
    expect(up.statusCode, up.body).toBe(201);
    const sha = up.json().sha256 as string;
    const own = await w.api.officer('GET', `/api/v1/evidence/${sha}`);
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(bytes)).toBe(true);
    expect((await w.api.officer('GET', `/api/v1/evidence/${sha}/info`)).json()).toMatchObject({ sha256: sha, size: bytes.length, mediaType: 'video/mp4' });
    // The same agency's other users and tokens are not the uploader.
    expectProblem(await w.api.head('GET', `/api/v1/evidence/${sha}`), 404);
    expectProblem(await bearer(scjgToken, 'GET', `/api/v1/evidence/${sha}`), 404);
    expectProblem(await w.api.otherOfficer('GET', `/api/v1/evidence/${sha}/info`), 404);
    // A token's own upload is the token's.
    const tbytes = fakeVideo();
    const tup = await bearer(scjgToken, 'POST', '/api/v1/evidence', { headers: { 'content-type': 'application/octet-stream', 'x-media-type': 'video/mp4' }, payload: tbytes });
    expect(tup.statusCode, tup.body).toBe(201);
    expect((await bearer(scjgToken, 'GET', `/api/v1/evidence/${tup.json().sha256}`)).rawPayload.equals(tbytes)).toBe(true);
    expectProblem(await w.api.officer('GET', `/api/v1/evidence/${tup.json().sha256}`), 404);

    const seizureSeq = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json().steps.find((s: { step: string }) => s.step === 'seizure').seq;
    const rec = await w.api.officer('POST', `/api/v1/cases/${caseId}/records`, {
      kind: 'video', step: 'seizure', stepSeq: seizureSeq, title: '补充录像', description: '现场补充录像。', blobSha256: sha, deviceId: 'DSJ-2026-002',
      startedAt: '2026-11-02T10:00:00+08:00', endedAt: '2026-11-02T10:10:00+08:00', place: '现场', officerIds: two(), custodian: '证据保管员 周某',
    });
    expect(rec.statusCode, rec.body).toBe(201);
    expectProblem(await w.api.officer('GET', `/api/v1/evidence/${sha}`), 404);
    expectProblem(await w.api.officer('GET', `/api/v1/evidence/${sha}/info`), 404);
    const viaCase = await w.api.officer('GET', `/api/v1/cases/${caseId}/records/${rec.json().id}/content?reason=${encodeURIComponent('核对录像')}`);
    expect(viaCase.statusCode).toBe(200);
    expect(viaCase.rawPayload.equals(bytes)).toBe(true);
  });
});

describe('defect 2: a record may reference only a file its own agency uploaded (R-R06)', () => {
  it('attaching another agency’s video hash to one’s own case is refused and nothing is written', async () => {
    const sthj = w.ids.get('city_sthj')!;
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_to >= '2028-12-31' ORDER BY certificate_number LIMIT 2`, [sthj]);
    const c = await w.api.otherOfficer('POST', '/api/v1/cases', { procedureId: 'coercion-seizure', title: '扣押涉嫌违法排污设备', matter: { category: '生态环境', area: '演示市西湖区' }, party: PARTY });
    expect(c.statusCode, c.body).toBe(201);
    const count = async () => (await w.app.ctx.db.query<{ r: number; e: number; a: number }>(
      `SELECT (SELECT count(*)::int FROM case_records) AS r, (SELECT count(*)::int FROM events) AS e, (SELECT count(*)::int FROM blob_attachments) AS a`,
    )).rows[0]!;
    const before = await count();
    const r = await w.api.otherOfficer('POST', `/api/v1/cases/${c.json().id}/records`, {
      kind: 'video', step: 'seizure', title: '执法记录仪录像', description: '现场录像。', blobSha256: video.blobSha256, deviceId: 'DSJ-X',
      startedAt: '2026-11-02T09:00:00+08:00', endedAt: '2026-11-02T09:40:00+08:00', place: '现场', officerIds: rows.map((o) => o.id), custodian: '保管员',
    });
    const body = expectProblem(r, 400) as { errors?: { field: string; message: string }[] };
    expect(body.errors?.map((e) => e.field)).toEqual(['blobSha256']);
    expect(await count()).toEqual(before);
    // Its own upload it may attach.
    const up = await uploadAs(w.s.otherOfficer, fakeVideo(), 'video/mp4');
    const ok = await w.api.otherOfficer('POST', `/api/v1/cases/${c.json().id}/records`, {
      kind: 'video', step: 'seizure', title: '执法记录仪录像', description: '现场录像。', blobSha256: up.json().sha256, deviceId: 'DSJ-X',
      startedAt: '2026-11-02T09:00:00+08:00', endedAt: '2026-11-02T09:40:00+08:00', place: '现场', officerIds: rows.map((o) => o.id), custodian: '保管员',
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('defect 9: more side doors (R-R06)', () => {
  it('/info tells nothing of a case record, not even its file name', async () => {
    for (const api of [w.api.otherOfficer, w.api.officer, w.api.citySupervisor, w.api.admin]) {
      const r = await api('GET', `/api/v1/evidence/${video.blobSha256}/info`);
      expectProblem(r, 404);
      expect(r.body).not.toContain('.mp4');
    }
  });
});

describe('defect 5: one minimisation for every representation (R-P14)', () => {
  it('the supervisor sees no party ID number or address in the case JSON, the DOCX, the PDF or the prefill; the agency’s staff do', async () => {
    const own = await w.api.officer('GET', `/api/v1/cases/${caseId}`);
    hasPersonalData(own.body);
    const view = await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}`);
    expect(view.statusCode).toBe(200);
    noPersonalData(view.body);

    const docxText = (bytes: Buffer) => {
      const file = path.join(tmp, `${crypto.randomUUID()}.docx`);
      fs.writeFileSync(file, bytes);
      return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' }).replace(/<[^>]+>/g, '');
    };
    const officerDocx = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${draftId}/docx`);
    expect(officerDocx.statusCode).toBe(200);
    hasPersonalData(docxText(officerDocx.rawPayload));
    const docx = await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}/documents/${draftId}/docx`);
    expect(docx.statusCode).toBe(200);
    noPersonalData(docxText(docx.rawPayload));

    const pdfText = (bytes: Buffer) => {
      const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
      fs.writeFileSync(file, bytes);
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    };
    hasPersonalData(pdfText((await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${pdf.id}/pdf`)).rawPayload));
    const sup = await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}/documents/${pdf.id}/pdf`);
    expect(sup.statusCode).toBe(200);
    noPersonalData(pdfText(sup.rawPayload));
    expect(pdfText(sup.rawPayload).replace(/\s+/g, '')).toContain('已隐去');

    const prefillUrl = `/api/v1/cases/${caseId}/document-prefill?type=penalty_decision&on=2026-11-20`;
    hasPersonalData((await w.api.officer('GET', prefillUrl)).body);
    const prefill = await w.api.citySupervisor('GET', prefillUrl);
    expect(prefill.statusCode).toBe(200);
    noPersonalData(prefill.body);
  });
});

describe('archive package: AV files and personal data by the exporter’s rights (defects 9 and 5)', () => {
  let key: string;
  const sequence = async () => {
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(30_000);
    await seq.stop();
  };
  const exportAs = async (api: CaseWorld['api'][keyof CaseWorld['api']], name: string) => {
    await sequence();
    const r = await api('GET', `/api/v1/cases/${caseId}/archive-package?reason=${encodeURIComponent('案卷评查')}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const tar = path.join(tmp, `${name}.tar`);
    fs.writeFileSync(tar, r.rawPayload);
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    const listing = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).trim().split('\n');
    const verified = spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), tar, '--key', key], { encoding: 'utf8' });
    return { tar, dir, listing, manifest: fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'), verified };
  };

  beforeAll(async () => {
    await approve('disposal', '2026-11-21');
    expect((await post({ step: 'disposal', on: '2026-11-21', documents: docs(['seizure_disposal_decision'], '2026-11-21', info) })).statusCode).toBe(201);
    await approve('closing', '2026-11-21');
    expect((await post({ step: 'closing', on: '2026-11-21', documents: docs(['closing_approval'], '2026-11-21', info) })).statusCode).toBe(201);
    expect((await w.api.officer('DELETE', `/api/v1/cases/${caseId}/documents/${draftId}`)).statusCode).toBe(200);
    const a = await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-11-23' });
    expect(a.statusCode, a.body).toBe(200);
    const { logIdentity } = await import('../src/ledger/service.ts');
    key = (await logIdentity(w.app.ctx)).verifierKey;
  });

  it('defect 9: the agency administrator’s package has no AV file without an approved disclosure, lists it as withheld, and still verifies', async () => {
    const officer = await exportAs(w.api.officer, 'officer');
    expect(officer.listing.some((n) => n.startsWith('evidence/') && n.endsWith('.mp4'))).toBe(true);
    const admin = await exportAs(w.api.admin, 'admin');
    expect(admin.listing.some((n) => n.endsWith('.mp4'))).toBe(false);
    const m = JSON.parse(admin.manifest);
    expect(m.withheld.filter((x: { kind: string }) => x.kind === 'record').map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([video.id]));
    expect(m.withheld.find((x: { id: string }) => x.id === video.id).reason).toMatch(/R-R06/);
    expect(admin.verified.stdout + admin.verified.stderr).toContain('核验通过');
    const log = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json().accessLog as { recordId: string; action: string; role: string }[];
    expect(log.filter((a) => a.recordId === video.id && a.action === 'export').map((a) => a.role)).toEqual(['officer']);

    // With the head's approval, unexpired, naming the record: the file goes with the package.
    const req = await w.api.officer('POST', `/api/v1/cases/${caseId}/disclosures`, { recordIds: [video.id], recipient: '演示市档案馆', purpose: '移交档案' });
    expect(req.statusCode, req.body).toBe(201);
    expect((await w.api.head('POST', `/api/v1/cases/${caseId}/disclosures/${req.json().id}/decision`, { approved: true, opinion: '同意', validUntil: '2026-11-30' })).json().status).toBe('approved');
    const approved = await exportAs(w.api.admin, 'admin-approved');
    expect(approved.listing.some((n) => n.endsWith('.mp4'))).toBe(true);
  });

  it('defect 5: the supervisor’s package carries no party ID number or address, in files or event data, and still verifies', async () => {
    const officer = await exportAs(w.api.officer, 'officer-full');
    hasPersonalData(officer.manifest);
    const sup = await exportAs(w.api.citySupervisor, 'supervisor');
    noPersonalData(sup.manifest);
    const m = JSON.parse(sup.manifest);
    expect(m.withheldEvents.map((e: { kind: string }) => e.kind)).toContain('cases.created');
    expect(m.withheld.some((x: { kind: string }) => x.kind === 'document')).toBe(true);
    // Each document travels as its PDF and as its electronic format (fields as JSON, R-R02): neither may carry them.
    expect(sup.listing.some((n) => n.startsWith('documents/') && n.endsWith('.json'))).toBe(true);
    for (const f of sup.listing.filter((n) => n.startsWith('documents/'))) {
      noPersonalData(f.endsWith('.pdf') ? execFileSync('pdftotext', [path.join(sup.dir, f), '-'], { encoding: 'utf8' }) : fs.readFileSync(path.join(sup.dir, f), 'utf8'));
    }
    expect(sup.verified.stdout + sup.verified.stderr).toContain('核验通过');
    expect(sup.verified.status).toBe(0);
  });
});
