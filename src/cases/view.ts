// What the back office shows: the case list with filters and clocks, and the case workspace (steps
// available with what still blocks them, clocks, documents, records, reviews, approvals, access log).
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { addDays, getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { reviewOut } from '../review/submissions.ts';
import { loadCase, stageLabel } from './access.ts';
import { approvalOut } from './approvals.ts';
import { avPresent, ruleFor } from './av-rules.ts';
import { documentOut } from './case-documents.ts';
import { definitionOf, maxWarnCalendarDays } from './definitions.ts';
import { minimiseFor } from './minimise.ts';
import { availableSteps, AV_LEVEL_LABELS, clockStatus, CASE_TYPE_LABELS, type CaseType } from './procedures/index.ts';
import * as policy from './policy.ts';
import { disclosureOut, recordOut } from './records.ts';
import * as recordsRepo from './records-store.ts';
import * as rulesRepo from './rules-store.ts';
import { CASE_STATUS_LABELS, PARTY_TYPE_LABELS, type AvRule, type CaseListQuery, type RecordKind } from './schema.ts';
import * as casesRepo from './store.ts';

function scopeCondition(actor: Actor, params: unknown[]): string {
  const scope = policy.readScope(actor);
  if (scope.kind === 'all') return 'TRUE';
  let own: string;
  if (scope.kind === 'agency') {
    params.push(scope.agencyId);
    own = `c.agency_id = $${params.length}`;
  } else {
    params.push(scope.prefix);
    own = `a.region_code LIKE $${params.length} || '%'`;
  }
  if (actor.kind !== 'user' || actor.role !== 'reviewer') return own;
  // R-L03: a shared reviewer of another unit also lists the cases assigned to them, the same grant
  // loadCase applies (access.ts), so the desk shows what they may open.
  params.push(actor.id);
  return `(${own} OR EXISTS (SELECT 1 FROM legal_review_assignments x JOIN reviewers r ON r.id = x.roster_id
    WHERE x.case_id = c.id AND r.user_id = $${params.length} AND r.active AND r.shared))`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

export async function listCases(ctx: AppContext, actor: Actor, f: CaseListQuery) {
  const params: unknown[] = [];
  const conds = [scopeCondition(actor, params)];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (f.agencyId) add((n) => `c.agency_id = $${n}`, f.agencyId);
  if (f.procedureId) add((n) => `c.procedure_id = $${n}`, f.procedureId);
  if (f.stage === 'none') conds.push('c.stage IS NULL');
  else if (f.stage) add((n) => `c.stage = $${n}`, f.stage);
  if (f.status) add((n) => `c.status = $${n}`, f.status);
  if (f.clock === 'overdue') add((n) => `c.status = 'open' AND c.next_deadline < $${n}::date`, todayInShanghai());
  if (f.clock === 'warning') {
    // Bounded above by the longest warning any clock gives, so the deadline index reads only that window.
    const today = todayInShanghai();
    add((n) => `c.status = 'open' AND c.warn_from <= $${n}::date AND c.next_deadline >= $${n}::date`, today);
    add((n) => `c.next_deadline <= $${n}::date`, addDays(today, await maxWarnCalendarDays(ctx.db)));
  }
  // Prefixes of the 案号, the party's name or the 案由: three index range scans, fast at any size
  // (a substring search would read every case of the agency).
  if (f.q) add((n) => `(c.number LIKE $${n} OR c.party_name LIKE $${n} OR c.title LIKE $${n})`, escapeLike(f.q) + '%');
  const r = await casesRepo.listCases(ctx.db, conds.join(' AND '), params, f.pageSize, (f.page - 1) * f.pageSize);
  const today = todayInShanghai();
  return {
    items: r.items.map((c) => ({
      id: c.id, agencyId: c.agency_id, agencyName: c.agency_name, procedureId: c.procedure_id, procedureVersion: c.procedure_version,
      caseType: c.case_type, caseTypeLabel: CASE_TYPE_LABELS[c.case_type as CaseType] ?? c.case_type, number: c.number, title: c.title, party: c.party_name,
      cursor: c.cursor, stage: c.stage, stageLabel: stageLabel(c.stage), status: c.status, statusLabel: CASE_STATUS_LABELS[c.status as keyof typeof CASE_STATUS_LABELS],
      nextDeadline: c.next_deadline, nextDeadlineClock: c.next_deadline_clock,
      clock: c.status === 'open' && c.next_deadline ? (c.next_deadline < today ? 'overdue' : c.warn_from && c.warn_from <= today ? 'warning' : 'running') : null,
      steps: c.step_count, majorDecision: c.major_decision, createdAt: c.created_at, updatedAt: c.updated_at,
    })),
    total: r.total,
    totalCapped: r.total > casesRepo.COUNT_CAP,
  };
}

export async function getCaseView(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadCase(ctx.db, actor, id);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  const [steps, documents, records, reviews, approvals, extensions, disclosures, access] = await Promise.all([
    casesRepo.listSteps(ctx.db, id),
    casesRepo.listDocuments(ctx.db, id),
    recordsRepo.listRecords(ctx.db, id),
    casesRepo.listReviews(ctx.db, id),
    casesRepo.listApprovals(ctx.db, id),
    casesRepo.listExtensions(ctx.db, id),
    recordsRepo.listDisclosures(ctx.db, id),
    recordsRepo.accessLog(ctx.db, id),
  ]);
  const avSet = await rulesRepo.effective<Record<string, AvRule>>(ctx.db, 'av_rule_sets', row.agency_id, today);
  const available = availableSteps(def, row.state, { calendar: cal, today });
  const stepName = (k: string) => def.steps.find((s) => s.key === k)?.name ?? k;
  // R-P14: one rule for the whole representation, the party, the documents and free text alike.
  const m = minimiseFor(actor, row);
  const party = m.party();
  return m.value({
    id: row.id,
    number: row.number,
    title: row.title,
    agency: { id: row.agency_id, name: row.agency_name },
    procedure: { id: def.id, version: def.version, name: def.name, caseType: def.caseType },
    matter: { category: row.matter_category, area: row.matter_area },
    party: {
      name: row.party_name, type: row.party_type, typeLabel: PARTY_TYPE_LABELS[row.party_type as keyof typeof PARTY_TYPE_LABELS], idType: row.party_id_type,
      ...(m.full ? { idNumber: party.idNumber, address: party.address } : {}),
    },
    profile: row.profile,
    status: row.status,
    statusLabel: CASE_STATUS_LABELS[row.status],
    cursor: row.cursor,
    cursorName: row.cursor ? stepName(row.cursor) : null,
    stage: row.stage,
    stageLabel: stageLabel(row.stage),
    facts: row.state.facts,
    majorDecision: { major: row.major_decision, catalogId: row.major_catalog_id, catalogVersion: row.major_catalog_version, matched: row.major_entries },
    clocks: clockStatus(def, row.state, today, cal),
    available: {
      pendingFacts: available.pendingFacts,
      steps: await Promise.all(
        available.steps.map(async (s) => {
          const sd = def.steps.find((x) => x.key === s.key)!;
          if (!sd.av) return { ...s, av: null };
          const eff = ruleFor(sd.av.rule, sd.av.minimum, avSet);
          const pending = await recordsRepo.pendingRecords(ctx.db, id, s.key);
          return { ...s, av: { rule: sd.av.rule, requirement: eff.rule.requirement, requirementLabel: AV_LEVEL_LABELS[eff.rule.requirement], forms: eff.rule.forms, fullProcess: eff.rule.fullProcess, keyPoints: eff.rule.keyPoints, requiredElements: eff.rule.requiredElements, conductLanguage: eff.rule.conductLanguage, recorded: avPresent(eff.rule, pending.map((r) => r.kind as RecordKind)), pendingRecords: pending.length } };
        }),
      ),
    },
    steps: steps.map((s) => ({
      seq: s.seq, step: s.step, name: stepName(s.step), stage: s.stage, kind: s.kind, on: s.on_date, actorRole: s.actor_role, record: s.record, clockChanges: s.clock_changes,
      warnings: s.warnings, documentIds: s.document_ids, approvalId: s.approval_id, av: s.av_requirement ? { requirement: s.av_requirement, ruleSetId: s.av_rule_set_id } : null,
      catalog: s.major_catalog_id ? { id: s.major_catalog_id, version: s.major_catalog_version } : null, createdAt: s.created_at,
    })),
    // Document fields repeat the party's ID number: outside the agency, the (minimised) PDFs are the documents.
    documents: documents.map((d) => (m.full ? documentOut(d) : { ...documentOut(d), fields: null })),
    records: records.map(recordOut),
    reviews: reviews.map(reviewOut),
    approvals: approvals.map(approvalOut),
    extensions,
    disclosures: disclosures.map(disclosureOut),
    accessLog: access.map((a) => ({ id: a.id, recordId: a.record_id, action: a.action, user: a.username, role: a.role, reason: a.reason, disclosureId: a.disclosure_id, at: a.at })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  });
}
