// 简易程序: the amount limits of 行政处罚法第五十一条 and the on-the-spot collection rules of 第六十八条至第七十一条.
import { describe, expect, it } from 'vitest';
import { libraryCalendar } from '../../platform/calendar/calendar.ts';
import { clockStatus, getDefinition, initialState, type FactValue, type ProcedureState } from './index.ts';
import { attempt, codes, MATTER, run, ZHANG } from './test-helpers.ts';

const def = getDefinition('penalty-summary');

function told(facts: Record<string, FactValue>): ProcedureState {
  return run(def, initialState(def, { matter: MATTER }), 'onsite_notice', '2026-09-30', { facts: { factsConfirmed: true, ...facts } });
}
const decide = (s: ProcedureState) => attempt(def, s, 'onsite_decision', '2026-09-30');

describe('art. 51 limits (summary_limit_exceeded)', () => {
  it.each([
    ['citizen', 'fine', 200, true],
    ['citizen', 'fine', 201, false],
    ['citizen', 'warning_and_fine', 200, true],
    ['legal_person', 'fine', 3000, true],
    ['legal_person', 'fine', 3000.01, false],
    ['other_org', 'fine', 3001, false],
    ['citizen', 'warning', 0, true],
    ['legal_person', 'other', 0, false],
  ] as const)('%s %s %d yuan → allowed: %s', (partyType, penaltyKind, fineAmount, allowed) => {
    const r = decide(told({ partyType, penaltyKind, fineAmount }));
    expect(r.ok).toBe(allowed);
    if (!allowed) expect(codes(r)).toEqual(['summary_limit_exceeded']);
  });

  it('gives the reason in Chinese, with the article', () => {
    const r = decide(told({ partyType: 'citizen', penaltyKind: 'fine', fineAmount: 500 }));
    expect(!r.ok && r.refusals[0]).toMatchObject({
      code: 'summary_limit_exceeded',
      reason: '超出简易程序适用范围：当场处罚仅限警告，或者对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款，应当适用普通程序',
      basis: '《中华人民共和国行政处罚法》（2021年修订）第五十一条',
    });
  });

  it('checks the amount decided, not only the one told', () => {
    const s = told({ partyType: 'citizen', penaltyKind: 'fine', fineAmount: 100 });
    expect(codes(attempt(def, s, 'onsite_decision', '2026-09-30', { facts: { fineAmount: 250 } }))).toEqual(['summary_limit_exceeded']);
  });

  it('needs facts that are established and a legal basis, and two officers (R-P08)', () => {
    expect(codes(decide(told({ partyType: 'citizen', penaltyKind: 'warning', factsConfirmed: false })))).toEqual(['facts_not_confirmed']);
    expect(codes(attempt(def, initialState(def, { matter: MATTER }), 'onsite_notice', '2026-09-30', { officers: [ZHANG], facts: { partyType: 'citizen', penaltyKind: 'warning', factsConfirmed: true } }))).toEqual([
      'officers_insufficient',
    ]);
  });
});

describe('on-the-spot collection', () => {
  it('refuses 150 yuan unless it would be hard to enforce later (第六十八条)', () => {
    let s = told({ partyType: 'legal_person', penaltyKind: 'fine', fineAmount: 150 });
    s = run(def, s, 'onsite_decision', '2026-09-30');
    expect(codes(attempt(def, s, 'onsite_collection', '2026-09-30'))).toEqual(['onsite_collection_not_allowed']);
    expect(attempt(def, s, 'onsite_collection', '2026-09-30', { facts: { hardToEnforceLater: true } }).ok).toBe(true);
  });

  it('hands money in within two working days, across the National Day holidays (第七十一条、第八十五条), and walks to the archive', () => {
    let s = told({ partyType: 'citizen', penaltyKind: 'fine', fineAmount: 100 });
    s = run(def, s, 'onsite_decision', '2026-09-30');
    s = run(def, s, 'onsite_collection', '2026-09-30');
    expect(clockStatus(def, s, '2026-09-30', libraryCalendar).find((c) => c.key === 'remittance_limit')?.deadline).toBe('2026-10-09');
    expect(clockStatus(def, s, '2026-09-30', libraryCalendar).find((c) => c.key === 'payment_period')?.status).toBe('stopped');
    s = run(def, s, 'remittance', '2026-10-08');
    s = run(def, s, 'onsite_filing', '2026-10-08');
    s = run(def, s, 'archive', '2026-10-08');
    expect(s.finished).toBe(true);
    expect(s.documents.map((d) => d.type)).toEqual(['onsite_penalty_decision', 'fine_receipt', 'fine_remittance_record', 'onsite_filing_report']);
  });

  it('a fine paid at the bank is followed to its execution', () => {
    let s = told({ partyType: 'legal_person', penaltyKind: 'fine', fineAmount: 2000 });
    s = run(def, s, 'onsite_decision', '2026-09-30');
    s = run(def, s, 'onsite_filing', '2026-09-30');
    expect(codes(attempt(def, s, 'archive', '2026-10-08'))).toEqual(['step_not_available']);
    s = run(def, s, 'performance', '2026-10-12');
    expect(run(def, s, 'archive', '2026-10-12').finished).toBe(true);
  });
});
