// The document forms of the back office: every document's fields as JSON Schema with Chinese titles at
// every level, every document of the procedures structured, and drafts pre-filled from a
// case with only what the case knows, within the case's read scope.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocumentFields, DOCUMENT_TYPES } from '../src/cases/documents/index.ts';
import { prefillFields } from '../src/cases/document-prefill.ts';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

interface Schema {
  type?: string;
  title?: string;
  format?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  'x-kind'?: string;
}

let w: CaseWorld;
let caseId: string;
let caseNumber: string;
const ON = '2026-07-01';

beforeAll(async () => {
  w = await caseWorld();
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
  expect(r.statusCode, r.body).toBe(201);
  ({ id: caseId, number: caseNumber } = r.json() as { id: string; number: string });
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

/** Paths of properties without a title, at any depth. */
function untitled(s: Schema, path = ''): string[] {
  const out = path && !s.title ? [path] : [];
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...untitled(v, path ? `${path}.${k}` : k));
  if (s.items) out.push(...untitled(s.items, `${path}[]`));
  return out;
}

const prefill = (who: keyof CaseWorld['api'], type: string, officers = w.officers.slice(0, 2)) =>
  w.api[who]('GET', `/api/v1/cases/${caseId}/document-prefill?type=${type}&on=${ON}&officerIds=${officers.map((o) => o.id).join(',')}`);

describe('document forms', () => {
  it('describes each of the fifteen documents as JSON Schema with titles on nested fields', async () => {
    for (const type of DOCUMENT_TYPES) {
      const r = await w.api.officer('GET', `/api/v1/document-forms/${type}`);
      expect(r.statusCode, `${type}: ${r.body}`).toBe(200);
      const f = r.json() as { type: string; title: string; structured: boolean; description: string; layout: string; schema: Schema };
      expect(f).toMatchObject({ type, structured: true });
      expect(f.title).toMatch(/\p{Script=Han}/u);
      expect(f.description).toMatch(/\p{Script=Han}/u);
      expect(f.schema.type).toBe('object');
      expect(untitled(f.schema), type).toEqual([]);
    }
    const pd = (await w.api.officer('GET', '/api/v1/document-forms/penalty_decision')).json() as { kindAbbreviation: string; layout: string; schema: Schema };
    expect(pd).toMatchObject({ kindAbbreviation: '处罚', layout: 'letter' });
    const props = pd.schema.properties!;
    expect(props.party!.title).toBe('当事人');
    expect(props.party!.required).toEqual(['type', 'name', 'idNumber', 'address']);
    expect(props.party!.properties!.idNumber!.title).toBe('当事人统一社会信用代码或身份证件号码');
    expect(props.penalties!.items!.properties!.kind!.enum).toContain('罚款');
    expect(props.penalties!.items!.properties!.amount!['x-kind']).toBe('money');
    expect(props.payment!.properties!.deadlineDays).toMatchObject({ type: 'integer', minimum: 1, maximum: 15, default: 15 });
    expect(pd.schema.required).not.toContain('payment');
    expect(pd.schema.required).toContain('remedies');
    const inspection = ((await w.api.officer('GET', '/api/v1/document-forms/inspection_record')).json() as { schema: Schema }).schema.properties!;
    expect(inspection.party!.title).toBe('被检查人');
    expect(inspection.startAt!['x-kind']).toBe('datetime');
    const cover = ((await w.api.officer('GET', '/api/v1/document-forms/case_file_cover')).json() as { schema: Schema }).schema.properties!;
    expect(cover.filedOn).toMatchObject({ type: 'string', format: 'date', title: '立案日期' });
  });

  it('gives every other document of the procedures a structured form of its own (R-R02)', async () => {
    const r = await w.api.officer('GET', '/api/v1/document-forms/investigation_report');
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json() as { title: string; structured: boolean; layout: string; kindAbbreviation: string | null; schema: Schema };
    expect(f).toMatchObject({ title: '案件调查终结报告', structured: true, layout: 'form', kindAbbreviation: null });
    expect(f.schema.properties!.party!.title).toBe('当事人');
    expect(f.schema.required).toEqual(expect.arrayContaining(['facts', 'evidence', 'violatedProvisions', 'penaltyBasis', 'proposal', 'investigators']));
    expect(untitled(f.schema)).toEqual([]);
    const letter = (await w.api.officer('GET', '/api/v1/document-forms/rectification_order')).json();
    expect(letter).toMatchObject({ title: '责令改正通知书', structured: true, layout: 'letter', kindAbbreviation: '责改', onSite: true });
    expect(letter.schema.required).toEqual(expect.arrayContaining(['party', 'facts', 'legalBasis', 'requirement', 'deadline', 'remedies', 'reasonsTold', 'rightsTold']));
  });

  it('answers an unknown document type with 404 problem+json', async () => {
    const body = expectProblem(await w.api.officer('GET', '/api/v1/document-forms/no_such_document'), 404);
    expect(body.detail).toContain('未知的文书类型');
  });
});

describe('document prefill', () => {
  it('fills the 案号, 案由, party, officers and dates from the case', async () => {
    const [a, b] = w.officers;
    const officers = [a!, b!].map((o) => ({ name: o.name, certificateNumber: o.certificateNumber }));
    const r = await prefill('officer', 'filing_approval');
    expect(r.statusCode, r.body).toBe(200);
    const { fields } = r.json() as { fields: Record<string, unknown> };
    expect(fields).toEqual({
      clueReceivedOn: ON,
      cause: '涉嫌经营超过保质期的食品案',
      party: { type: 'organization', name: PARTY.name, idType: 'credit_code', idNumber: PARTY.idNumber, address: PARTY.address },
      handlers: officers,
      approvedOn: ON,
    });
    const insp = ((await prefill('officer', 'inspection_record')).json() as { fields: Record<string, unknown> }).fields;
    expect(insp).toMatchObject({ caseNumber, inspectors: officers, party: { name: PARTY.name } });
    // No sample wording: what the case does not know stays empty.
    expect(Object.keys(insp).sort()).toEqual(['caseNumber', 'inspectors', 'party']);
    const report = ((await prefill('officer', 'investigation_report')).json() as { fields: Record<string, unknown> }).fields;
    expect(report).toMatchObject({ caseNumber, cause: '涉嫌经营超过保质期的食品案', party: { name: PARTY.name }, investigators: officers });
  });

  it('keeps the party’s ID number from a supervisor and the case from another agency', async () => {
    const sup = await prefill('citySupervisor', 'penalty_decision');
    expect(sup.statusCode, sup.body).toBe(200);
    expect((sup.json() as { fields: { party: object } }).fields.party).toEqual({ type: 'organization', name: PARTY.name, idType: 'credit_code' });
    expectProblem(await prefill('otherOfficer', 'penalty_decision'), 404);
  });

  it('refuses officers of no agency and types the procedure does not know', async () => {
    const bad = await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=penalty_decision&on=${ON}&officerIds=${crypto.randomUUID()}`);
    expectProblem(bad, 400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('officerIds.0');
    expectProblem(await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=no_such_document&on=${ON}`), 400);
  });

  it('takes fine amounts from the case facts', () => {
    const c = { number: 'X', title: 'T', party: { ...PARTY }, officers: [], facts: { fineAmount: 20000, proposedFine: 30000 }, served: [{ title: '行政处罚决定书', number: '演示市监处罚〔2026〕1号' }] };
    expect(prefillFields('penalty_decision', ON, c).penalties).toEqual([{ kind: '罚款', amount: 20000 }]);
    expect(prefillFields('prior_notice', ON, c).proposedPenalties).toEqual([{ kind: '罚款', amount: 30000 }]);
    expect(prefillFields('service_receipt', ON, c)).toEqual({ caseNumber: 'X', documents: [{ title: '行政处罚决定书', number: '演示市监处罚〔2026〕1号' }], recipient: PARTY.name });
    expect(prefillFields('penalty_decision', ON, { ...c, facts: {} }).penalties).toBeUndefined();
  });

  it('completes a prefilled penalty decision into a valid draft', async () => {
    const { fields } = (await prefill('officer', 'penalty_decision')).json() as { fields: Record<string, Record<string, unknown>> };
    const completed = {
      ...fields,
      party: { ...fields.party, legalRepresentative: '王某某' },
      caseHistory: '2026年7月1日立案调查，依法告知，当事人未提出陈述申辩。',
      facts: '当事人经营超过保质期的食品。',
      evidence: ['现场检查笔录', '询问笔录'],
      partyStatement: '当事人在法定期限内未提出陈述、申辩，也未要求听证。',
      statementResponse: '无。',
      reasons: '上述行为违反食品安全法的规定。',
      violatedProvisions: '《中华人民共和国食品安全法》第三十四条第十项',
      penaltyBasis: '《中华人民共和国食品安全法》第一百二十四条第一款第五项',
      discretion: '一般情节。',
      penalties: [{ kind: '罚款', amount: 50000 }],
      payment: { method: '到指定银行缴纳' },
      remedies: { reviewBody: '演示市人民政府', court: '演示市西湖区人民法院' },
    };
    const check = checkDocumentFields('penalty_decision', completed, { issuedOn: ON });
    expect(check.ok, JSON.stringify(check)).toBe(true);
    const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type: 'penalty_decision', fields: completed });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ type: 'penalty_decision', status: 'draft', fields: { party: { name: PARTY.name } } });
  });
});

