// Scripted paths through every procedure, shared by the demo (walked through the use cases) and the
// generator (walked through the engine alone). Together they reach every main step of every built-in
// procedure; days count from the path's first action and are moved on when a period must run first.
import type { FactValue } from './procedures/index.ts';
import type { CaseProfile } from './schema.ts';

export type Who = 'officer' | 'head' | 'reviewer';

/** One action of a scripted path: a step with its facts, on a day counted from the path's start. */
export interface Action {
  step: string;
  day: number;
  facts?: Record<string, FactValue>;
  by?: Who;
  /** The head approves first (steps that need it). */
  approve?: boolean;
  /** A video record is made for the step first. */
  av?: boolean;
  /** Three officers, the third presiding (hearings). */
  presider?: boolean;
  /** legal_review: the opinion given, or none yet (the submission waits on the reviewer's desk). */
  review?: 'passed' | 'problems' | 'pending';
  /** legal_review: assigned to a shared reviewer of another unit (a justice bureau's legal adviser, R-L03). */
  adviser?: boolean;
}

export interface Path {
  procedure: string;
  title: string;
  profile?: Partial<CaseProfile>;
  actions: Action[];
}

const A = (step: string, day: number, extra: Omit<Action, 'step' | 'day'> = {}): Action => ({ step, day, ...extra });

