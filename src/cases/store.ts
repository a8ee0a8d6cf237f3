// Case queries: plain functions per table, imported as a namespace (`casesRepo.x`) so that a reader
// sees at the call site that a query runs. Permission conditions come in from the caller (policy.ts).
import type { Queryable } from '../platform/db.ts';
import type { ProcedureState } from './procedures/index.ts';
import type { CaseProfile } from './schema.ts';

export interface CaseRow {
  id: string;
  agency_id: string;
  agency_name: string;
  agency_region: string;
  procedure_id: string;
  procedure_version: number;
  case_type: string;
  number: string;
  title: string;
  matter_category: string;
  matter_area: string;
  party_name: string;
  party_type: string;
  party_id_type: string;
  party_id_number: string | null;
  party_address: string;
  profile: Partial<CaseProfile>;
  state: ProcedureState;
  cursor: string | null;
  stage: string | null;
  status: 'open' | 'finished' | 'archived';
  next_deadline: string | null;
  next_deadline_clock: string | null;
  warn_from: string | null;
  step_count: number;
  major_decision: boolean | null;
  major_catalog_id: string | null;
  major_catalog_version: number | null;
  major_entries: { code: string; title: string }[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

const CASE_SELECT = `SELECT c.*, a.name AS agency_name, a.region_code AS agency_region FROM cases c JOIN agencies a ON a.id = c.agency_id`;

export async function getCase(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  // The row lock serialises steps on one case: each reads the state the previous one wrote.
  const sql = opts.forUpdate ? `${CASE_SELECT} WHERE c.id = $1 FOR UPDATE OF c` : `${CASE_SELECT} WHERE c.id = $1`;
  return (await q.query<CaseRow>(sql, [id])).rows[0];
}

export interface NewCase {
  id: string;
  agencyId: string;
  procedureId: string;
  procedureVersion: number;
  caseType: string;
  number: string;
  title: string;
  matter: { category: string; area: string };
  party: { name: string; type: string; idType: string; idNumber: string | null; address: string };
  profile: object;
  state: ProcedureState;
  summary: CaseSummary;
  createdBy: string | null;
}

/** The denormalised columns the list filters on, recomputed from the state at every write. */
export interface CaseSummary {
  cursor: string | null;
  stage: string | null;
  status: 'open' | 'finished' | 'archived';
  nextDeadline: string | null;
  nextDeadlineClock: string | null;
  warnFrom: string | null;
  stepCount: number;
  majorDecision: boolean | null;
  majorCatalogId: string | null;
  majorCatalogVersion: number | null;
  majorEntries: { code: string; title: string }[];
}

export async function insertCase(q: Queryable, c: NewCase) {
  const s = c.summary;
  await q.query(
    `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area,
       party_name, party_type, party_id_type, party_id_number, party_address, profile, state, cursor, stage, status,
       next_deadline, next_deadline_clock, warn_from, step_count, major_decision, major_catalog_id, major_catalog_version, major_entries, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28)`,
    [
      c.id, c.agencyId, c.procedureId, c.procedureVersion, c.caseType, c.number, c.title, c.matter.category, c.matter.area,
      c.party.name, c.party.type, c.party.idType, c.party.idNumber, c.party.address, JSON.stringify(c.profile), JSON.stringify(c.state),
      s.cursor, s.stage, s.status, s.nextDeadline, s.nextDeadlineClock, s.warnFrom, s.stepCount, s.majorDecision, s.majorCatalogId,
      s.majorCatalogVersion, JSON.stringify(s.majorEntries), c.createdBy,
    ],
  );
}

export async function updateCaseState(q: Queryable, id: string, state: ProcedureState, s: CaseSummary, extra: { profile?: object; archived?: boolean } = {}) {
  await q.query(
    `UPDATE cases SET state = $2, cursor = $3, stage = $4, status = $5, next_deadline = $6, next_deadline_clock = $7, warn_from = $8,
       step_count = $9, major_decision = $10, major_catalog_id = $11, major_catalog_version = $12, major_entries = $13,
       profile = COALESCE($14, profile), archived_at = CASE WHEN $15 THEN now() ELSE archived_at END, updated_at = now()
     WHERE id = $1`,
    [
      id, JSON.stringify(state), s.cursor, s.stage, s.status, s.nextDeadline, s.nextDeadlineClock, s.warnFrom, s.stepCount, s.majorDecision,
      s.majorCatalogId, s.majorCatalogVersion, JSON.stringify(s.majorEntries), extra.profile ? JSON.stringify(extra.profile) : null, extra.archived === true,
    ],
  );
}

export interface CaseListRow {
  id: string;
  agency_id: string;
  agency_name: string;
  procedure_id: string;
  procedure_version: number;
  case_type: string;
  number: string;
  title: string;
  party_name: string;
  cursor: string | null;
  stage: string | null;
  status: string;
  next_deadline: string | null;
  next_deadline_clock: string | null;
  warn_from: string | null;
  step_count: number;
  major_decision: boolean | null;
  created_at: Date;
  updated_at: Date;
}

/** At most this many are counted: beyond it the list says "10000+" (a count over a million rows is not free). */
export const COUNT_CAP = 10_000;

/** One page of an agency's (or a jurisdiction's) cases, newest first, with a capped total. */
export async function listCases(q: Queryable, where: string, params: unknown[], limit: number, offset: number) {
  const n = params.length;
  const items = await q.query<CaseListRow>(
    `SELECT c.id, c.agency_id, a.name AS agency_name, c.procedure_id, c.procedure_version, c.case_type, c.number, c.title, c.party_name,
            c.cursor, c.stage, c.status, c.next_deadline, c.next_deadline_clock, c.warn_from, c.step_count, c.major_decision, c.created_at, c.updated_at
       FROM cases c JOIN agencies a ON a.id = c.agency_id
      WHERE ${where} ORDER BY c.created_at DESC, c.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  );
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE ${where} LIMIT ${COUNT_CAP + 1}) t`,
    params,
  );
  return { items: items.rows, total: total.rows[0]!.n };
}

// ---- steps ----

export interface StepRow {
  case_id: string;
  seq: number;
  step: string;
  stage: string;
  kind: 'main' | 'side';
  on_date: string;
  actor_id: string | null;
  actor_role: string;
  approval_id: string | null;
  record: Record<string, unknown>;
  clock_changes: unknown[];
  warnings: unknown[];
  document_ids: string[];
  av_rule_set_id: string | null;
  av_requirement: string | null;
  major_catalog_id: string | null;
  major_catalog_version: number | null;
  event_id: number;
  created_at: Date;
}

export async function insertStep(
  q: Queryable,
  s: {
    caseId: string; seq: number; step: string; stage: string; kind: string; on: string; actorId: string | null; actorRole: string; approvalId: string | null;
    record: object; clockChanges: object[]; warnings: object[]; documentIds: string[]; avRuleSetId: string | null; avRequirement: string | null;
    majorCatalogId: string | null; majorCatalogVersion: number | null; eventId: number; clientKey?: string | null;
  },
) {
  await q.query(
    `INSERT INTO case_steps (case_id, seq, step, stage, kind, on_date, actor_id, actor_role, approval_id, record, clock_changes, warnings, document_ids,
       av_rule_set_id, av_requirement, major_catalog_id, major_catalog_version, event_id, client_key)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)`,
    [
      s.caseId, s.seq, s.step, s.stage, s.kind, s.on, s.actorId, s.actorRole, s.approvalId, JSON.stringify(s.record), JSON.stringify(s.clockChanges),
      JSON.stringify(s.warnings), s.documentIds, s.avRuleSetId, s.avRequirement, s.majorCatalogId, s.majorCatalogVersion, s.eventId, s.clientKey ?? null,
    ],
  );
}

/** The step a submission with this key already made on the case (issue 14: a resend after a network cut). */
export async function stepByClientKey(q: Queryable, caseId: string, clientKey: string) {
  const { rows } = await q.query<{ seq: number; step: string; warnings: object[]; clock_changes: object[]; document_ids: string[] }>(
    `SELECT seq, step, warnings, clock_changes, document_ids FROM case_steps WHERE case_id = $1 AND client_key = $2`,
    [caseId, clientKey],
  );
  return rows[0];
}

export async function listSteps(q: Queryable, caseId: string) {
  return (await q.query<StepRow>(`SELECT * FROM case_steps WHERE case_id = $1 ORDER BY seq`, [caseId])).rows;
}

/** Documents already produced by a step of this case (a document serves one step). */
export async function usedDocumentIds(q: Queryable, caseId: string): Promise<Set<string>> {
  const { rows } = await q.query<{ id: string }>(`SELECT unnest(document_ids)::text AS id FROM case_steps WHERE case_id = $1`, [caseId]);
  return new Set(rows.map((r) => r.id));
}

// ---- approvals and extensions ----

export interface ApprovalRow {
  id: string;
  case_id: string;
  purpose: 'step' | 'extension';
  step: string | null;
  clock: string | null;
  days: number | null;
  approved_by: string;
  approver_name: string;
  approver_role: string;
  on_date: string;
  opinion: string;
  created_at: Date;
  used_by_seq: number | null;
  used_by_extension: string | null;
}

export async function insertApproval(q: Queryable, a: { id: string; caseId: string; purpose: string; step: string | null; clock: string | null; days: number | null; by: string; name: string; role: string; on: string; opinion: string; eventId: number }) {
  await q.query(
    `INSERT INTO case_approvals (id, case_id, purpose, step, clock, days, approved_by, approver_name, approver_role, on_date, opinion, event_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [a.id, a.caseId, a.purpose, a.step, a.clock, a.days, a.by, a.name, a.role, a.on, a.opinion, a.eventId],
  );
}

const APPROVAL_SELECT = `SELECT p.*, s.seq AS used_by_seq, e.id AS used_by_extension FROM case_approvals p
  LEFT JOIN case_steps s ON s.approval_id = p.id LEFT JOIN case_extensions e ON e.approval_id = p.id`;

export async function listApprovals(q: Queryable, caseId: string) {
  return (await q.query<ApprovalRow>(`${APPROVAL_SELECT} WHERE p.case_id = $1 ORDER BY p.created_at`, [caseId])).rows;
}

/** The latest approval for this step (or clock) not yet used by a step (or extension). */
export async function unusedApproval(q: Queryable, caseId: string, purpose: 'step' | 'extension', key: string) {
  const col = purpose === 'step' ? 'step' : 'clock';
  return (
    await q.query<ApprovalRow>(
      `${APPROVAL_SELECT} WHERE p.case_id = $1 AND p.purpose = $2 AND p.${col} = $3 AND s.seq IS NULL AND e.id IS NULL ORDER BY p.created_at DESC LIMIT 1`,
      [caseId, purpose, key],
    )
  ).rows[0];
}

export async function getApproval(q: Queryable, caseId: string, id: string) {
  return (await q.query<ApprovalRow>(`${APPROVAL_SELECT} WHERE p.case_id = $1 AND p.id = $2`, [caseId, id])).rows[0];
}

export async function insertExtension(q: Queryable, x: { id: string; caseId: string; clock: string; days: number; reason: string; on: string; approvalId: string; documentId: string | null; actorId: string | null; deadline: string; eventId: number }) {
  await q.query(
    `INSERT INTO case_extensions (id, case_id, clock, days, reason, on_date, approval_id, document_id, actor_id, deadline, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [x.id, x.caseId, x.clock, x.days, x.reason, x.on, x.approvalId, x.documentId, x.actorId, x.deadline, x.eventId],
  );
}

export async function listExtensions(q: Queryable, caseId: string) {
  return (await q.query<{ id: string; clock: string; days: number; reason: string; on_date: string; approval_id: string; document_id: string | null; deadline: string; created_at: Date }>(
    `SELECT id, clock, days, reason, on_date, approval_id, document_id, deadline, created_at FROM case_extensions WHERE case_id = $1 ORDER BY created_at`,
    [caseId],
  )).rows;
}

// ---- documents ----

export interface DocumentRow {
  id: string;
  case_id: string;
  agency_id: string;
  type: string;
  title: string;
  status: 'draft' | 'final';
  fields: Record<string, unknown>;
  number: string | null;
  issued_on: string | null;
  pdf_sha256: string | null;
  pdf_size: number | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  finalised_by: string | null;
  finalised_at: Date | null;
  event_id: number | null;
  template: unknown;
}

export async function insertDocument(q: Queryable, d: { id: string; caseId: string; agencyId: string; type: string; title: string; fields: object; createdBy: string | null; template?: object }) {
  await q.query(`INSERT INTO case_documents (id, case_id, agency_id, type, title, status, fields, created_by, template) VALUES ($1,$2,$3,$4,$5,'draft',$6,$7,$8)`, [
    d.id, d.caseId, d.agencyId, d.type, d.title, JSON.stringify(d.fields), d.createdBy, d.template ? JSON.stringify(d.template) : null,
  ]);
}

export async function getDocument(q: Queryable, caseId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  return (await q.query<DocumentRow>(`SELECT * FROM case_documents WHERE case_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`, [caseId, id])).rows[0];
}

export async function listDocuments(q: Queryable, caseId: string) {
  return (await q.query<DocumentRow>(`SELECT * FROM case_documents WHERE case_id = $1 ORDER BY created_at, id`, [caseId])).rows;
}

export async function updateDraft(q: Queryable, id: string, fields: object) {
  await q.query(`UPDATE case_documents SET fields = $2, updated_at = now() WHERE id = $1 AND status = 'draft'`, [id, JSON.stringify(fields)]);
}

export async function deleteDraft(q: Queryable, id: string) {
  await q.query(`DELETE FROM case_documents WHERE id = $1 AND status = 'draft'`, [id]);
}

export async function finaliseDocument(q: Queryable, d: { id: string; fields: object; number: string | null; issuedOn: string; sha256: string; size: number; by: string | null; eventId: number }) {
  await q.query(
    `UPDATE case_documents SET status = 'final', fields = $2, number = $3, issued_on = $4, pdf_sha256 = $5, pdf_size = $6, finalised_by = $7, finalised_at = now(), event_id = $8, updated_at = now()
      WHERE id = $1 AND status = 'draft'`,
    [d.id, JSON.stringify(d.fields), d.number, d.issuedOn, d.sha256, d.size, d.by, d.eventId],
  );
}

/**
 * 统计年报 (R-P16): the heaviest 第九条 kind and the fine and confiscation amounts of these documents, as
 * the view `case_penalty_figures_source` reads them (migration 0151), kept in `case_penalty_figures`.
 * Documents that are not final penalty decisions naming a known kind write nothing. Written again when a
 * step's facts change in the same transaction (a 当场处罚 takes its kind and amount from them).
 */
export async function recordPenaltyFigures(q: Queryable, documentIds: readonly string[]) {
  if (!documentIds.length) return;
  await q.query(
    `INSERT INTO case_penalty_figures (document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan)
     SELECT document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan FROM case_penalty_figures_source WHERE document_id = ANY($1::uuid[])
     ON CONFLICT (document_id) DO UPDATE SET kind = EXCLUDED.kind, fine_yuan = EXCLUDED.fine_yuan, confiscation_yuan = EXCLUDED.confiscation_yuan`,
    [documentIds],
  );
}

// ---- legal reviews ----

export interface ReviewRow {
  id: string;
  case_id: string;
  round: number;
  submitted_by: string | null;
  submitter_name: string;
  on_date: string;
  summary: string;
  proposed_decision: string;
  materials: { kind: string; note: string; documentIds: string[]; recordIds: string[] }[];
  created_at: Date;
  opinion_result: 'passed' | 'problems' | null;
  opinion: string | null;
  problems: string[] | null;
  checklist: Record<string, { ok: boolean; note: string }> | null;
  reviewer_name: string | null;
  roster_id: string | null;
  opinion_on: string | null;
  document_id: string | null;
  step_seq: number | null;
  /** The roster entry the submission is assigned to (R-L03), with its name and unit. */
  assigned_roster_id: string | null;
  assigned_name: string | null;
  assigned_agency_name: string | null;
}

const REVIEW_SELECT = `SELECT r.*, o.result AS opinion_result, o.opinion, o.problems, o.checklist, o.reviewer_name, o.roster_id, o.on_date AS opinion_on, o.document_id, o.step_seq,
       x.roster_id AS assigned_roster_id, rv.name AS assigned_name, ra.name AS assigned_agency_name
  FROM legal_reviews r LEFT JOIN legal_review_opinions o ON o.review_id = r.id
  LEFT JOIN legal_review_assignments x ON x.review_id = r.id LEFT JOIN reviewers rv ON rv.id = x.roster_id LEFT JOIN agencies ra ON ra.id = rv.agency_id`;

export async function listReviews(q: Queryable, caseId: string) {
  return (await q.query<ReviewRow>(`${REVIEW_SELECT} WHERE r.case_id = $1 ORDER BY r.round`, [caseId])).rows;
}

export async function insertReview(q: Queryable, r: { id: string; caseId: string; round: number; by: string | null; name: string; on: string; summary: string; proposedDecision: string; materials: object[]; eventId: number }) {
  await q.query(
    `INSERT INTO legal_reviews (id, case_id, round, submitted_by, submitter_name, on_date, summary, proposed_decision, materials, declaration, event_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,true,$10)`,
    [r.id, r.caseId, r.round, r.by, r.name, r.on, r.summary, r.proposedDecision, JSON.stringify(r.materials), r.eventId],
  );
}

export async function insertOpinion(
  q: Queryable,
  o: { reviewId: string; caseId: string; reviewerId: string; reviewerName: string; rosterId: string | null; checklist: object; result: string; opinion: string; problems: string[]; on: string; documentId: string; stepSeq: number; eventId: number },
) {
  await q.query(
    `INSERT INTO legal_review_opinions (review_id, case_id, reviewer_id, reviewer_name, roster_id, checklist, result, opinion, problems, on_date, document_id, step_seq, event_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
    [o.reviewId, o.caseId, o.reviewerId, o.reviewerName, o.rosterId, JSON.stringify(o.checklist), o.result, o.opinion, JSON.stringify(o.problems), o.on, o.documentId, o.stepSeq, o.eventId],
  );
}

// ---- events of a case (for the history and the archive package) ----

export interface CaseEventRow {
  id: number;
  kind: string;
  subject_type: string;
  subject_id: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  salt: Buffer;
  commitment: Buffer;
  created_at: Date;
}

export async function caseEvents(q: Queryable, caseId: string, extraSubjects: { type: string; id: string }[] = []) {
  const types = ['case', ...extraSubjects.map((s) => s.type)];
  const ids = [caseId, ...extraSubjects.map((s) => s.id)];
  return (
    await q.query<CaseEventRow>(
      `SELECT e.id, e.kind, e.subject_type, e.subject_id, e.actor_id, e.data, e.salt, e.commitment, e.created_at
         FROM events e JOIN unnest($1::text[], $2::text[]) AS s(t, i) ON e.subject_type = s.t AND e.subject_id = s.i
        ORDER BY e.id`,
      [types, ids],
    )
  ).rows;
}

export async function userName(q: Queryable, id: string): Promise<string | undefined> {
  return (await q.query<{ display_name: string }>(`SELECT display_name FROM users WHERE id = $1`, [id])).rows[0]?.display_name;
}

/** Open cases with a running deadline, in id order from `after`, for recomputing their stored next deadline. */
export async function openCasesWithDeadline(q: Queryable, after: string | null, limit: number) {
  // updated_at as text: a JS Date would drop the microseconds the comparison in setNextDeadline needs.
  const { rows } = await q.query<{ id: string; procedure_id: string; procedure_version: number; state: ProcedureState; seen: string; next_deadline: string | null; next_deadline_clock: string | null; warn_from: string | null }>(
    `SELECT id, procedure_id, procedure_version, state, updated_at::text AS seen, next_deadline, next_deadline_clock, warn_from FROM cases
      WHERE status = 'open' AND next_deadline IS NOT NULL AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows;
}

/**
 * Sets the stored next deadline unless the case changed since it was read (a step performed meanwhile
 * stored its own, newer answer). Not a change of the case itself: updated_at stays.
 */
export async function setNextDeadline(q: Queryable, id: string, seen: string, next: { deadline: string; clock: string; warn: string } | null): Promise<boolean> {
  const r = await q.query(
    `UPDATE cases SET next_deadline = $3, next_deadline_clock = $4, warn_from = $5 WHERE id = $1 AND updated_at::text = $2`,
    [id, seen, next?.deadline ?? null, next?.clock ?? null, next?.warn ?? null],
  );
  return (r.affectedRows ?? 0) > 0;
}
