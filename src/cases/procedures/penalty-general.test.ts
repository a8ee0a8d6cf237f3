// 行政处罚普通程序 end to end, and each refusal the issue asks for (R-P08, R-L01, R-R01, R-R04, R-P09).
import { describe, expect, it } from 'vitest';
import { availableSteps, clockStatus, getDefinition, initialState, ProcedureStateSchema, refusalError, setFacts, type ProcedureState } from './index.ts';
import { attempt, check, codes, ctx, LI, MATTER, officer, run, WANG, ZHANG } from './test-helpers.ts';
import { libraryCalendar } from '../../platform/calendar/calendar.ts';

const def = getDefinition('penalty-general');
const start = (facts: Record<string, boolean | number | string> = {}) => initialState(def, { matter: MATTER, facts: { majorDecision: false, ...facts } });

/** 立案 and investigation, up to the prior notice of a fine of 50,000 yuan that qualifies for a hearing. */
function notified(facts: Record<string, boolean | number | string> = {}): ProcedureState {
  let s = start(facts);
  s = run(def, s, 'intake', '2026-09-01', { facts: { partyType: 'legal_person' } });
  s = run(def, s, 'filing', '2026-09-01');
  s = run(def, s, 'inspection', '2026-09-02');
  s = run(def, s, 'inquiry', '2026-09-03');
  s = run(def, s, 'investigation_report', '2026-09-10', { facts: { proposedOutcome: 'penalty', hearingEligible: true, collectiveDiscussionRequired: false } });
  return run(def, s, 'prior_notice', '2026-09-14', { facts: { proposedFine: 50000, hearingEligible: true } });
}

