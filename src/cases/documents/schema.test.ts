// Structured forms of the case documents: every type is defined, the samples pass, and the law's
// rules on content are refused with Chinese messages (R-R02, R-R09, R-P08, R-P09, R-R04).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { SAMPLE_ISSUED_ON, sampleFields } from './samples.ts';
import { checkDocumentFields, DOCUMENT_TYPES, DOCUMENTS, documentDefinition, parseDocumentFields, type DocumentType } from './schema.ts';

const CJK = /[\u4e00-\u9fff]/;

function errorsOf(type: DocumentType, fields: unknown, issuedOn?: string) {
  const r = checkDocumentFields(type, fields, { issuedOn: issuedOn ?? SAMPLE_ISSUED_ON[type] });
  if (r.ok) throw new Error(`${type} should have been refused`);
  return r.errors;
}

describe('document definitions', () => {
  it('R-R02: all fifteen standard documents have a Chinese title, fields and a description of their legal content', () => {
    expect(DOCUMENT_TYPES).toHaveLength(15);
    for (const type of DOCUMENT_TYPES) {
      const def = documentDefinition(type);
      expect(def.type).toBe(type);
      expect(def.title).toMatch(CJK);
      expect(def.describe()).toMatch(CJK);
      expect(def.describe().length).toBeGreaterThan(40);
      const specs = def.fieldSpecs();
      expect(specs.length).toBeGreaterThan(1);
      for (const s of specs) expect(s.label).toMatch(CJK);
      expect(specs.some((s) => s.required)).toBe(true);
    }
    expect(DOCUMENTS.penalty_decision.title).toBe('行政处罚决定书');
    expect(DOCUMENTS.seizure_decision.title).toBe('查封（扣押）决定书');
    expect(DOCUMENTS.inspection_record.title).toBe('现场检查（勘验）笔录');
    expect(DOCUMENTS.penalty_decision.kindAbbreviation).toBe('处罚');
  });

  it('lists which fields are required', () => {
    const specs = Object.fromEntries(DOCUMENTS.penalty_decision.fieldSpecs().map((s) => [s.key, s]));
    expect(specs.reasons).toMatchObject({ label: '处罚理由', required: true, kind: 'textarea' });
    expect(specs.remedies).toMatchObject({ required: true, kind: 'remedies' });
    expect(specs.legalReview).toMatchObject({ required: false });
    expect(DOCUMENTS.service_receipt.fieldSpecs().find((s) => s.key === 'method')?.options).toContain('留置送达');
  });

  it('every sample passes its own schema', () => {
    for (const type of DOCUMENT_TYPES) {
      const r = checkDocumentFields(type, sampleFields(type), { issuedOn: SAMPLE_ISSUED_ON[type] });
      expect(r.ok ? [] : r.errors, type).toEqual([]);
    }
  });

  it('refuses an unknown document type in Chinese', () => {
    expect(() => documentDefinition('memo')).toThrow(/未知的文书类型/);
  });
});