describe('documents written with a step', () => {
  it('names the document of a field error, and later prefills reuse the legal representative written once', async () => {
    const officerIds = w.officers.slice(0, 2).map((o) => o.id);
    const intake = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'intake', on: ON, officerIds, documents: docs(['case_source_record'], ON, caseInfo({ number: caseNumber, title: '涉嫌经营超过保质期的食品案' }, w.officers.slice(0, 2))) });
    expect(intake.statusCode, intake.body).toBe(201);
    expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: 'filing', on: ON, opinion: '同意。' })).statusCode).toBe(201);
    const prefill = (await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=filing_approval&on=${ON}&officerIds=${officerIds.join(',')}`)).json().fields;
    expect(prefill.party.legalRepresentative).toBeUndefined();
    const fields = { ...prefill, caseSource: '投诉举报', summary: '当事人涉嫌经营超过保质期的食品。', filingReason: '符合立案条件。', handlerOpinion: '建议立案。' };
    // The organisation's legal representative is missing: the error names documents.0.fields.party…
    const refused = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'filing', on: ON, officerIds, documents: [{ type: 'filing_approval', fields }] });
    const body = expectProblem(refused, 400);
    expect((body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('documents.0.fields.party.legalRepresentative');
    const filed = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'filing', on: ON, officerIds, documents: [{ type: 'filing_approval', fields: { ...fields, party: { ...fields.party, legalRepresentative: '王某某' } } }] });
    expect(filed.statusCode, filed.body).toBe(201);
    const next = (await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=inspection_record&on=${ON}&officerIds=${officerIds.join(',')}`)).json().fields;
    expect(next.party.legalRepresentative).toBe('王某某');
  });
});
