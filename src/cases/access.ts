// Shared pieces of the case use cases: loading a case within the actor's scope (404 outside it),
// refusing forbidden writes (403, audited), the officers' certificates from the registry (R-P08), the
// catalog's answer (R-L04/R-L09) and the summary columns the list filters on.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { addDays } from '../platform/calendar/index.ts';
import * as registry from '../registry/service.ts';
import { routedToReviewer } from '../review/bodies.ts';
import { DEFAULT_CATALOG, evaluateCatalog } from '../review/catalog.ts';
import {
  clockStatus, setFacts, STAGE_LABELS,
  type OfficerCredential, type ProcedureCalendar, type ProcedureDefinition, type ProcedureState,
} from './procedures/index.ts';
import * as policy from './policy.ts';
import * as rulesRepo from './rules-store.ts';
import type { CatalogEntry, CaseProfile } from './schema.ts';
import * as casesRepo from './store.ts';

export const actorUserId = (a: Actor) => (a.kind === 'user' ? a.id : null);
export const agencyRef = (row: { agency_id: string; agency_region: string }) => ({ id: row.agency_id, region_code: row.agency_region });

export async function denied(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: string, subject?: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { subject: subject ?? null } });
  throw new AppError('forbidden', { detail });
}

/** The case if the actor may read it; otherwise 404, the same as a case that does not exist. */
export async function loadCase(q: Queryable, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<casesRepo.CaseRow> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await casesRepo.getCase(q, id, opts) : undefined;
  if (!row) throw notFound('案件');
  if (policy.canReadCase(actor, agencyRef(row))) return row;
  if (policy.mayReadByAssignment(actor, agencyRef(row)) && (await isAssignedReviewer(q, row.id, actor.id))) return row;
  throw notFound('案件');
}