describe('refusals', () => {
  it('names every missing required field in Chinese', () => {
    const errors = errorsOf('penalty_decision', {});
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(byField.party).toBe('请填写当事人信息');
    expect(byField.reasons).toBe('请填写处罚理由');
    expect(byField.facts).toBe('请填写违法事实');
    expect(byField.evidence).toBe('请填写证据');
    expect(byField.remedies).toBe('请填写救济途径（行政复议机关和人民法院）');
    for (const e of errors) expect(e.message).toMatch(CJK);
  });

  it('parseDocumentFields throws a validation AppError listing the problems', () => {
    const fields = { ...sampleFields('penalty_decision'), reasons: '   ' };
    try {
      parseDocumentFields('penalty_decision', fields);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('validation');
      expect(e.detail).toMatch(/^行政处罚决定书有 1 处错误：reasons：请填写处罚理由/);
      expect(e.errors).toEqual([{ field: 'reasons', message: '请填写处罚理由' }]);
    }
  });

  it('R-P08: investigation by one officer only is refused', () => {
    const fields = sampleFields('inspection_record');
    fields.inspectors = fields.inspectors.slice(0, 1);
    expect(errorsOf('inspection_record', fields)).toEqual([{ field: 'inspectors', message: '检查人员不得少于两人（行政处罚法第四十二条）' }]);
    const inquiry = sampleFields('inquiry_record');
    inquiry.interviewers = [inquiry.interviewers[0]!, { ...inquiry.interviewers[0]! }];
    expect(errorsOf('inquiry_record', inquiry)[0]!.message).toMatch(/询问人中执法证号 \d+ 重复/);
  });

  it('checks the party: credit code, ID number, legal representative', () => {
    const org = sampleFields('penalty_decision');
    org.party = { ...org.party, idNumber: '91330106MA2H3K7Q4X', legalRepresentative: undefined };
    const errors = errorsOf('penalty_decision', org);
    expect(errors).toContainEqual({ field: 'party.legalRepresentative', message: '单位当事人须填写法定代表人（负责人）' });
    expect(errors.find((e) => e.field === 'party.idNumber')?.message).toMatch(/^统一社会信用代码校验位（第 18 位）应为 Q/);
    const person = sampleFields('no_penalty_decision');
    person.party = { ...person.party, idNumber: '330106198503122310' };
    expect(errorsOf('no_penalty_decision', person)[0]!.message).toMatch(/^身份证号码校验位/);
  });

  it('R-P09: a prior notice of a licence revocation must tell the party of the right to a hearing', () => {
    const fields = sampleFields('prior_notice');
    fields.proposedPenalties = [{ kind: '吊销许可证件', detail: '吊销食品经营许可证（许可证编号：JY13301060012345）' }];
    fields.hearingApplicable = false;
    expect(errorsOf('prior_notice', fields)).toEqual([
      { field: 'hearingApplicable', message: '拟作出吊销许可证件的行政处罚，必须告知当事人有要求听证的权利（行政处罚法第六十三条）' },
    ]);
    // A large fine (over the local threshold) gives the same right.
    const fine = sampleFields('prior_notice');
    fine.hearingApplicable = false;
    expect(errorsOf('prior_notice', fine)[0]!.message).toMatch(/^拟作出较大数额罚款的行政处罚，必须告知当事人有要求听证的权利/);
    // A warning does not.
    const warning = sampleFields('prior_notice');
    warning.proposedPenalties = [{ kind: '警告' }];
    warning.hearingApplicable = false;
    expect(checkDocumentFields('prior_notice', warning).ok).toBe(true);
  });

  it('R-P09: the statement deadline is bounded', () => {
    const fields = { ...sampleFields('prior_notice'), statementDeadlineDays: 1 };
    expect(errorsOf('prior_notice', fields)).toEqual([{ field: 'statementDeadlineDays', message: '陈述、申辩期限（工作日）不得小于 3' }]);
  });

  it('penalties: a fine states its amount; confiscation of property states what', () => {
    const fields = sampleFields('penalty_decision');
    fields.penalties = [{ kind: '罚款' }, { kind: '没收非法财物' }, { kind: '警告', amount: 100 }];
    const errors = errorsOf('penalty_decision', fields);
    expect(errors).toEqual([
      { field: 'penalties.0.amount', message: '罚款须写明金额（元）' },
      { field: 'penalties.1.detail', message: '没收非法财物须写明具体内容（物品、证件、期限或范围）' },
      { field: 'penalties.2.amount', message: '警告不填写金额' },
    ]);
    const kinds = sampleFields('penalty_decision');
    kinds.penalties = [{ kind: '批评教育' as never }];
    expect(errorsOf('penalty_decision', kinds)[0]!.message).toMatch(/^处罚种类应为行政处罚法第九条规定的种类/);
    const cents = sampleFields('penalty_decision');
    cents.penalties = [{ kind: '罚款', amount: 100.005 }];
    expect(errorsOf('penalty_decision', cents)).toEqual([{ field: 'penalties.0.amount', message: '金额最多精确到分' }]);
  });

  it('R-R09: a penalty decision with a fine says how to pay', () => {
    const fields = sampleFields('penalty_decision');
    delete (fields as { payment?: unknown }).payment;
    expect(errorsOf('penalty_decision', fields)).toEqual([{ field: 'payment', message: '处以罚款或者没收违法所得的，须写明缴款方式和期限（行政处罚法第五十九条、第六十七条）' }]);
    const late = sampleFields('penalty_decision');
    late.payment = { ...late.payment!, deadlineDays: 30 };
    expect(errorsOf('penalty_decision', late)).toEqual([{ field: 'payment.deadlineDays', message: '缴款期限（日）不得大于 15' }]);
  });

  it('seizure: at most thirty days; the record needs AV, notice of rights and a witness when the party is absent', () => {
    const d = sampleFields('seizure_decision');
    d.endDate = '2026-11-15';
    expect(errorsOf('seizure_decision', d)).toEqual([
      { field: 'endDate', message: '查封、扣押的期限不得超过三十日（行政强制法第二十五条）；需要延长的，应当另行作出延长决定' },
    ]);
    const noAv = sampleFields('seizure_record');
    delete (noAv as { avRecordRef?: string }).avRecordRef;
    expect(errorsOf('seizure_record', noAv)).toEqual([{ field: 'avRecordRef', message: '查封、扣押应当全程音像记录，请填写音像记录编号（R-R04）' }]);
    // The rules across fields are checked once every field is well-formed.
    const r = sampleFields('seizure_record');
    r.rightsNotified = false;
    r.partyPresent = false;
    expect(errorsOf('seizure_record', r)).toEqual([
      { field: 'rightsNotified', message: '实施行政强制措施应当当场告知当事人采取行政强制措施的理由、依据以及当事人依法享有的权利、救济途径（行政强制法第十八条）' },
      { field: 'witnesses', message: '当事人不到场的，应当邀请见证人到场并在现场笔录上签名（行政强制法第十八条）' },
    ]);
    expect(DOCUMENTS.seizure_record.avMandatory).toBe(true);
  });

  it('hearing notice: at least seven days ahead, public unless a reason is given', () => {
    const fields = sampleFields('hearing_notice');
    fields.hearingAt = '2026-11-10T09:30';
    fields.publicHearing = false;
    expect(errorsOf('hearing_notice', fields, '2026-11-06')).toEqual([
      { field: 'hearingAt', message: '行政机关应当在举行听证的七日前通知当事人（行政处罚法第六十四条），听证日期不得早于 2026-11-13' },
      { field: 'closedReason', message: '听证应当公开举行；不公开举行的，须写明涉及国家秘密、商业秘密或者个人隐私的理由（行政处罚法第六十四条）' },
    ]);
  });

  it('lodged service (留置送达) needs the refusal, a witness or a recording, and two servers', () => {
    const fields = { ...sampleFields('service_receipt'), method: '留置送达' as const, servers: ['张明'] };
    expect(errorsOf('service_receipt', fields).map((e) => e.field)).toEqual(['refusalReason', 'witness', 'servers']);
    const ok = { ...fields, servers: ['张明', '陈静'], refusalReason: '受送达人拒绝签收', avRecordRef: 'AV-2026-1124-001' };
    expect(checkDocumentFields('service_receipt', ok).ok).toBe(true);
  });

  it('dates and times: invalid dates, end before start, closing before filing', () => {
    const rec = { ...sampleFields('inquiry_record'), startAt: '2026-02-30T09:00', endAt: '2026-10-15T13:00' };
    expect(errorsOf('inquiry_record', rec)).toEqual([{ field: 'startAt', message: '询问开始时间不是有效时间' }]);
    const rev = { ...sampleFields('inquiry_record'), endAt: '2026-10-15T13:00' };
    expect(errorsOf('inquiry_record', rev)).toEqual([{ field: 'endAt', message: '结束时间不得早于开始时间' }]);
    const cover = { ...sampleFields('case_file_cover'), closedOn: '2026-10-01' };
    expect(errorsOf('case_file_cover', cover)).toContainEqual({ field: 'closedOn', message: '结案日期不得早于立案日期' });
    const odd = { ...sampleFields('case_file_cover'), retention: '五年' };
    expect(errorsOf('case_file_cover', odd)).toEqual([{ field: 'retention', message: '保管期限应为永久、定期30年、定期10年之一' }]);
  });

  it('length limits and types are reported in Chinese', () => {
    const fields = { ...sampleFields('filing_approval'), cause: '案'.repeat(201), handlers: 'x' };
    const errors = errorsOf('filing_approval', fields);
    expect(errors).toContainEqual({ field: 'cause', message: '案由最多 200 字' });
    expect(errors).toContainEqual({ field: 'handlers', message: '承办人必须是列表' });
  });
});
