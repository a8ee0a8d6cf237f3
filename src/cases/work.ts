// What waits on one person in the cases domain (issue 9, "a desk for every role"): the items the desk
// service (src/desk) puts on /api/v1/me/work. Every query is bounded by the signed-in person AND their
// agency, so an item never reaches anyone else; indexes in 0135_desk_indexes.sql keep each one an index
// scan even with 100,000 cases in the agency (bench/desk.ts).
// Review items come from the review domain's service (src/review/service.ts), never its tables.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { returnedToSubmitter, reviewQueue } from '../review/service.ts';
import { cursorsBeforeApproval, definitionOf } from './definitions.ts';
import { availableSteps, type ProcedureDefinition, type ProcedureState } from './procedures/index.ts';

export interface WorkItem {
  kind: string;
  title: string;
  caseId: string | null;
  due: string | null;
  href: string;
}

const LIMIT = 50;
const caseHref = (id: string, tab?: string) => `/admin/cases/${id}${tab ? `?tab=${tab}` : ''}`;

interface OpenCase {
  id: string;
  number: string;
  title: string;
  procedure_id: string;
  procedure_version: number;
  state: ProcedureState;
  next_deadline: string | null;
  next_deadline_clock: string | null;
}

const clockName = (def: ProcedureDefinition, key: string | null) => (key ? def.clocks.find((c) => c.key === key)?.name ?? key : '');

/** Officer: my open cases with their next clock and the step waiting on me, drafts, loose records, returned reviews. */
export async function officerWork(ctx: AppContext, actor: Actor): Promise<WorkItem[]> {
  const me = actor.id;
  const agency = actor.agencyId;
  const today = todayInShanghai();
  // `cases.next_deadline` in ORDER BY: the bare name would be the selected ::text column, a sort that
  // reads every row instead of the index's date order.
  const [cases, drafts, records, returned] = await Promise.all([
    ctx.db.query<OpenCase>(
      `SELECT id, number, title, procedure_id, procedure_version, state, next_deadline::text, next_deadline_clock
         FROM cases WHERE created_by = $1 AND agency_id = $2 AND status = 'open'
        ORDER BY cases.next_deadline NULLS LAST, created_at DESC LIMIT ${LIMIT}`,
      [me, agency],
    ),
    ctx.db.query<{ id: string; case_id: string; title: string; number: string }>(
      `SELECT d.id, d.case_id, d.title, c.number FROM case_documents d JOIN cases c ON c.id = d.case_id
        WHERE d.created_by = $1 AND d.agency_id = $2 AND d.status = 'draft' ORDER BY d.created_at LIMIT ${LIMIT}`,
      [me, agency],
    ),
    // R-R01: a record not yet handed over to a step (claimed by none) stays on its recorder's desk.
    ctx.db.query<{ id: string; case_id: string; title: string; number: string; step: string }>(
      `SELECT r.id, r.case_id, r.title, c.number, r.step FROM case_records r JOIN cases c ON c.id = r.case_id
        WHERE r.created_by = $1 AND r.agency_id = $2 AND r.step_seq IS NULL AND c.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM case_step_records s WHERE s.record_id = r.id)
        ORDER BY r.created_at LIMIT ${LIMIT}`,
      [me, agency],
    ),
    // R-L07: the latest round I submitted came back with problems: answer and resubmit.
    returnedToSubmitter(ctx.db, me, agency, LIMIT),
  ]);
  const items: WorkItem[] = returned.map((r) => ({
    kind: 'review_returned', title: `${r.number} ${r.title}：第 ${r.round} 次法制审核退回补正（${r.on}）`, caseId: r.caseId, due: r.caseDue, href: caseHref(r.caseId, 'reviews'),
  }));
  for (const c of cases.rows) {
    const def = await definitionOf(ctx.db, c.procedure_id, c.procedure_version);
    const next = availableSteps(def, c.state).steps.find((s) => s.kind === 'main' && s.roles.includes('officer'));
    const step = next ? `待办：${next.name}` : '待办';
    const clock = c.next_deadline ? `；${clockName(def, c.next_deadline_clock)}${c.next_deadline < today ? '已于' : '于'} ${c.next_deadline} 届满${c.next_deadline < today ? '（已超期）' : ''}` : '';
    items.push({ kind: c.next_deadline ? 'clock' : 'step', title: `${c.number} ${c.title}：${step}${clock}`, caseId: c.id, due: c.next_deadline, href: caseHref(c.id) });
  }
  for (const d of drafts.rows) items.push({ kind: 'document', title: `${d.number}：文书「${d.title}」待定稿`, caseId: d.case_id, due: null, href: caseHref(d.case_id, 'documents') });
  for (const r of records.rows) items.push({ kind: 'record', title: `${r.number}：记录「${r.title}」待归入环节`, caseId: r.case_id, due: null, href: caseHref(r.case_id, 'records') });
  return items;
}

/**
 * The open cases of the agency whose next step needs the head's approval, not yet given, newest first.
 * Only cases standing where some procedure offers such a step are read (per cursor, newest first, from
 * the index cases_open_cursor), twice the desk's limit of them, so that the engine's own conditions can
 * still leave enough; not "the agency's 200 newest open cases", which missed an older case waiting.
 */
