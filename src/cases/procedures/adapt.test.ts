// Agency adaptation: more steps and stricter limits pass; dropping or loosening what the law sets does not.
import { describe, expect, it } from 'vitest';
import { adaptDefinition, availableSteps, checkDerived, getDefinition, initialState, type Adaptation, type AdaptResult } from './index.ts';
import { MATTER, run } from './test-helpers.ts';

const base = getDefinition('penalty-general');
const agency = '330106-scjg';
const adapt = (a: Partial<Adaptation>) => adaptDefinition(base, { agencyId: agency, version: 1, ...a });
const problems = (r: AdaptResult) => (r.ok ? [] : r.problems.map((p) => p.code));
const reasons = (r: AdaptResult) => (r.ok ? [] : r.problems.map((p) => p.reason));

const internalApproval: Adaptation['insertSteps'] = [
  {
    between: ['investigation_report', 'prior_notice'],
    step: { key: 'division_review', name: '科室负责人审核', stage: 'investigate', roles: ['officer'], statutory: false, produces: [{ document: 'division_review_form' }] },
  },
];

describe('lawful adaptations', () => {
  it('inserts an internal approval and yields a new version based on the law’s', () => {
    const r = adapt({ insertSteps: internalApproval, addDocuments: [{ key: 'division_review_form', name: '科室审核表' }] });
    expect(problems(r)).toEqual([]);
    if (!r.ok) return;
    expect(r.definition).toMatchObject({ id: `penalty-general.${agency}`, version: 1, agencyId: agency, basedOn: { id: 'penalty-general', version: 1 } });
    // The engine runs it: after the investigation report the internal step comes first.
    let s = initialState(r.definition, { matter: MATTER, facts: { majorDecision: false } });
    s = run(r.definition, s, 'intake', '2026-09-01', { facts: { partyType: 'citizen' } });
    s = run(r.definition, s, 'filing', '2026-09-01');
    s = run(r.definition, s, 'investigation_report', '2026-09-02', { facts: { proposedOutcome: 'penalty', collectiveDiscussionRequired: false } });
    expect(availableSteps(r.definition, s).steps.map((x) => x.key)).toEqual(['division_review']);
    // Cases that started on the base version keep running on it (the engine runs the object it is given).
    const old = initialState(base, { matter: MATTER });
    expect(old.definition).toEqual({ id: 'penalty-general', version: 1 });
  });

  it('shortens an agency deadline, lengthens a party period, requires review more often, adds AV and officers', () => {
    const r = adapt({
      minOnSiteOfficers: 3,
      clocks: { decision_limit: { length: 60 }, hearing_request_window: { length: 7 }, service_limit: { unit: 'calendar', extendPastRestDay: true } },
      steps: {
        penalty_decision: { requiresReview: { any: [{ any: [{ fact: 'majorDecision', eq: true }, { fact: 'hearingRequested', eq: true }] }, { fact: 'fineAmount', gte: 10000 }] } },
        inspection: { av: { rule: 'on_site_inspection', minimum: 'mandatory' } },
        filing: { roles: ['officer'] },
      },
    });
    expect(reasons(r)).toEqual([]);
  });

  it('adds a period for statements and defence that the decision waits for', () => {
    const r = adapt({
      addClocks: [{ key: 'statement_period', name: '陈述申辩期限', basis: '本机关规定', kind: 'period', unit: 'working', length: 3 }],
      steps: {
        prior_notice: { clocks: { start: [{ clock: 'hearing_request_window', when: { fact: 'hearingEligible', eq: true } }, { clock: 'statement_period' }] } },
        penalty_decision: { notBefore: [{ clock: 'hearing_request_window', sameDay: false }, { clock: 'statement_period', sameDay: false }] },
      },
    });
    expect(reasons(r)).toEqual([]);
  });
});