describe('general procedure walk (R-R01: every stage leaves its record)', () => {
  it('goes from 立案 to 归档 through a hearing, across the National Day holidays, with the right documents', () => {
    let s = notified();
    // 第六十四条 + 第八十五条: 5 working days after 2026-09-14; Sunday 09-20 is a 调休 working day.
    expect(clockStatus(def, s, '2026-09-14', libraryCalendar).find((c) => c.key === 'hearing_request_window')?.deadline).toBe('2026-09-20');
    s = run(def, s, 'hearing_request', '2026-09-16');
    s = run(def, s, 'hearing_notice', '2026-09-17');
    // 7 working days before the hearing: 中秋 (09-25..27) is skipped.
    expect(clockStatus(def, s, '2026-09-17', libraryCalendar).find((c) => c.key === 'hearing_notice_period')?.deadline).toBe('2026-09-28');
    s = run(def, s, 'hearing', '2026-09-28', { officers: [ZHANG, LI, WANG], presidedBy: WANG.id });
    // R-L01/R-L04: after a hearing the decision needs a passed review even though the case is not "major".
    expect(check(def, s, 'legal_review', '2026-09-29', { facts: { reviewPassed: true } }).ok).toBe(true);
    s = run(def, s, 'legal_review', '2026-09-29', { facts: { reviewPassed: true } });
    s = run(def, s, 'penalty_decision', '2026-09-30', { facts: { fineAmount: 50000, partyPresent: false } });
    // 第六十一条: 7 working days; 10-01..07 are holidays, Saturday 10-10 is a working day.
    const service = clockStatus(def, s, '2026-09-30', libraryCalendar).find((c) => c.key === 'service_limit')!;
    expect(service).toMatchObject({ deadline: '2026-10-15', status: 'running', warn: false, overdue: false });
    expect(clockStatus(def, s, '2026-10-14', libraryCalendar).find((c) => c.key === 'service_limit')).toMatchObject({ remaining: 1, warn: true });
    s = run(def, s, 'service', '2026-10-09');
    // 第六十六条: 15 calendar days from service; 10-24 is a Saturday, so the last day is Monday 10-26.
    expect(clockStatus(def, s, '2026-10-09', libraryCalendar).find((c) => c.key === 'payment_period')?.deadline).toBe('2026-10-26');
    s = run(def, s, 'publication', '2026-10-09');
    s = run(def, s, 'performance', '2026-10-20');
    s = run(def, s, 'closing', '2026-10-21');
    s = run(def, s, 'archive', '2026-10-22');

    expect(s.finished).toBe(true);
    expect(availableSteps(def, s, ctx()).steps).toEqual([]);
    expect(s.steps.map((r) => r.step)).toEqual([
      'intake', 'filing', 'inspection', 'inquiry', 'investigation_report', 'prior_notice', 'hearing_request', 'hearing_notice',
      'hearing', 'legal_review', 'penalty_decision', 'service', 'publication', 'performance', 'closing', 'archive',
    ]);
    expect(s.documents.map((d) => d.type)).toEqual([
      'case_source_record', 'filing_approval', 'inspection_record', 'inquiry_record', 'investigation_report', 'prior_notice',
      'hearing_application', 'hearing_notice', 'hearing_record', 'hearing_report', 'review_opinion', 'penalty_decision',
      'service_receipt', 'publication_record', 'execution_record', 'closing_approval',
    ]);
    const clocks = clockStatus(def, s, '2026-10-22', libraryCalendar);
    expect(clocks.every((c) => c.status === 'stopped' || c.kind === 'period')).toBe(true);
    expect(clocks.find((c) => c.key === 'decision_limit')).toMatchObject({ status: 'stopped', stoppedLate: false });
    // The state is plain JSON and reads back through its schema (the lead stores it in jsonb).
    expect(ProcedureStateSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('goes without a hearing when the party lets the five working days pass, and offers only what the facts allow', () => {
    let s = notified();
    const offered = availableSteps(def, s, ctx('2026-09-15')).steps;
    expect(offered.map((x) => x.key)).toEqual(['hearing_request', 'penalty_decision', 'statement_defence', 'waive_hearing']);
    expect(offered.find((x) => x.key === 'penalty_decision')!.blockers.map((b) => b.code)).toContain('too_early');
    expect(offered.find((x) => x.key === 'penalty_decision')!.requires).toEqual([{ type: 'prior_notice', name: '行政处罚事先告知书', present: true }]);
    s = run(def, s, 'statement_defence', '2026-09-15');
    s = run(def, s, 'penalty_decision', '2026-09-21', { facts: { fineAmount: 40000, partyPresent: true } });
    // Party present: delivered on the spot, no service clock (第六十一条).
    expect(s.clocks.some((c) => c.key === 'service_limit')).toBe(false);
    expect(s.clocks.find((c) => c.key === 'decision_limit')).toMatchObject({ status: 'stopped' });
  });

  it('lets the party waive the hearing, which ends the wait', () => {
    let s = notified();
    s = run(def, s, 'waive_hearing', '2026-09-15');
    expect(run(def, s, 'penalty_decision', '2026-09-15', { facts: { fineAmount: 50000, partyPresent: true } }).cursor).toBe('penalty_decision');
  });

  it('counts the 90 days of 第六十条 from 立案 and carries a last day in the National Day holidays to 10-08', () => {
    let s = start();
    s = run(def, s, 'intake', '2026-07-05', { facts: { partyType: 'citizen' } });
    s = run(def, s, 'filing', '2026-07-05');
    const at = (d: string) => clockStatus(def, s, d, libraryCalendar).find((c) => c.key === 'decision_limit')!;
    expect(at('2026-07-05')).toMatchObject({ deadline: '2026-10-08', warn: false, overdue: false, remaining: 95 });
    expect(at('2026-09-25')).toMatchObject({ warn: true, overdue: false, remaining: 13 });
    expect(at('2026-10-09')).toMatchObject({ warn: false, overdue: true, passed: true, remaining: -1 });
  });
});

describe('refusals', () => {
  const filed = () => run(def, run(def, start(), 'intake', '2026-09-01', { facts: { partyType: 'citizen' } }), 'filing', '2026-09-01');

  it('R-P08: one officer alone cannot inspect', () => {
    const r = attempt(def, filed(), 'inspection', '2026-09-02', { officers: [ZHANG] });
    expect(codes(r)).toEqual(['officers_insufficient']);
    expect(!r.ok && r.refusals[0]!.reason).toBe('现场执法须由两名以上持有效执法证的执法人员进行（本次1名）');
  });

  it('R-P08: an expired, suspended or revoked certificate is refused with the officer named', () => {
    const expired = officer('o9', '陈静', { validTo: '2026-08-31' });
    const r = attempt(def, filed(), 'inquiry', '2026-09-02', { officers: [ZHANG, expired] });
    expect(codes(r)).toEqual(['certificate_invalid']);
    expect(!r.ok && r.refusals[0]).toMatchObject({ officerId: 'o9', reason: `执法人员陈静的执法证（${expired.certificate.number}）已于 2026-08-31 过期` });
    expect(codes(attempt(def, filed(), 'inquiry', '2026-09-02', { officers: [ZHANG, officer('o8', '周', { status: 'suspended' })] }))).toEqual(['certificate_invalid']);
    expect(codes(attempt(def, filed(), 'inquiry', '2026-09-02', { officers: [ZHANG, officer('o8', '周', { validFrom: '2026-10-01' })] }))).toEqual(['certificate_invalid']);
  });

  it('R-P08: a certificate must cover the matter’s category and area', () => {
    const eco = officer('o7', '刘洋', { categories: ['生态环境'] });
    const r = attempt(def, filed(), 'inspection', '2026-09-02', { officers: [ZHANG, eco] });
    expect(codes(r)).toEqual(['certificate_out_of_scope']);
    expect(!r.ok && r.refusals[0]!.reason).toContain('执法类别为“生态环境”，不包括本案的“市场监管”');
    const ningbo = officer('o6', '吴', { areas: ['330200'] });
    expect(codes(attempt(def, filed(), 'inspection', '2026-09-02', { officers: [ZHANG, ningbo] }))).toEqual(['certificate_out_of_scope']);
    // A province-wide certificate covers every county in it; names cover by prefix.
    expect(attempt(def, filed(), 'inspection', '2026-09-02', { officers: [ZHANG, officer('o5', '钱', { areas: ['330000'] })] }).ok).toBe(true);
    const named = initialState(def, { matter: { category: '市场监管', area: '杭州市西湖区' }, facts: { majorDecision: false } });
    const byName = [officer('a', '甲', { areas: ['杭州市'] }), officer('b', '乙', { areas: ['杭州市西湖区'] })];
    const s = run(def, run(def, named, 'intake', '2026-09-01', { facts: { partyType: 'citizen' }, officers: byName }), 'filing', '2026-09-01', { officers: byName });
    expect(attempt(def, s, 'inspection', '2026-09-02', { officers: byName }).ok).toBe(true);
    expect(codes(attempt(def, s, 'inspection', '2026-09-02', { officers: [byName[0]!, officer('c', '丙', { areas: ['杭州市上城区'] })] }))).toEqual(['certificate_out_of_scope']);
  });

  it('R-P09 / 第六十二条: no penalty decision without the prior notice (document_missing)', () => {
    // A major case proposed for no penalty is reviewed; someone then turns the outcome into a penalty
    // without notifying the party. The transitions would offer the decision; the document rule refuses it.
    let s = (setFacts(def, filed(), { majorDecision: true }) as { state: ProcedureState }).state;
    s = run(def, s, 'investigation_report', '2026-09-10', { facts: { proposedOutcome: 'no_penalty', collectiveDiscussionRequired: false } });
    s = run(def, s, 'legal_review', '2026-09-11', { facts: { reviewPassed: true } });
    s = (setFacts(def, s, { proposedOutcome: 'penalty' }) as { state: ProcedureState }).state;
    const r = attempt(def, s, 'penalty_decision', '2026-09-12', { facts: { fineAmount: 100, partyPresent: true } });
    // No notice also means no notified fine to compare with (第四十五条).
    expect(codes(r)).toEqual(['document_missing', 'fact_missing']);
    expect(!r.ok && r.refusals.find((x) => x.code === 'document_missing')!.reason).toBe('缺少行政处罚事先告知书，不能办理「作出行政处罚决定」');
  });

  it('R-L01: a major decision is refused without a passed review, and when the review did not pass', () => {
    // Catalog says major after the notice: the decision is no longer offered directly and is refused.
    let s = notified();
    s = run(def, s, 'waive_hearing', '2026-09-15');
    s = (setFacts(def, s, { majorDecision: true }) as { state: ProcedureState }).state;
    const r = attempt(def, s, 'penalty_decision', '2026-09-16', { facts: { fineAmount: 50000, partyPresent: true } });
    expect(codes(r)).toEqual(['step_not_available', 'review_required']);
    expect(!r.ok && r.refusals[1]!.reason).toBe('重大执法决定未经法制审核或审核未通过，不得作出决定（属于重大执法决定，或当事人申请听证）');
    // Review not passed: back for correction, never on to the decision.
    s = run(def, s, 'legal_review', '2026-09-16', { facts: { reviewPassed: false } });
    expect(availableSteps(def, s).steps.map((x) => x.key)).toEqual(['review_resubmission', 'supplementary_investigation']);
    expect(codes(attempt(def, s, 'penalty_decision', '2026-09-17', { facts: { fineAmount: 50000, partyPresent: true } }))).toContain('review_required');
    // The head's approval (co-signature) does not replace the review; nor can the decision step claim it.
    expect(codes(attempt(def, s, 'penalty_decision', '2026-09-17', { facts: { fineAmount: 50000, partyPresent: true, reviewPassed: true } }))).toContain('fact_not_settable');
    s = run(def, s, 'review_resubmission', '2026-09-18');
    s = run(def, s, 'legal_review', '2026-09-21', { facts: { reviewPassed: true } });
    expect(run(def, s, 'penalty_decision', '2026-09-22', { facts: { fineAmount: 50000, partyPresent: true } }).cursor).toBe('penalty_decision');
  });

  it('R-L01: an undecided catalog answer refuses the decision too', () => {
    let s = initialState(def, { matter: MATTER });
    s = run(def, s, 'intake', '2026-09-01', { facts: { partyType: 'citizen' } });
    s = run(def, s, 'filing', '2026-09-01');
    s = run(def, s, 'investigation_report', '2026-09-02', { facts: { proposedOutcome: 'penalty', collectiveDiscussionRequired: false } });
    s = run(def, s, 'prior_notice', '2026-09-03', { facts: { proposedFine: 100, hearingEligible: false } });
    const a = availableSteps(def, s);
    expect(a.steps.map((x) => x.key)).toEqual(['statement_defence']);
    expect(a.pendingFacts.map((f) => f.key)).toEqual(['majorDecision']);
  });

  it('第六十四条: a hearing request after five working days is refused (deadline_passed); a decision before then too (too_early)', () => {
    const s = notified();
    const late = attempt(def, s, 'hearing_request', '2026-09-21');
    expect(codes(late)).toEqual(['deadline_passed']);
    expect(!late.ok && late.refusals[0]!.reason).toBe('已超过申请听证期限（5个工作日，至 2026-09-20 届满），不能再办理「受理听证申请」');
    const early = attempt(def, s, 'penalty_decision', '2026-09-20', { facts: { fineAmount: 50000, partyPresent: true } });
    expect(codes(early)).toEqual(['too_early']);
  });

  it('第四十五条: not heavier than notified', () => {
    const s = notified();
    expect(codes(attempt(def, s, 'penalty_decision', '2026-09-21', { facts: { fineAmount: 60000, partyPresent: true } }))).toEqual(['heavier_than_notified']);
  });

  it('第六十四条: the hearing is not presided by an investigator, and not before seven working days', () => {
    let s = notified();
    s = run(def, s, 'hearing_request', '2026-09-16');
    s = run(def, s, 'hearing_notice', '2026-09-17');
    expect(codes(attempt(def, s, 'hearing', '2026-09-28', { presidedBy: ZHANG.id }))).toEqual(['presider_conflict']);
    expect(codes(attempt(def, s, 'hearing', '2026-09-28'))).toEqual(['presider_required']);
    expect(codes(attempt(def, s, 'hearing', '2026-09-24', { presidedBy: WANG.id }))).toEqual(['too_early']);
  });

  it('roles, approvals, dates, availability, outputs and definition version', () => {
    const s0 = run(def, start(), 'intake', '2026-09-01', { facts: { partyType: 'citizen' } });
    expect(codes(attempt(def, s0, 'filing', '2026-09-01', { approval: undefined }))).toEqual(['approval_required']);
    expect(codes(attempt(def, s0, 'filing', '2026-09-01', { approval: { by: 'x', role: 'officer', on: '2026-09-01' } }))).toEqual(['approval_required']);
    expect(codes(attempt(def, s0, 'filing', '2026-09-01', { actor: { id: 'r', role: 'reviewer' } }))).toEqual(['role_not_allowed']);
    expect(codes(attempt(def, s0, 'filing', '2026-08-31'))).toEqual(['date_invalid']);
    expect(codes(attempt(def, s0, 'filing', '2026-09-02', {}, ctx('2026-09-01')))).toEqual(['date_invalid']);
    expect(codes(attempt(def, s0, 'penalty_decision', '2026-09-02'))).toContain('step_not_available');
    expect(codes(attempt(def, s0, 'no_such_step', '2026-09-02'))).toEqual(['step_unknown']);
    expect(codes(attempt(def, s0, 'filing', '2026-09-01', { documents: [] }))).toEqual(['output_missing']);
    const other = { ...s0, definition: { id: def.id, version: 99 } };
    expect(codes(attempt(def, other, 'filing', '2026-09-01'))).toEqual(['definition_mismatch']);
    // Only a role error maps to 403; everything else is a 409 with the list.
    const err = refusalError([{ code: 'role_not_allowed', reason: 'x' }]);
    expect(err.status).toBe(403);
    expect(refusalError([{ code: 'document_missing', reason: '缺少行政处罚事先告知书' }]).toProblem()).toMatchObject({ status: 409, detail: '缺少行政处罚事先告知书', refusals: [{ code: 'document_missing' }] });
  });

  it('先行登记保存: seven working days, and no report of the investigation while one is open', () => {
    let s = filed();
    s = run(def, s, 'evidence_preservation', '2026-09-29');
    // 10-01..07 holidays, Saturday 10-10 a working day: 09-30, 10-08, 10-09, 10-10, 10-12, 10-13, 10-14.
    expect(clockStatus(def, s, '2026-09-29', libraryCalendar)[0]).toMatchObject({ key: 'decision_limit' });
    expect(clockStatus(def, s, '2026-09-29', libraryCalendar).find((c) => c.key === 'preservation_period')?.deadline).toBe('2026-10-14');
    expect(codes(attempt(def, s, 'investigation_report', '2026-10-08', { facts: { proposedOutcome: 'penalty' } }))).toEqual(['clock_running']);
    const late = attempt(def, s, 'preservation_disposal', '2026-10-15');
    expect(late.ok && late.warnings.map((w) => w.code)).toEqual(['deadline_passed']);
    expect(late.ok && late.clockChanges).toEqual([{ clock: 'preservation_period', name: '先行登记保存处理期限', action: 'stopped', on: '2026-10-15', deadline: '2026-10-14', provisional: false, late: true }]);
  });

  it('applyStep never changes the state it is given', () => {
    const s = notified();
    const before = JSON.stringify(s);
    run(def, s, 'hearing_request', '2026-09-16');
    expect(JSON.stringify(s)).toBe(before);
  });
});
