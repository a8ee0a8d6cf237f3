// The supervisor's cockpit (issue 12): alerts by kind, agency and month, matters and their clocks,
// complaints by stage, for the caller's scope (a supervisor's jurisdiction, an agency's own). Each
// number is returned with the filter that lists what it counts, so the page drills down to the items.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { forbidden } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { ALERT_KIND_LABELS, type AlertKind } from './rules.ts';
import { supervisionScope } from './policy.ts';
import { COMPLAINT_STATUS_LABELS } from './complaints.ts';
import { MATTER_STATUS_LABELS } from './matters.ts';

function scope(actor: Actor, alias: string, params: unknown[], agencyColumn = 'agency_id'): string {
  const s = supervisionScope(actor);
  if (!s) throw forbidden('API 令牌无权访问执法监督数据。');
  if (s.kind === 'all') return 'TRUE';
  if (s.kind === 'region') return `${alias}.region_code LIKE $${params.push(s.prefix)} || '%'`;
  return `${alias}.${agencyColumn} = $${params.push(s.agencyId)}`;
}

export async function supervisionSummary(ctx: AppContext, actor: Actor) {
  const today = todayInShanghai();
  const pa: unknown[] = [];
  const wa = scope(actor, 's', pa);
  const pm: unknown[] = [today];
  const wm = scope(actor, 'm', pm);
  const pc: unknown[] = [today];
  const wc = scope(actor, 'c', pc, 'handler_id');
  const [byKind, byAgency, byMonth, matters, complaints] = await Promise.all([
    // Alerts from their counters (migration 0170), not the alerts themselves: rows per agency, kind, status and month.
    ctx.db.query<{ kind: string; open: number; answered: number; resolved: number }>(
      `SELECT kind, coalesce(sum(n) FILTER (WHERE status = 'open'), 0)::int AS open, coalesce(sum(n) FILTER (WHERE status = 'answered'), 0)::int AS answered,
          coalesce(sum(n) FILTER (WHERE status = 'resolved'), 0)::int AS resolved FROM supervision_alert_counts s WHERE ${wa} GROUP BY kind HAVING sum(n) > 0`, pa),
    ctx.db.query<{ agency_id: string; name: string; open: number; total: number }>(
      `SELECT s.agency_id, a.name, coalesce(sum(s.n) FILTER (WHERE s.status <> 'resolved'), 0)::int AS open, sum(s.n)::int AS total
         FROM supervision_alert_counts s JOIN agencies a ON a.id = s.agency_id WHERE ${wa} GROUP BY 1, 2 HAVING sum(s.n) > 0 ORDER BY open DESC, total DESC LIMIT 20`, pa),
    ctx.db.query<{ month: string; n: number }>(
      `SELECT to_char(month, 'YYYY-MM') AS month, sum(n)::int AS n FROM supervision_alert_counts s WHERE ${wa} GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1 DESC LIMIT 12`, pa),
    ctx.db.query<{ status: string; n: number; overdue: number }>(
      `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE (status = 'notified' AND explanation_due < $1::date) OR (status = 'instrument_issued' AND correction_due < $1::date)
          OR (status = 'objected' AND objection_due < $1::date))::int AS overdue FROM supervision_matters m WHERE ${wm} GROUP BY status`, pm),
    ctx.db.query<{ status: string; n: number; overdue: number }>(
      `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE (status = 'submitted' AND accept_by < $1::date) OR (status = 'accepted' AND close_by < $1::date))::int AS overdue
         FROM complaints c WHERE ${wc} GROUP BY status`, pc),
  ]);
  return {
    role: actor.role,
    alerts: {
      byKind: byKind.rows.map((r) => ({ kind: r.kind, label: ALERT_KIND_LABELS[r.kind as AlertKind] ?? r.kind, open: r.open, answered: r.answered, resolved: r.resolved })),
      byAgency: byAgency.rows.map((r) => ({ agency: { id: r.agency_id, name: r.name }, open: r.open, total: r.total })),
      byMonth: byMonth.rows.reverse(),
    },
    matters: matters.rows.map((r) => ({ status: r.status, label: MATTER_STATUS_LABELS[r.status], count: r.n, overdue: r.overdue })),
    complaints: complaints.rows.map((r) => ({ status: r.status, label: COMPLAINT_STATUS_LABELS[r.status], count: r.n, overdue: r.overdue })),
  };
}