/** R-L03: the actor's active, shared roster entry is assigned to a submission of this case. */
async function isAssignedReviewer(q: Queryable, caseId: string, userId: string): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM legal_review_assignments x JOIN reviewers r ON r.id = x.roster_id
      WHERE x.case_id = $1 AND r.user_id = $2 AND r.active AND r.shared LIMIT 1`,
    [caseId, userId],
  );
  return rows.length > 0 || routedToReviewer(q, caseId, userId);
}

/** Loads a case the actor works on: 404 outside the read scope, 403 (audited) when read-only. */
export async function loadCaseForWork(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, action: string): Promise<casesRepo.CaseRow> {
  const row = await loadCase(ctx.db, actor, id);
  if (!policy.canWorkOnCase(actor, agencyRef(row))) await denied(ctx, req, actor, action, '只有本机关的执法人员、负责人和法制审核人员可以办理该案件。', id);
  return row;
}

/**
 * R-P08: the named officers with the certificate data the registry holds today. The registry has one
 * category and one area per certificate; the engine takes lists. Unknown or out-of-scope ids are a
 * validation error naming the field.
 */
export async function officerCredentials(ctx: AppContext, actor: Actor, agencyId: string, ids: readonly string[], field = 'officerIds'): Promise<OfficerCredential[]> {
  const out: OfficerCredential[] = [];
  const seen = new Set<string>();
  // The same officer named twice counts once (R-P08), but a refusal names the place in the request.
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) continue;
    seen.add(id);
    let o: Awaited<ReturnType<typeof registry.getOfficer>>;
    try {
      // Looked up as a member of the case's agency: only its own officers can be named on its steps.
      o = await registry.getOfficer(ctx, { ...actor, kind: 'user', role: 'officer', agencyId, jurisdiction: null }, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw new AppError('validation', { detail: `执法人员 ${id} 不存在或不属于本机关。`, errors: [{ field: `${field}.${i}`, message: '执法人员不存在或不属于本机关' }] });
      throw err;
    }
    out.push({
      id: o.id,
      name: o.name,
      certificate: {
        number: o.certificateNumber,
        status: o.status as 'valid' | 'suspended' | 'revoked',
        validFrom: o.validFrom,
        validTo: o.validTo,
        categories: [o.category],
        areas: [o.area],
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The catalog's answer (R-L04, R-L09)

export interface CatalogDecision {
  state: ProcedureState;
  major: boolean | null;
  catalogId: string | null;
  catalogVersion: number | null;
  matched: { code: string; title: string }[];
}

/**
 * Evaluates the agency's catalog in force on `on` (or the default catalog when it has published none)
 * and sets `majorDecision` in the state when the definition has that fact. Which version decided is
 * returned to be stored with the case and the step.
 */
export async function applyCatalog(
  q: Queryable,
  def: ProcedureDefinition,
  c: { agencyId: string; caseType: string; profile: Partial<CaseProfile> },
  state: ProcedureState,
  on: string,
): Promise<CatalogDecision> {
  if (!def.facts.some((f) => f.key === 'majorDecision')) return { state, major: null, catalogId: null, catalogVersion: null, matched: [] };
  const catalog = await rulesRepo.effective<CatalogEntry[]>(q, 'major_decision_catalogs', c.agencyId, on);
  const answer = evaluateCatalog(catalog?.body ?? DEFAULT_CATALOG, {
    procedureId: def.id,
    baseProcedureId: def.basedOn?.id ?? null,
    caseType: c.caseType,
    facts: state.facts,
    profile: c.profile,
  });
  let next = state;
  if (state.facts.majorDecision !== answer.major) {
    const r = setFacts(def, state, { majorDecision: answer.major });
    if (!r.ok) throw new AppError('internal', { detail: r.refusals.map((x) => x.reason).join('；') });
    next = r.state;
  }
  return { state: next, major: answer.major, catalogId: catalog?.id ?? null, catalogVersion: catalog?.version ?? null, matched: answer.matched };
}

// ---------------------------------------------------------------------------------------------------
// Summary columns for the case list

/** The day from which a warning shows: `days` working (or calendar) days before the deadline. */
function warnFrom(cal: ProcedureCalendar, deadline: string, days: number, working: boolean): string {
  if (days <= 0) return deadline;
  if (!working) return addDays(deadline, -days);
  let d = deadline;
  let left = days;
  while (left > 0) {
    d = addDays(d, -1);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/** The running deadline that falls first, with the day its warning starts (what the case list filters on). */
export function nextDeadline(def: ProcedureDefinition, state: ProcedureState, cal: ProcedureCalendar, today: string): { deadline: string; clock: string; warn: string } | null {
  let next: { deadline: string; clock: string; warn: string } | null = null;
  for (const c of clockStatus(def, state, today, cal)) {
    if (c.kind !== 'deadline' || c.status !== 'running') continue;
    const d = def.clocks.find((x) => x.key === c.key)!;
    if (!next || c.deadline < next.deadline) next = { deadline: c.deadline, clock: c.key, warn: warnFrom(cal, c.deadline, d.warnBeforeDays, d.unit === 'working') };
  }
  return next;
}

export function summarise(def: ProcedureDefinition, state: ProcedureState, cal: ProcedureCalendar, today: string, catalog: Omit<CatalogDecision, 'state'>): casesRepo.CaseSummary {
  const step = state.cursor ? def.steps.find((s) => s.key === state.cursor) : undefined;
  const next = nextDeadline(def, state, cal, today);
  return {
    cursor: state.cursor,
    stage: step?.stage ?? null,
    status: state.finished ? (state.cursor === 'archive' ? 'archived' : 'finished') : 'open',
    nextDeadline: next?.deadline ?? null,
    nextDeadlineClock: next?.clock ?? null,
    warnFrom: next?.warn ?? null,
    stepCount: state.steps.length,
    majorDecision: catalog.major,
    majorCatalogId: catalog.catalogId,
    majorCatalogVersion: catalog.catalogVersion,
    majorEntries: catalog.matched,
  };
}

export function stageLabel(stage: string | null): string {
  return stage ? (STAGE_LABELS as Record<string, string>)[stage] ?? stage : '待办理';
}

/** R-R07: an archived file is closed; nothing is added to it (access and disclosures remain possible). */
export function refuseIfArchived(row: casesRepo.CaseRow) {
  if (row.status === 'archived') throw new AppError('invalid_state', { detail: `案件${row.number}已归档，案卷不得再增加或修改内容。` });
}
