// The figures of the 统计年报 (R-P16), computed from the cases, publicity, inspections and registry
// domains' read functions, with the counting rules of the provincial templates
// (../shared/reference/publicity.md §5): a combined penalty counts once, under its heaviest kind; the
// decision's date decides the year, not the case's start; one object inspected with a full record counts
// one inspection, random inspections apart. Each figure keeps the case ids it counts (drill-down).
import type { Queryable } from '../platform/db.ts';
import { PENALTY_KINDS } from '../cases/documents/index.ts';
import * as cases from '../cases/annual-facts.ts';
import * as publicity from '../publicity/annual-facts.ts';
import { randomInspectionCount, randomInspections } from '../inspections/annual-facts.ts';
import { staffAt } from '../registry/annual-facts.ts';

export interface Scope {
  year: number;
  agencyId: string | null;
  regionPrefix: string | null;
}

/**
 * Severity for "counted under its heaviest kind": the order of 行政处罚法第九条, which runs from the
 * lightest (警告) to the heaviest (行政拘留). The catch-all 其他 has no place in that order and ranks
 * lowest, so a named kind beside it wins.
 */
const OTHER = '法律、行政法规规定的其他行政处罚';
const rank = (kind: string) => (kind === OTHER ? -1 : PENALTY_KINDS.indexOf(kind as (typeof PENALTY_KINDS)[number]));
export function heaviestKind(kinds: readonly string[]): string | null {
  const known = kinds.filter((k) => (PENALTY_KINDS as readonly string[]).includes(k));
  if (!known.length) return null;
  return known.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

export interface Figures {
  licences: { applied: number; accepted: number; granted: number; refused: number; revoked: number };
  penalties: { total: number; byKind: Record<string, number>; fineYuan: number; confiscationYuan: number };
  coercion: { measures: number; executions: number };
  inspections: { total: number; random: number };
  hearings: { total: number };
  reviews: { total: number; rounds: number; passedFirstTime: number };
  publications: { onTime: number; total: number };
  remedies: { reconsideration: number; litigation: number; corrected: number };
  staff: { certifiedOfficers: number; reviewers: number };
}

/** Every figure as a dotted key with its Chinese label: the XLSX rows, the PDF table and the drill-down keys. */
export const FIGURE_LABELS: Record<string, string> = {
  'licences.applied': '行政许可 申请数量', 'licences.accepted': '行政许可 受理数量', 'licences.granted': '行政许可 许可数量', 'licences.refused': '行政许可 不予许可数量', 'licences.revoked': '行政许可 撤销许可数量',
  'penalties.total': '行政处罚 合计（宗）',
  ...Object.fromEntries(PENALTY_KINDS.map((k) => [`penalties.byKind.${k}`, `行政处罚 ${k}`])),
  'penalties.fineYuan': '罚款金额（元）', 'penalties.confiscationYuan': '没收金额（元）',
  'coercion.measures': '行政强制措施', 'coercion.executions': '行政强制执行',
  'inspections.total': '行政检查（次）', 'inspections.random': '其中：双随机抽查（户次）',
  'hearings.total': '听证（次）',
  'reviews.total': '法制审核（件）', 'reviews.rounds': '法制审核 审核轮次', 'reviews.passedFirstTime': '法制审核 一次通过（件）',
  'publications.total': '应公示决定（件）', 'publications.onTime': '按期公示（件）',
  'remedies.reconsideration': '被行政复议（件）', 'remedies.litigation': '被行政诉讼（件）', 'remedies.corrected': '被复议、诉讼纠错（件）',
  'staff.certifiedOfficers': '持证执法人员（人）', 'staff.reviewers': '法制审核人员（人）',
};

export function flatten(f: Figures): [string, number][] {
  const out: [string, number][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'number') out.push([prefix, v]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
  };
  walk('', f);
  // jsonb keeps keys in its own order: show them in the template's order (FIGURE_LABELS), unknown ones last.
  const order = Object.keys(FIGURE_LABELS);
  const at = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return out.sort((a, b) => at(a[0]) - at(b[0]));
}

const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/**
 * The figures alone, counted and summed in the database (what drafting a report runs: a city of a million
 * cases moves a few rows, not a million case ids). Same counting rules as `compute`, which keeps the case
 * ids behind each figure for the drill-down; a test holds the two equal on the hand-counted fixture.
 */
export async function computeFigures(q: Queryable, s: Scope): Promise<Figures> {
  const scope = { from: `${s.year}-01-01`, to: `${s.year}-12-31`, agencyId: s.agencyId, regionPrefix: s.regionPrefix };
  const [penalties, licenceSteps, docs, inspections, random, hearings, reviews, pubs, remedies, staff] = await Promise.all([
    cases.penaltyTotals(q, scope),
    cases.stepCounts(q, scope, ['licensing'], ['application', 'acceptance']),
    cases.documentCounts(q, scope, ['licence_decision', 'licence_refusal', 'seizure_decision']),
    cases.stepCounts(q, scope, ['inspection'], ['on_site_inspection']),
    randomInspectionCount(q, scope),
    cases.stepCounts(q, scope, ['licensing', 'penalty-general'], ['hearing']),
    cases.reviewCounts(q, scope),
    publicity.publicationCounts(q, scope),
    publicity.remedyCounts(q, scope),
    staffAt(q, scope),
  ]);
  const byKind: Record<string, number> = Object.fromEntries(PENALTY_KINDS.map((k) => [k, 0]));
  for (const p of penalties) byKind[p.kind] = p.decisions;
  const sum = (f: (p: (typeof penalties)[number]) => number) => Math.round(penalties.reduce((a, p) => a + f(p), 0) * 100) / 100;
  return {
    licences: { applied: licenceSteps.application!, accepted: licenceSteps.acceptance!, granted: docs.licence_decision!, refused: docs.licence_refusal!, revoked: 0 },
    penalties: { total: penalties.reduce((a, p) => a + p.decisions, 0), byKind, fineYuan: sum((p) => p.fineYuan), confiscationYuan: sum((p) => p.confiscationYuan) },
    coercion: { measures: docs.seizure_decision!, executions: 0 },
    inspections: { total: inspections.on_site_inspection!, random },
    hearings: { total: hearings.hearing! },
    reviews: { total: reviews.cases, rounds: reviews.rounds, passedFirstTime: reviews.passedFirstTime },
    publications: { onTime: pubs.onTime, total: pubs.total },
    remedies,
    staff,
  };
}

export async function compute(q: Queryable, s: Scope): Promise<{ figures: Figures; cases: Record<string, string[]> }> {
  const scope = { from: `${s.year}-01-01`, to: `${s.year}-12-31`, agencyId: s.agencyId, regionPrefix: s.regionPrefix };
  const [decisions, licenceSteps, licenceDocs, coercionDocs, inspectionSteps, random, hearings, reviews, pubs, remedies, staff] = await Promise.all([
    cases.penaltyDecisions(q, scope),
    cases.stepsTaken(q, scope, ['licensing'], ['application', 'acceptance']),
    cases.documentsIssued(q, scope, ['licence_decision', 'licence_refusal']),
    cases.documentsIssued(q, scope, ['seizure_decision']),
    cases.stepsTaken(q, scope, ['inspection'], ['on_site_inspection']),
    randomInspections(q, scope),
    cases.stepsTaken(q, scope, ['licensing', 'penalty-general'], ['hearing']),
    cases.reviewOpinions(q, scope),
    publicity.publicationTimeliness(q, scope),
    publicity.remedyOutcomes(q, scope),
    staffAt(q, scope),
  ]);
  const ids: Record<string, string[]> = {};
  const byKind: Record<string, number> = Object.fromEntries(PENALTY_KINDS.map((k) => [k, 0]));
  let fine = 0;
  let confiscation = 0;
  const counted: string[] = [];
  for (const d of decisions) {
    const kind = heaviestKind(d.penalties.map((p) => p.kind));
    if (!kind) continue;
    byKind[kind]! += 1;
    (ids[`penalties.byKind.${kind}`] ??= []).push(d.caseId);
    counted.push(d.caseId);
    for (const p of d.penalties) {
      if (p.kind === '罚款') fine += p.amount ?? 0;
      if ((p.kind === '没收违法所得' || p.kind === '没收非法财物') && p.amount !== undefined) confiscation += p.amount;
    }
  }
  ids['penalties.total'] = counted;
  ids['penalties.fineYuan'] = decisions.filter((d) => d.penalties.some((p) => p.kind === '罚款')).map((d) => d.caseId);
  ids['licences.applied'] = licenceSteps.filter((x) => x.step === 'application').map((x) => x.caseId);
  ids['licences.accepted'] = licenceSteps.filter((x) => x.step === 'acceptance').map((x) => x.caseId);
  ids['licences.granted'] = licenceDocs.filter((x) => x.type === 'licence_decision').map((x) => x.caseId);
  ids['licences.refused'] = licenceDocs.filter((x) => x.type === 'licence_refusal').map((x) => x.caseId);
  ids['coercion.measures'] = coercionDocs.map((x) => x.caseId);
  ids['inspections.total'] = inspectionSteps.map((x) => x.caseId);
  ids['inspections.random'] = uniq(random.map((x) => x.caseId));
  ids['hearings.total'] = hearings.map((x) => x.caseId);
  ids['reviews.total'] = uniq(reviews.map((x) => x.caseId));
  ids['reviews.passedFirstTime'] = uniq(reviews.filter((x) => x.round === 1 && x.passed).map((x) => x.caseId));
  ids['publications.total'] = uniq(pubs.map((x) => x.caseId));
  ids['publications.onTime'] = uniq(pubs.filter((x) => x.onTime).map((x) => x.caseId));
  ids['remedies.corrected'] = uniq(remedies.filter((x) => x.outcome !== 'upheld' && x.outcome !== 'dismissed').map((x) => x.caseId));
  const figures: Figures = {
    licences: { applied: ids['licences.applied'].length, accepted: ids['licences.accepted'].length, granted: ids['licences.granted'].length, refused: ids['licences.refused'].length, revoked: 0 },
    penalties: { total: counted.length, byKind, fineYuan: Math.round(fine * 100) / 100, confiscationYuan: Math.round(confiscation * 100) / 100 },
    coercion: { measures: coercionDocs.length, executions: 0 },
    inspections: { total: inspectionSteps.length, random: random.length },
    hearings: { total: hearings.length },
    reviews: { total: ids['reviews.total'].length, rounds: reviews.length, passedFirstTime: ids['reviews.passedFirstTime'].length },
    publications: { onTime: pubs.filter((x) => x.onTime).length, total: pubs.length },
    remedies: { reconsideration: remedies.filter((x) => x.kind === 'reconsideration').length, litigation: remedies.filter((x) => x.kind === 'litigation').length, corrected: remedies.filter((x) => x.outcome !== 'upheld' && x.outcome !== 'dismissed').length },
    staff,
  };
  return { figures, cases: ids };
}