export const PATHS: Path[] = [
  {
    procedure: 'penalty-general', title: '经营超过保质期的食品案（听证、法制审核）',
    actions: [
      A('intake', 0, { facts: { partyType: 'legal_person' } }), A('filing', 0, { approve: true }), A('inspection', 1, { av: true }), A('inquiry', 2, { av: true }),
      A('investigation_report', 7, { facts: { proposedOutcome: 'penalty', hearingEligible: true, collectiveDiscussionRequired: false } }),
      A('prior_notice', 8, { facts: { proposedFine: 60000, hearingEligible: true } }), A('hearing_request', 9), A('hearing_notice', 10), A('hearing', 21, { presider: true, av: true }),
      A('legal_review', 22, { review: 'problems' }), A('review_resubmission', 23), A('legal_review', 24, { review: 'passed' }),
      A('penalty_decision', 25, { approve: true, facts: { fineAmount: 60000, partyPresent: false } }), A('service', 26, { av: true }), A('publication', 26),
      A('performance', 33), A('closing', 34, { approve: true }), A('archive', 35),
    ],
  },
  {
    procedure: 'penalty-general', title: '未按规定公示食品经营许可案（集体讨论、申请强制执行）',
    actions: [
      A('intake', 0, { facts: { partyType: 'legal_person' } }), A('filing', 0, { approve: true }), A('inspection', 1, { av: true }),
      A('investigation_report', 5, { facts: { proposedOutcome: 'penalty', hearingEligible: false, collectiveDiscussionRequired: true } }),
      A('prior_notice', 6, { facts: { proposedFine: 20000, hearingEligible: false } }), A('statement_defence', 7), A('collective_discussion', 10, { by: 'head' }),
      A('penalty_decision', 11, { approve: true, facts: { fineAmount: 20000, partyPresent: true } }), A('service', 11),
      A('enforcement_notice', 27), A('court_enforcement_application', 42, { approve: true, facts: { remedyPeriodsExpired: true } }),
    ],
  },
  { procedure: 'penalty-general', title: '举报线索核查不予立案', actions: [A('intake', 0, { facts: { partyType: 'citizen' } }), A('no_filing', 1, { approve: true }), A('archive', 2)] },
  { procedure: 'penalty-general', title: '不属本机关管辖撤销立案', actions: [A('intake', 0, { facts: { partyType: 'legal_person' } }), A('filing', 0, { approve: true }), A('case_dismissal', 3, { approve: true }), A('archive', 4)] },
  {
    procedure: 'penalty-general', title: '首次违法及时改正不予处罚案',
    actions: [
      A('intake', 0, { facts: { partyType: 'citizen' } }), A('filing', 0, { approve: true }), A('inquiry', 1),
      A('investigation_report', 4, { facts: { proposedOutcome: 'no_penalty', hearingEligible: false, collectiveDiscussionRequired: false } }),
      A('no_penalty_decision', 5, { approve: true }), A('service', 6), A('closing', 7, { approve: true }), A('archive', 8),
    ],
  },
  {
    procedure: 'penalty-general', title: '涉嫌生产销售伪劣产品罪移送案', profile: { flags: ['complex_relations'] },
    actions: [
      A('intake', 0, { facts: { partyType: 'legal_person' } }), A('filing', 0, { approve: true }), A('investigation_report', 6, { facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false } }),
      A('legal_review', 7, { review: 'problems' }), A('supplementary_investigation', 8), A('investigation_report', 12, { facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false } }),
      A('legal_review', 13, { review: 'passed' }), A('transfer', 14, { approve: true }), A('closing', 15, { approve: true }), A('archive', 16),
    ],
  },
  {
    procedure: 'penalty-summary', title: '流动摊贩占道经营当场处罚',
    actions: [
      A('onsite_notice', 0, { av: true, facts: { partyType: 'citizen', factsConfirmed: true, penaltyKind: 'fine', fineAmount: 50 } }), A('onsite_decision', 0, { facts: { penaltyKind: 'fine', fineAmount: 50 } }),
      A('onsite_collection', 0), A('remittance', 1), A('onsite_filing', 2), A('archive', 3),
    ],
  },
  {
    procedure: 'penalty-summary', title: '未亮照经营当场处罚（事后缴纳）',
    actions: [
      A('onsite_notice', 0, { facts: { partyType: 'legal_person', factsConfirmed: true, penaltyKind: 'fine', fineAmount: 2000 } }), A('onsite_decision', 0, { facts: { penaltyKind: 'fine', fineAmount: 2000 } }),
      A('onsite_filing', 1), A('performance', 10), A('archive', 11),
    ],
  },
  { procedure: 'penalty-summary', title: '违法事实须进一步调查转普通程序', actions: [A('onsite_notice', 0, { facts: { partyType: 'legal_person', factsConfirmed: false, penaltyKind: 'fine', fineAmount: 5000 } }), A('convert_to_general', 0)] },
  {
    procedure: 'inspection', title: '双随机抽查：某超市食品安全检查（责令整改）',
    actions: [
      A('inspection_task', 0, { facts: { inspectionSource: 'random' } }), A('on_site_inspection', 2, { av: true }), A('inspection_result', 3, { facts: { inspectionOutcome: 'rectify' } }),
      A('publication', 4), A('rectification_review', 15, { facts: { rectified: true } }), A('closing', 16), A('archive', 17),
    ],
  },
  {
    procedure: 'inspection', title: '投诉核查：某餐饮店后厨检查（移交立案）',
    actions: [A('inspection_task', 0, { facts: { inspectionSource: 'complaint' } }), A('on_site_inspection', 1), A('inspection_result', 2, { facts: { inspectionOutcome: 'case' } }), A('case_referral', 3), A('closing', 4)],
  },
  {
    procedure: 'coercion-seizure', title: '扣押涉嫌过期食品（依法处理）', profile: { amountInvolved: 30000 },
    actions: [
      A('measure_proposal', 0, { facts: { emergency: false, measureKind: 'detention' } }), A('seizure', 0, { approve: true, av: true }), A('testing_start', 2), A('testing_end', 9),
      A('disposal', 12, { approve: true }), A('closing', 13, { approve: true }), A('archive', 14),
    ],
  },
  {
    procedure: 'coercion-seizure', title: '查封无证生产场所（解除查封）', profile: { amountInvolved: 50000 },
    actions: [A('measure_proposal', 0, { facts: { emergency: false, measureKind: 'seizure' } }), A('seizure', 0, { approve: true, av: true }), A('release', 6, { approve: true, av: true }), A('closing', 7, { approve: true })],
  },
  {
    procedure: 'coercion-seizure', title: '拟查封大型仓储设施（法制审核未通过，不予实施）', profile: { amountInvolved: 800000 },
    actions: [A('measure_proposal', 0, { facts: { emergency: false, measureKind: 'seizure' } }), A('legal_review', 1, { review: 'problems' }), A('not_applied', 2), A('closing', 3, { approve: true }), A('archive', 4)],
  },
  {
    procedure: 'licensing', title: '食品经营许可申请（准予许可）',
    actions: [
      A('application', 0), A('acceptance', 1), A('examination', 3, { facts: { hearingMode: 'none' } }), A('site_verification', 4, { av: true }),
      A('grant', 8, { approve: true }), A('issuance', 9), A('publication', 9), A('closing', 10), A('archive', 11),
    ],
  },
  {
    procedure: 'licensing', title: '大型餐饮许可申请（听证后不予许可）',
    actions: [
      A('application', 0), A('correction_request', 1), A('correction_received', 5), A('acceptance', 6), A('examination', 8, { facts: { hearingMode: 'on_request' } }),
      A('hearing_rights_notice', 9), A('hearing_request', 10), A('hearing_notice', 11), A('hearing', 23, { presider: true }),
      A('legal_review', 24, { review: 'passed' }), A('refusal', 25, { approve: true }), A('service', 26), A('closing', 27), A('archive', 28),
    ],
  },
  { procedure: 'licensing', title: '不属本机关职权的许可申请（不予受理）', actions: [A('application', 0), A('rejection', 1), A('archive', 2)] },
  { procedure: 'licensing', title: '申请人撤回许可申请', actions: [A('application', 0), A('acceptance', 1), A('examination', 2, { facts: { hearingMode: 'none' } }), A('withdrawal', 4), A('archive', 5)] },
  { procedure: 'licensing', title: '涉及公共利益的许可（依职权听证）', actions: [A('application', 0), A('acceptance', 1), A('examination', 3, { facts: { hearingMode: 'ex_officio' } }), A('hearing_public_notice', 4)] },
];

/**
 * A complex case whose legal review the agency assigns to the justice bureau's shared legal adviser
 * (sfj_reviewer signs as 郑顾问): it waits on the adviser's desk, the only case of the agency they see.
 */
export const ADVISER_PATH: Path = {
  procedure: 'penalty-general', title: '多重法律关系的复杂案件（指派市司法局法律顾问审核）', profile: { flags: ['complex_relations'] },
  actions: [
    A('intake', 0, { facts: { partyType: 'legal_person' } }), A('filing', 0, { approve: true }),
    A('investigation_report', 5, { facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false } }),
    A('legal_review', 6, { adviser: true, review: 'pending' }),
  ],
};
