// R-R05: what the law keeps is append-only in the database itself, not only in the services. Each
// table gets at least one row through the API (a seizure with its AV record, an extension, a viewing,
// a disclosure and its decision, a legal review and its opinion, published rule sets), then UPDATE,
// DELETE and TRUNCATE in raw SQL must be refused by the table's trigger (refuse_change()).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { REVIEW_POINTS } from '../src/cases/schema.ts';
import { addAvRecord, caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;

async function ok(r: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 201) {
  const res = await r;
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as { id: string };
}

beforeAll(async () => {
  w = await caseWorld();
  const two = w.officers.slice(0, 2).map((o) => o.id);

  // A seizure with its video, the limit extended, the video viewed and given to a court.
  const s = await ok(w.api.officer('POST', '/api/v1/cases', { procedureId: 'coercion-seizure', title: '只追加测试：扣押', matter: MATTER, party: PARTY }));
  const sInfo = caseInfo(s as never, w.officers);
  const sStep = (body: Record<string, unknown>) => ok(w.api.officer('POST', `/api/v1/cases/${s.id}/steps`, { officerIds: two, ...body }));
  await sStep({ step: 'measure_proposal', on: '2026-11-02', facts: { emergency: false, measureKind: 'detention' }, documents: docs(['coercion_approval'], '2026-11-02', sInfo) });
  await ok(w.api.head('POST', `/api/v1/cases/${s.id}/approvals`, { purpose: 'step', step: 'seizure', on: '2026-11-02', opinion: '同意' }));
  const video = await addAvRecord(w, s.id, 'seizure', '2026-11-02');
  await sStep({ step: 'seizure', on: '2026-11-02', documents: docs(['seizure_decision', 'seizure_list', 'seizure_record'], '2026-11-02', sInfo) });
  await ok(w.api.head('POST', `/api/v1/cases/${s.id}/approvals`, { purpose: 'extension', clock: 'seizure_limit', days: 30, on: '2026-11-20', opinion: '同意延长三十日' }));
  const d = await ok(w.api.officer('POST', `/api/v1/cases/${s.id}/documents`, { type: 'seizure_extension_decision', fields: docs(['seizure_extension_decision'], '2026-11-20', sInfo)[0]!.fields }));
  await ok(w.api.officer('POST', `/api/v1/cases/${s.id}/documents/${d.id}/finalise`, { issuedOn: '2026-11-20' }), 200);
  await ok(w.api.officer('POST', `/api/v1/cases/${s.id}/extensions`, { clock: 'seizure_limit', days: 30, on: '2026-11-20', reason: '案情复杂', documentId: d.id }));
  expect((await w.api.officer('GET', `/api/v1/cases/${s.id}/records/${video.id}/content?reason=${encodeURIComponent('复核')}`)).statusCode).toBe(200);
  const disclosure = await ok(w.api.officer('POST', `/api/v1/cases/${s.id}/disclosures`, { recordIds: [video.id], recipient: '演示市西湖区人民法院', purpose: '行政诉讼举证' }));
  await ok(w.api.head('POST', `/api/v1/cases/${s.id}/disclosures/${disclosure.id}/decision`, { approved: true, opinion: '同意提供', validUntil: '2026-12-31' }), 200);

  // A penalty case proposed for transfer, reviewed by the legal reviewer.
  const p = await ok(w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '只追加测试：审核', matter: MATTER, party: PARTY, profile: { flags: ['complex_relations'] } }));
  const pInfo = caseInfo(p as never, w.officers);
  const pStep = (body: Record<string, unknown>) => ok(w.api.officer('POST', `/api/v1/cases/${p.id}/steps`, { officerIds: two, ...body }));
  await pStep({ step: 'intake', on: '2026-09-01', documents: docs(['case_source_record'], '2026-09-01', pInfo) });
  await ok(w.api.head('POST', `/api/v1/cases/${p.id}/approvals`, { purpose: 'step', step: 'filing', on: '2026-09-01', opinion: '同意立案' }));
  await pStep({ step: 'filing', on: '2026-09-01', documents: docs(['filing_approval'], '2026-09-01', pInfo) });
  await pStep({ step: 'investigation_report', on: '2026-09-07', facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false }, documents: docs(['investigation_report'], '2026-09-07', pInfo) });
  const materials = ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'].map((kind) => ({ kind, note: '见案卷' }));
  const review = await ok(w.api.officer('POST', `/api/v1/cases/${p.id}/reviews`, { on: '2026-09-08', summary: '案情', proposedDecision: '移送公安机关', materials, declaration: true }));
  const checklist = Object.fromEntries(REVIEW_POINTS.map((k) => [k, { ok: true, note: '' }]));
  await ok(w.api.reviewer('POST', `/api/v1/cases/${p.id}/reviews/${review.id}/opinion`, { on: '2026-09-09', result: 'passed', checklist, opinion: '同意移送。' }));

  // The agency's published rules.
  const agencyId = w.ids.get('city_scjg');
  const avRules = (await w.api.admin('GET', `/api/v1/av-rule-sets?agencyId=${agencyId}`)).json() as { defaults: Record<string, object> };
  await ok(w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: { inquiry: { ...avRules.defaults.inquiry, requirement: 'mandatory', forms: ['video'] } } }));
  const catalog = (await w.api.admin('GET', `/api/v1/major-decision-catalogs?agencyId=${agencyId}`)).json() as { defaults: object[] };
  await ok(w.api.admin('POST', '/api/v1/major-decision-catalogs', { agencyId, effectiveFrom: '2026-11-01', entries: catalog.defaults }));
  await ok(w.api.admin('POST', '/api/v1/procedure-adaptations', { agencyId, baseId: 'penalty-general', minOnSiteOfficers: 3 }));
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

const TABLES: [table: string, column: string][] = [
  ['record_access_log', 'reason'],
  ['record_disclosures', 'recipient'],
  ['record_disclosure_decisions', 'opinion'],
  ['case_approvals', 'opinion'],
  ['case_extensions', 'reason'],
  ['legal_reviews', 'summary'],
  ['legal_review_opinions', 'opinion'],
  ['av_rule_sets', 'note'],
  ['major_decision_catalogs', 'note'],
  ['procedure_adaptations', 'base_id'],
  ['case_records', 'title'],
  ['case_step_records', 'seq'],
  ['case_steps', 'step'],
  ['events', 'kind'],
  ['audit_log', 'action'],
];

describe('R-R05: append-only tables refuse change in the database itself', () => {
  for (const [table, column] of TABLES) {
    it(`R-R05: ${table} refuses UPDATE, DELETE and TRUNCATE`, async () => {
      const db = w.app.ctx.db;
      const before = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      // A row-level trigger fires only on rows: the table must hold some for the refusal to be real.
      expect(before).toBeGreaterThan(0);
      await expect(db.query(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(`表 ${table} 只允许追加，拒绝 UPDATE`);
      await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(`表 ${table} 只允许追加，拒绝 DELETE`);
      // CASCADE, so that a foreign key pointing at the table cannot be what refuses it; the named table's trigger fires first.
      await expect(db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(`表 ${table} 只允许追加，拒绝 TRUNCATE`);
      expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n).toBe(before);
    });
  }
});