describe('refused adaptations', () => {
  it('cannot drop a statutory step: step_removed, with the reason in Chinese', () => {
    const derived = structuredClone(base) as unknown as { id: string; agencyId: string; basedOn: unknown; steps: { key: string }[] };
    derived.id = `penalty-general.${agency}`;
    derived.agencyId = agency;
    derived.basedOn = { id: base.id, version: base.version };
    derived.steps = derived.steps.filter((x) => x.key !== 'statement_defence' && x.key !== 'waive_hearing');
    const r = checkDerived(base, derived);
    expect(problems(r)).toEqual(['step_removed', 'step_removed']);
    expect(reasons(r)).toEqual(['不得删除法定环节「听取陈述申辩」', '不得删除法定环节「当事人放弃听证」']);
  });

  it('cannot route around the prior notice, neither by rewiring nor by a shortcut', () => {
    const next = base.steps.find((x) => x.key === 'investigation_report')!.next;
    const rewired = adapt({ steps: { investigation_report: { next: next.map((t) => (t.to === 'prior_notice' ? { ...t, to: 'penalty_decision' } : t)) } } });
    expect(reasons(rewired)).toContain('环节「行政处罚事先告知」从起始环节无法到达');
    const shortcut = adapt({ steps: { investigation_report: { next: [...next, { to: 'penalty_decision', when: { fact: 'proposedOutcome', eq: 'penalty' } }] } } });
    expect(problems(shortcut)).toEqual(['transition_added']);
    expect(reasons(shortcut)).toEqual(['不得新增或放宽法定环节之间的流转：「调查终结」→「作出行政处罚决定」']);
  });

  it('cannot loosen limits: a longer agency deadline, a shorter party period, an extension the law does not give', () => {
    const r = adapt({ clocks: { decision_limit: { length: 120, extension: { maxTimes: 1, maxLength: 30, approverRoles: ['agency_head'], basis: '本机关规定' } }, hearing_request_window: { length: 3 } } });
    expect(reasons(r)).toEqual([
      '「作出处罚决定期限」不得长于法定的90日（拟定为120日）',
      '「作出处罚决定期限」依法不能延长',
      '「申请听证期限」不得短于法定的5个工作日（拟定为3个工作日）',
    ]);
    const seizure = getDefinition('coercion-seizure');
    const s = adaptDefinition(seizure, { agencyId: agency, version: 1, clocks: { seizure_limit: { extendPastRestDay: true, extension: { maxTimes: 2, maxLength: 30, approverRoles: ['agency_head'], requiresDocument: 'seizure_extension_decision', basis: 'x' } } } });
    expect(problems(s)).toEqual(['clock_loosened', 'extension_loosened']);
    const lic = getDefinition('licensing');
    expect(problems(adaptDefinition(lic, { agencyId: agency, version: 1, clocks: { decision_limit: { pause: { reasons: ['听证', '内部会签'], basis: 'x' } } } }))).toEqual(['pause_loosened']);
  });

  it('cannot loosen guards, review, AV, officers, approvals or roles', () => {
    const r = adapt({
      steps: {
        penalty_decision: { requiresReview: { fact: 'hearingRequested', eq: true }, guards: [], approval: undefined },
        inspection: { onSite: false, av: { rule: 'on_site_inspection', minimum: 'optional' } },
        legal_review: { roles: ['reviewer', 'officer'] },
      },
    });
    expect(problems(r).sort()).toEqual(['approval_loosened', 'av_loosened', 'guard_loosened', 'on_site_removed', 'review_loosened', 'roles_widened']);
    expect(problems(adaptDefinition(getDefinition('penalty-summary'), { agencyId: agency, version: 1, steps: { onsite_decision: { guards: getDefinition('penalty-summary').steps.find((s) => s.key === 'onsite_decision')!.guards.map((g) => (g.code === 'summary_limit_exceeded' ? { ...g, when: { fact: 'fineAmount', lte: 5000 } } : g)) } } }))).toEqual(['guard_loosened']);
  });

  it('a new step may not decide the law’s facts or move its clocks', () => {
    const r = adapt({
      insertSteps: [{ between: ['prior_notice', 'penalty_decision'], step: { key: 'fast_track', name: '快速办理', stage: 'decide', roles: ['officer'], assigns: { reviewPassed: true }, clocks: { stop: ['decision_limit'] }, notBefore: [{ clock: 'hearing_request_window', sameDay: false }] } }],
    });
    expect(problems(r)).toEqual(['fact_override', 'clock_actions_changed']);
  });

  it('an inserted step must wait as the statutory step after it waits (the party’s hearing window)', () => {
    const r = adapt({ insertSteps: [{ between: ['prior_notice', 'penalty_decision'], step: { key: 'sign_off', name: '分管领导签批', stage: 'decide', roles: ['officer'] } }] });
    expect(reasons(r)).toEqual(['新增环节「分管领导签批」位于「作出行政处罚决定」之前，也须待「申请听证期限」届满后办理']);
  });

  it('minOnSiteOfficers below the law fails in the schema already (R-P08)', () => {
    expect(problems(adapt({ minOnSiteOfficers: 1 }))).toEqual(['invalid_definition']);
  });
});
