// Rules as data: the AV-record list's floors (R-R03/R-R04), the major-decision catalog (R-L04), the
// agency short name in numbers, and the generator's templates walked by the engine alone.
import { describe, expect, it } from 'vitest';
import { libraryCalendar } from '../platform/calendar/calendar.ts';
import { catalogProblems, DEFAULT_CATALOG, evaluateCatalog, fineOf } from '../review/catalog.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { avPresent, avRuleKeys, avRuleProblems, defaultAvRules } from './av-rules.ts';
import { caseTemplates } from './generate.ts';
import { listDefinitions } from './procedures/index.ts';

describe('AV-record list (R-R03, R-R04)', () => {
  it('knows every AV rule of the definitions with its statutory floor', () => {
    const keys = avRuleKeys();
    expect(keys.get('seizure')!.minimum).toBe('mandatory');
    expect(keys.get('inquiry')!.minimum).toBe('as_needed');
    expect([...keys.keys()].sort()).toEqual(['evidence_collection', 'evidence_preservation', 'hearing', 'inquiry', 'on_site_enforcement', 'on_site_inspection', 'seizure', 'seizure_release', 'service', 'site_verification']);
    expect(keys.get('seizure')!.steps.map((s) => s.step)).toEqual(['seizure']);
  });

  it('refuses a list below the floor, an unknown key, or full-process recording without video or audio', () => {
    const d = defaultAvRules();
    expect(avRuleProblems(d)).toEqual([]);
    expect(avRuleProblems({ seizure: { ...d.seizure!, requirement: 'optional' } })[0]!.field).toBe('rules.seizure.requirement');
    expect(avRuleProblems({ sezure: d.seizure! })[0]!.message).toContain('没有音像记录规则');
    expect(avRuleProblems({ inquiry: { ...d.inquiry!, requirement: 'mandatory', forms: ['photo'] } })[0]!.field).toBe('rules.inquiry.forms');
    // Stricter is always allowed.
    expect(avRuleProblems({ service: { ...d.service!, requirement: 'mandatory', forms: ['video'] } })).toEqual([]);
  });

  it('counts only video or audio as a record of the whole process', () => {
    const d = defaultAvRules();
    expect(avPresent(d.seizure!, ['photo'])).toBe(false);
    expect(avPresent(d.seizure!, ['photo', 'video'])).toBe(true);
    expect(avPresent(d.inquiry!, ['photo'])).toBe(true);
    expect(avPresent(d.inquiry!, ['text'])).toBe(false);
  });
});

describe('major-decision catalog (R-L04)', () => {
  const subject = (facts: Record<string, boolean | number | string>, profile = {}, caseType = 'penalty_general') => ({ procedureId: 'penalty-general', baseProcedureId: null, caseType, facts, profile });

  it('matches entries whose every condition holds, and names them', () => {
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({ proposedFine: 49999 }))).toEqual({ major: false, matched: [] });
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({ proposedFine: 50000 })).matched.map((m) => m.code)).toEqual(['P-01']);
    // The higher of notified and decided fine counts.
    expect(fineOf({ proposedFine: 100, fineAmount: 60000 })).toBe(60000);
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({ hearingRequested: true })).matched.map((m) => m.code)).toEqual(['G-04']);
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({}, { penaltyKinds: ['吊销许可证件'] })).matched.map((m) => m.code)).toEqual(['P-02']);
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({}, { amountInvolved: 100000 }, 'coercion')).matched.map((m) => m.code)).toEqual(['C-01']);
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({}, { amountInvolved: 100000 })).major).toBe(false);
    expect(evaluateCatalog(DEFAULT_CATALOG, subject({}, { flags: ['public_interest'] }, 'licensing')).matched.map((m) => m.code)).toEqual(['L-01', 'G-01']);
  });

  it('an entry naming a built-in procedure applies to an agency’s adaptation of it', () => {
    const entry = { code: 'X', title: 'x', category: 'major_measure' as const, when: { procedures: ['penalty-general'], minFine: 1 } };
    expect(evaluateCatalog([entry], { ...subject({ fineAmount: 10 }), procedureId: 'penalty-general.abc', baseProcedureId: 'penalty-general' }).major).toBe(true);
  });

  it('must cover every kind of major decision the guideline lists, with unique codes', () => {
    expect(catalogProblems(DEFAULT_CATALOG)).toEqual([]);
    const p = catalogProblems(DEFAULT_CATALOG.filter((e) => e.category !== 'after_hearing'));
    expect(p[0]!.message).toContain('经过听证程序作出');
    expect(catalogProblems([...DEFAULT_CATALOG, DEFAULT_CATALOG[0]!])[0]!.message).toContain('重复');
  });
});

describe('agency abbreviation in numbers', () => {
  it('takes the county (or city) and the department', () => {
    expect(agencyAbbreviation('演示市市场监督管理局')).toBe('演示市监');
    expect(agencyAbbreviation('演示市西湖区市场监督管理局')).toBe('西湖市监');
    expect(agencyAbbreviation('演示市西湖区某街道综合行政执法队')).toBe('西湖综执');
    expect(agencyAbbreviation('演示市余杭区生态环境分局')).toBe('余杭环');
    expect(agencyAbbreviation('杭州市交通运输局')).toBe('杭州交');
    expect(agencyAbbreviation('某某县林业局')).toBe('某某林业');
  });
});

describe('generator templates', () => {
  it('reach every main step but the archive of every procedure through the engine alone', () => {
    const templates = caseTemplates(libraryCalendar, '2026-11-23', 3).flatMap((g) => g.states);
    for (const def of listDefinitions()) {
      const reached = new Set(templates.filter((t) => t.procedureId === def.id).map((t) => t.state.cursor));
      const mains = def.steps.filter((s) => s.kind === 'main' && s.key !== 'archive').map((s) => s.key);
      expect(mains.filter((k) => !reached.has(k)), def.id).toEqual([]);
    }
    expect(templates.some((t) => t.summary.nextDeadline !== null && t.summary.nextDeadline < '2026-11-23')).toBe(true);
  });
});
