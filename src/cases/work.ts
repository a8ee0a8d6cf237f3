// What waits on one person in the cases domain (issue 9, "a desk for every role"): the items the desk
// service (src/desk) puts on /api/v1/me/work. Every query is bounded by the signed-in person AND their
// agency, so an item never reaches anyone else; indexes in 0135_desk_indexes.sql keep each one an index
// scan even with 100,000 cases in the agency (bench/desk.ts).
// Review rows (legal_reviews, opinions, assignments) are read here in two queries only, to be re-pointed
// at the review domain's service when it exists.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { definitionOf } from './definitions.ts';
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
  const [cases, drafts, records, returned] = await Promise.all([
    ctx.db.query<OpenCase>(
      `SELECT id, number, title, procedure_id, procedure_version, state, next_deadline::text, next_deadline_clock
         FROM cases WHERE created_by = $1 AND agency_id = $2 AND status = 'open'
        ORDER BY next_deadline NULLS LAST, created_at DESC LIMIT ${LIMIT}`,
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
    ctx.db.query<{ case_id: string; round: number; number: string; title: string; on_date: string; next_deadline: string | null }>(
      `SELECT r.case_id, r.round, c.number, c.title, o.on_date::text, c.next_deadline::text
         FROM legal_reviews r JOIN legal_review_opinions o ON o.review_id = r.id JOIN cases c ON c.id = r.case_id
        WHERE r.submitted_by = $1 AND c.agency_id = $2 AND c.status = 'open' AND o.result = 'problems'
          AND NOT EXISTS (SELECT 1 FROM legal_reviews n WHERE n.case_id = r.case_id AND n.round > r.round)
        ORDER BY o.on_date LIMIT ${LIMIT}`,
      [me, agency],
    ),
  ]);
  const items: WorkItem[] = returned.rows.map((r) => ({
    kind: 'review_returned', title: `${r.number} ${r.title}：第 ${r.round} 次法制审核退回补正（${r.on_date}）`, caseId: r.case_id, due: r.next_deadline, href: caseHref(r.case_id, 'reviews'),
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

/** Head (R-L09: the head answers for them): approvals, extensions and disclosures waiting, the agency's overdue clocks. */
export async function headWork(ctx: AppContext, actor: Actor): Promise<WorkItem[]> {
  const agency = actor.agencyId;
  const today = todayInShanghai();
  const [recent, clocks, disclosures] = await Promise.all([
    // The newest open cases: whose next step needs the head's approval, not yet given.
    ctx.db.query<OpenCase & { approved: string[] }>(
      `SELECT c.id, c.number, c.title, c.procedure_id, c.procedure_version, c.state, c.next_deadline::text, c.next_deadline_clock,
              ARRAY(SELECT a.step FROM case_approvals a WHERE a.case_id = c.id AND a.purpose = 'step'
                     AND NOT EXISTS (SELECT 1 FROM case_steps s WHERE s.approval_id = a.id)) AS approved
         FROM cases c WHERE c.agency_id = $1 AND c.status = 'open' ORDER BY c.created_at DESC LIMIT 200`,
      [agency],
    ),
    ctx.db.query<OpenCase & { warn_from: string | null }>(
      `SELECT id, number, title, procedure_id, procedure_version, state, next_deadline::text, next_deadline_clock, warn_from::text
         FROM cases WHERE agency_id = $1 AND status = 'open' AND next_deadline IS NOT NULL AND (next_deadline < $2 OR warn_from <= $2)
        ORDER BY next_deadline LIMIT ${LIMIT}`,
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
  for (const c of recent.rows) {
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
  const entry = await registry.rosterEntryOfUser(ctx.db, actor.id);
  if (!entry?.active) return [];
  const own = entry.agencyId === actor.agencyId;
  const { rows } = await ctx.db.query<{ case_id: string; round: number; number: string; title: string; on_date: string; next_deadline: string | null }>(
    `SELECT r.case_id, r.round, c.number, c.title, r.on_date::text, c.next_deadline::text
       FROM legal_reviews r JOIN cases c ON c.id = r.case_id LEFT JOIN legal_review_assignments x ON x.review_id = r.id
      WHERE NOT EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.review_id = r.id)
        AND (x.roster_id = $1 OR ($2 AND x.roster_id IS NULL AND c.agency_id = $3))
      ORDER BY r.on_date, r.created_at LIMIT ${LIMIT}`,
    [entry.id, own, actor.agencyId],
  );
  const items: WorkItem[] = rows.map((r) => ({
    kind: 'review', title: `${r.number} ${r.title}：第 ${r.round} 次报送法制审核（${r.on_date} 报送）`, caseId: r.case_id, due: r.next_deadline, href: caseHref(r.case_id, 'reviews'),
  }));
  items.push({ kind: 'workload', title: `待审核 ${rows.length}${rows.length === LIMIT ? '+' : ''} 件`, caseId: null, due: null, href: '/admin/cases' });
  return items;
}
