// A general-procedure penalty case from initiation to archive through the API (R-R01: every stage
// leaves its record), with a hearing, a legal review that first finds problems and then passes
// (R-L01, R-L05 … R-L07), documents with 文号 and PDFs (R-R02), an AV record (R-R03), and the archive
// package verified offline by its own verifier (R-R07).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { REVIEW_POINTS } from '../src/cases/schema.ts';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let caseId: string;
let info: ReturnType<typeof caseInfo>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-case-archive-'));

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

const checklist = (ok = true) => Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: ok || p !== 'evidence_sufficient', note: '' }]));

async function step(step: string, on: string, extra: Record<string, unknown> = {}, who: keyof CaseWorld['api'] = 'officer', docTypes: string[] = []) {
  const r = await w.api[who]('POST', `/api/v1/cases/${caseId}/steps`, { step, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(docTypes, on, info), ...extra });
  expect(r.statusCode, `${step}: ${r.body}`).toBe(201);
  return r.json() as { seq: number; warnings: { code: string }[]; documents: { id: string; sha256: string }[] };
}

async function approve(stepKey: string, on: string) {
  const r = await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: stepKey, on, opinion: '同意。' });
  expect(r.statusCode, r.body).toBe(201);
}

describe('行政处罚普通程序：立案到归档', () => {
  it('opens the case with a 案号 and the version it keeps', async () => {
    const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    caseId = c.id;
    expect(c.number).toMatch(/^演示市监案〔2026〕\d+号$/);
    expect(c.procedure).toMatchObject({ id: 'penalty-general', version: 1 });
    expect(c.status).toBe('open');
    expect(c.party.idNumber).toBe(PARTY.idNumber);
    expect(c.available.steps.map((s: { key: string }) => s.key)).toEqual(['intake']);
    info = caseInfo(c, w.officers, { fineAmount: 60000 });
  });

  it('walks through investigation with documents, an AV record and the head’s approval', async () => {
    await step('intake', '2026-07-01', { facts: { partyType: 'legal_person' } }, 'officer', ['case_source_record']);
    // R-L09: filing needs the head's approval; without it the engine refuses.
    const refused = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'filing', on: '2026-07-01', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['filing_approval'], '2026-07-01', info) });
    expectProblem(refused, 409, ['approval_required']);
    await approve('filing', '2026-07-01');
    const filed = await step('filing', '2026-07-01', {}, 'officer', ['filing_approval']);
    expect(filed.documents).toHaveLength(1);
    // The number taken by the refused attempt was rolled back: the first 立 number is 1 (no gap).
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.documents.find((d: { type: string }) => d.type === 'filing_approval').number).toBe('演示市监立〔2026〕1号');
    expect(view.clocks.find((c: { key: string }) => c.key === 'decision_limit')).toMatchObject({ deadline: '2026-09-29', status: 'running' });

    await addAvRecord(w, caseId, 'inspection', '2026-07-02');
    const insp = await step('inspection', '2026-07-02', {}, 'officer', ['inspection_record']);
    expect(insp.warnings).toEqual([]);
    // Without AV the as-needed rule only warns (R-R04).
    const inq = await step('inquiry', '2026-07-03', {}, 'officer', ['inquiry_record']);
    expect(inq.warnings.map((x) => x.code)).toEqual(['av_recommended']);
    await step('investigation_report', '2026-07-10', { facts: { proposedOutcome: 'penalty', hearingEligible: true, collectiveDiscussionRequired: false } }, 'officer', ['investigation_report']);
  });

  it('notifies, and the catalog makes a 60,000 yuan fine a major decision (R-L04, R-L09)', async () => {
    await step('prior_notice', '2026-07-13', { facts: { proposedFine: 60000, hearingEligible: true } }, 'officer', ['prior_notice']);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.majorDecision).toMatchObject({ major: true, catalogId: null, matched: expect.arrayContaining([expect.objectContaining({ code: 'P-01' })]) });
    expect(view.documents.find((d: { type: string }) => d.type === 'prior_notice').number).toBe('演示市监罚告〔2026〕1号');
  });

  it('holds a hearing presided by an officer who did not investigate', async () => {
    await step('hearing_request', '2026-07-15', {}, 'officer', ['hearing_application']);
    await step('hearing_notice', '2026-07-16', {}, 'officer', ['hearing_notice']);
    const [a, b, presider] = w.officers;
    await step('hearing', '2026-07-27', { officerIds: [a!.id, b!.id, presider!.id], presidedBy: presider!.id }, 'officer', ['hearing_record', 'hearing_report']);
  });

  it('reviews: problems found, corrected and resubmitted, then passed (R-L05 … R-L07)', async () => {
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    const hearingRecord = view.documents.find((d: { type: string }) => d.type === 'hearing_record').id;
    const materials = [
      { kind: 'case_summary', note: '案情摘要' }, { kind: 'evidence', note: '现场检查笔录、询问笔录、录像' }, { kind: 'legal_basis', note: '《食品安全法》第三十四条、第一百二十四条' },
      { kind: 'proposed_decision', note: '罚款六万元' }, { kind: 'statements', note: '当事人申辩意见' }, { kind: 'process_records', note: '立案审批表、告知书' },
    ];
    // R-L06: a hearing was held, so the transcript must be submitted.
    const missing = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, { on: '2026-07-28', summary: '案情', proposedDecision: '罚款六万元', materials, declaration: true });
    expectProblem(missing, 409, ['material_missing']);
    const sub = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, { on: '2026-07-28', summary: '案情', proposedDecision: '罚款六万元', materials: [...materials, { kind: 'hearing_record', documentIds: [hearingRecord] }], declaration: true });
    expect(sub.statusCode, sub.body).toBe(201);
    // Only a reviewer gives the opinion; the officer cannot (R-L07).
    const notReviewer = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews/${sub.json().id}/opinion`, { on: '2026-07-29', result: 'passed', checklist: checklist(), opinion: '同意' });
    expectProblem(notReviewer, 403);
    const problems = await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${sub.json().id}/opinion`, {
      on: '2026-07-29', result: 'problems', checklist: checklist(false), opinion: '证据不足以认定违法所得，请补正。', problems: ['缺少进货单据'],
    });
    expect(problems.statusCode, problems.body).toBe(201);
    expect(problems.json()).toMatchObject({ status: 'problems', opinion: { result: 'problems' } });
    // R-L01: not passed, the decision is refused.
    await approve('penalty_decision', '2026-07-30');
    const early = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'penalty_decision', on: '2026-07-30', facts: { fineAmount: 60000, partyPresent: false }, documents: docs(['penalty_decision'], '2026-07-30', info) });
    expectProblem(early, 409, ['review_required']);
    await step('review_resubmission', '2026-07-30');
    const again = { on: '2026-07-30', summary: '已补充进货单据', proposedDecision: '罚款六万元', materials: [...materials, { kind: 'hearing_record', documentIds: [hearingRecord] }], declaration: true };
    // R-L07: each problem is answered point by point before the resubmission is accepted.
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, again), 409, ['problem_unanswered']);
    const sub2 = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, { ...again, answers: [{ problem: 0, answer: '已调取进货单据三份附卷' }] });
    expect(sub2.statusCode, sub2.body).toBe(201);
    expect(sub2.json().round).toBe(2);
    const passed = await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${sub2.json().id}/opinion`, { on: '2026-07-31', result: 'passed', checklist: checklist(), opinion: '事实清楚，证据充分，同意。' });
    expect(passed.statusCode, passed.body).toBe(201);
  });

  it('decides, serves, executes and closes', async () => {
    // R-L01: the decision keeps the amount the review passed (60,000 yuan); a change needs a new round.
    const changed = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'penalty_decision', on: '2026-08-03', officerIds: w.officers.slice(0, 2).map((o) => o.id), facts: { fineAmount: 50000, partyPresent: false }, documents: docs(['penalty_decision'], '2026-08-03', info) });
    expect(expectProblem(changed, 409, ['differs_from_review']).refusals!.find((x) => x.code === 'differs_from_review')!.reason).toContain('重新报送法制审核');
    const d = await step('penalty_decision', '2026-08-03', { facts: { fineAmount: 60000, partyPresent: false } }, 'officer', ['penalty_decision']);
    expect(d.documents).toHaveLength(1);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    const decision = view.documents.find((x: { type: string }) => x.type === 'penalty_decision');
    expect(decision).toMatchObject({ status: 'final', number: '演示市监处罚〔2026〕1号' });
    // The PDF is served from the evidence store, with the hash the ledger event commits to.
    const pdf = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${decision.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers.etag).toBe(`"${decision.pdfSha256}"`);
    await step('service', '2026-08-05', {}, 'officer', ['service_receipt']);
    await step('publication', '2026-08-05', {}, 'officer', ['publication_record']);
    await step('performance', '2026-08-20', {}, 'officer', ['execution_record']);
    await approve('closing', '2026-08-21');
    await step('closing', '2026-08-21', {}, 'officer', ['closing_approval']);
  });

  it('refuses to archive while a draft is left, then archives in statutory order', async () => {
    const draft = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type: 'statement_record', fields: { body: '未完成' } });
    expect(draft.statusCode).toBe(201);
    const refused = await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-08-24' });
    const body = expectProblem(refused, 409, ['file_incomplete']);
    expect(body.detail).toContain('陈述申辩笔录仍是草稿');
    expect((await w.api.officer('DELETE', `/api/v1/cases/${caseId}/documents/${draft.json().id}`)).statusCode).toBe(200);

    const file = (await w.api.officer('GET', `/api/v1/cases/${caseId}/file`)).json();
    expect(file.complete).toBe(true);
    const order = file.items.map((i: { type: string }) => i.type);
    expect(order.indexOf('filing_approval')).toBeLessThan(order.indexOf('video'));
    expect(order.indexOf('video')).toBeLessThan(order.indexOf('investigation_report'));
    expect(order.indexOf('review_opinion')).toBeLessThan(order.indexOf('penalty_decision'));
    expect(order.at(-1)).toBe('closing_approval');

    const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-08-24' });
    expect(r.statusCode, r.body).toBe(200);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.status).toBe('archived');
    expect(view.documents.map((d: { type: string }) => d.type)).toEqual(expect.arrayContaining(['case_file_cover', 'case_file_index']));
    // An archived file is closed: nothing is added to it.
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type: 'statement_record', fields: { body: 'x' } }), 409);
    expect(view.steps.map((s: { step: string }) => s.step)).toEqual([
      'intake', 'filing', 'inspection', 'inquiry', 'investigation_report', 'prior_notice', 'hearing_request', 'hearing_notice', 'hearing',
      'legal_review', 'review_resubmission', 'legal_review', 'penalty_decision', 'service', 'publication', 'performance', 'closing', 'archive',
    ]);
    // Every state change left an event committed to the ledger (R-R01).
    const { rows } = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE subject_type = 'case' AND subject_id = $1`, [caseId]);
    expect(rows[0]!.n).toBeGreaterThan(40);
  });

  it('exports one package that verifies offline, and detects tampering (R-R07)', async () => {
    // Not yet in a signed checkpoint: refused with the count.
    const early = await w.api.officer('GET', `/api/v1/cases/${caseId}/archive-package?reason=${encodeURIComponent('移交档案室')}`);
    expectProblem(early, 409);
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(30_000);
    await seq.stop();
    // The QR code of a final document leads to its entry in the public log (/ledger/verify?sha256=…).
    const { rows } = await w.app.ctx.db.query<{ digest: string }>(`SELECT data->>'contentSha256' AS digest FROM events WHERE kind = 'cases.document_finalised' AND subject_id = $1 AND data->>'type' = 'penalty_decision'`, [caseId]);
    const found = await w.app.server.inject({ method: 'GET', url: `/api/v1/ledger/entries/by-commitment/${rows[0]!.digest}` });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().entries[0].decoded).toMatchObject({ v: 2, domain: 'cases', content: rows[0]!.digest });
    const r = await w.api.officer('GET', `/api/v1/cases/${caseId}/archive-package?reason=${encodeURIComponent('移交档案室')}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toContain('application/x-tar');
    const tar = path.join(tmp, 'case.tar');
    fs.writeFileSync(tar, r.rawPayload);
    const listing = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.slice(0, 4)).toEqual(['VERIFY.txt', 'verify.mjs', 'checkpoint.txt', 'manifest.json']);
    expect(listing.filter((n) => n.startsWith('documents/')).length).toBeGreaterThan(15);
    expect(listing.some((n) => n.startsWith('evidence/') && n.endsWith('.mp4'))).toBe(true);

    const { logIdentity } = await import('../src/ledger/service.ts');
    const key = (await logIdentity(w.app.ctx)).verifierKey;
    const dir = path.join(tmp, 'x');
    fs.mkdirSync(dir);
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    const ok = spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), tar, '--key', key], { encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toContain('核验通过');
    expect(ok.status).toBe(0);
    // The extracted folder verifies the same way.
    expect(spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), dir, '--key', key], { encoding: 'utf8' }).status).toBe(0);

    // One changed byte in a PDF: the file no longer matches.
    const pdf = fs.readdirSync(path.join(dir, 'documents')).find((n) => n.includes('penalty_decision'))!;
    const bytes = fs.readFileSync(path.join(dir, 'documents', pdf));
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 1;
    fs.writeFileSync(path.join(dir, 'documents', pdf), bytes);
    const bad = spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), dir, '--key', key], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('文件内容与清单不符');
    // An edited manifest (a changed fine) breaks the commitment.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'documents', pdf), fs.readFileSync(path.join(dir, 'documents', pdf)).map((b, i, a) => (i === a.length - 10 ? b ^ 1 : b)));
    const ev = manifest.events.find((e: { kind: string; data: { step?: string } }) => e.kind === 'cases.step_performed' && e.data.step === 'penalty_decision');
    ev.data.record.facts.fineAmount = 6000;
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const forged = spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), dir, '--key', key], { encoding: 'utf8' });
    expect(forged.status).toBe(1);
    expect(forged.stdout).toContain('承诺值与内容不符');
    // A different log key: the checkpoint does not verify.
    const other = 'other.example+00000000+' + Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 7)]).toString('base64');
    expect(spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), tar, '--key', other], { encoding: 'utf8' }).status).toBe(1);

    // Exporting the AV record inside the package is logged on the case (R-R06).
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.accessLog.some((a: { action: string; reason: string }) => a.action === 'export' && a.reason.includes('移交档案室'))).toBe(true);
  });
});