async function headApprovalCases(ctx: AppContext, agency: string): Promise<(OpenCase & { approved: string[] })[]> {
  const { cursors, atStart } = await cursorsBeforeApproval(ctx.db, 'agency_head');
  const candidates = `SELECT x.id, x.created_at FROM unnest($2::text[]) AS k(cursor) CROSS JOIN LATERAL (
        SELECT id, created_at FROM cases WHERE agency_id = $1 AND status = 'open' AND cursor = k.cursor ORDER BY created_at DESC LIMIT $3) x${
      atStart ? `\n      UNION ALL (SELECT id, created_at FROM cases WHERE agency_id = $1 AND status = 'open' AND cursor IS NULL ORDER BY created_at DESC LIMIT $3)` : ''}`;
  const { rows } = await ctx.db.query<OpenCase & { approved: string[] }>(
    `SELECT c.id, c.number, c.title, c.procedure_id, c.procedure_version, c.state, c.next_deadline::text, c.next_deadline_clock,
            ARRAY(SELECT a.step FROM case_approvals a WHERE a.case_id = c.id AND a.purpose = 'step'
                   AND NOT EXISTS (SELECT 1 FROM case_steps s WHERE s.approval_id = a.id)) AS approved
       FROM (${candidates} ORDER BY created_at DESC LIMIT $3) w JOIN cases c ON c.id = w.id ORDER BY w.created_at DESC`,
    [agency, cursors, LIMIT * 2],
  );
  return rows;
}

/** Head (R-L09: the head answers for them): approvals, extensions and disclosures waiting, the agency's overdue clocks. */
export async function headWork(ctx: AppContext, actor: Actor): Promise<WorkItem[]> {
  const agency = actor.agencyId;
  const today = todayInShanghai();
  const [recent, clocks, disclosures] = await Promise.all([
    headApprovalCases(ctx, agency),
    ctx.db.query<OpenCase & { warn_from: string | null }>(
      `SELECT id, number, title, procedure_id, procedure_version, state, next_deadline::text, next_deadline_clock, warn_from::text
         FROM cases WHERE agency_id = $1 AND status = 'open' AND next_deadline IS NOT NULL AND (next_deadline < $2 OR warn_from <= $2)
        ORDER BY cases.next_deadline LIMIT ${LIMIT}`,
      [agency, today],
    ),
    ctx.db.query<{ id: string; case_id: string; number: string; recipient: string; created_at: Date }>(
      `SELECT d.id, d.case_id, c.number, d.recipient, d.created_at FROM record_disclosures d JOIN cases c ON c.id = d.case_id
        WHERE c.agency_id = $1 AND NOT EXISTS (SELECT 1 FROM record_disclosure_decisions x WHERE x.disclosure_id = d.id)
        ORDER BY d.created_at LIMIT ${LIMIT}`,
      [agency],
    ),
  ]);
  const items: WorkItem[] = [];
  for (const c of recent) {
    const def = await definitionOf(ctx.db, c.procedure_id, c.procedure_version);
    const s = availableSteps(def, c.state).steps.find((x) => x.approvalRoles?.includes('agency_head') && !c.approved.includes(x.key));
    if (s) items.push({ kind: 'approval', title: `${c.number} ${c.title}：「${s.name}」待批准`, caseId: c.id, due: c.next_deadline, href: caseHref(c.id) });
    if (items.length >= LIMIT) break;
  }
  for (const c of clocks.rows) {
    const def = await definitionOf(ctx.db, c.procedure_id, c.procedure_version);
    const overdue = c.next_deadline! < today;
    items.push({
      kind: overdue ? 'overdue' : 'extension',
      title: `${c.number} ${c.title}：${clockName(def, c.next_deadline_clock)}${overdue ? `已于 ${c.next_deadline} 届满` : `将于 ${c.next_deadline} 届满，如需延长请审批`}`,
      caseId: c.id, due: c.next_deadline, href: caseHref(c.id),
    });
  }
  for (const d of disclosures.rows) items.push({ kind: 'disclosure', title: `${d.number}：向「${d.recipient}」提供执法记录待审批`, caseId: d.case_id, due: null, href: caseHref(d.case_id, 'records') });
  return items;
}

/** Reviewer (R-L03): submissions without an opinion assigned to my roster entry, or unassigned in my own agency; my workload. */
export async function reviewerWork(ctx: AppContext, actor: Actor): Promise<WorkItem[]> {
  const queue = await reviewQueue(ctx.db, actor.id, actor.agencyId, LIMIT);
  if (!queue) return [];
  const items: WorkItem[] = queue.items.map((r) => ({
    kind: 'review', title: `${r.number} ${r.title}：第 ${r.round} 次报送法制审核（${r.on} 报送）`, caseId: r.caseId, due: r.caseDue, href: caseHref(r.caseId, 'reviews'),
  }));
  items.push({ kind: 'workload', title: `待审核 ${queue.workload}${queue.more ? '+' : ''} 件`, caseId: null, due: null, href: '/admin/cases' });
  return items;
}
