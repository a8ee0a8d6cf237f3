// R-R08, the cockpit's alert counters (migration 0170): kept in the same transaction as every alert insert
// and status change, they equal a GROUP BY over the alerts after raising (step and recomputation, twice),
// answering, resolving, closing and re-opening; the cockpit's numbers are those of the alerts themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

async function openAndFile(on: string): Promise<string> {
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
  expect(r.statusCode, r.body).toBe(201);
  const c = r.json() as { id: string; number: string; title: string };
  const info = caseInfo(c, w.officers);
  const officerIds = w.officers.slice(0, 2).map((o) => o.id);
  expect((await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'intake', on, officerIds, facts: { partyType: 'legal_person' }, documents: docs(['case_source_record'], on, info) })).statusCode).toBe(201);
  expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on, opinion: '同意。' })).statusCode).toBe(201);
  expect((await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'filing', on, officerIds, documents: docs(['filing_approval'], on, info) })).statusCode).toBe(201);
  return c.id;
}

type Row = { agency_id: string; region_code: string; kind: string; status: string; month: string; n: number };
const key = (r: Row) => `${r.agency_id}|${r.region_code}|${r.kind}|${r.status}|${r.month}`;
const sorted = (rows: Row[]) => rows.map((r) => `${key(r)}=${r.n}`).sort();

async function counters() {
  const { rows } = await w.app.ctx.db.query<Row>(
    `SELECT agency_id, region_code, kind, status, to_char(month, 'YYYY-MM') AS month, n FROM supervision_alert_counts WHERE n > 0`);
  return sorted(rows);
}
async function groupBy() {
  const { rows } = await w.app.ctx.db.query<Row>(
    `SELECT agency_id, region_code, kind, status, to_char(raised_on, 'YYYY-MM') AS month, count(*)::int AS n FROM supervision_alerts GROUP BY 1, 2, 3, 4, 5`);
  return sorted(rows);
}

describe('alert counters for the cockpit (R-R08)', () => {
  it('equal a GROUP BY over the alerts after raising, answering, resolving, closing and re-opening', async () => {
    await openAndFile('2026-07-01'); // overdue_decision, raised in the step's transaction
    await openAndFile('2026-06-15');
    expect((await w.api.citySupervisor('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' })).statusCode).toBe(200);
    const raised = await groupBy();
    expect(raised.length).toBeGreaterThan(1);
    expect(await counters()).toEqual(raised);
    // A second pass finds the same problems: ON CONFLICT DO NOTHING counts nothing twice.
    expect((await w.api.citySupervisor('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' })).statusCode).toBe(200);
    expect(await counters()).toEqual(raised);

    const { rows: ours } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM supervision_alerts WHERE kind = 'overdue_decision' ORDER BY raised_on`);
    expect(ours.length).toBe(2);
    const ans = await w.api.head('POST', `/api/v1/supervision/alerts/${ours[0]!.id}/answer`, { answer: '已补充延期审批。' });
    expect(ans.statusCode, ans.body).toBe(200);
    expect((await w.api.citySupervisor('POST', `/api/v1/supervision/alerts/${ours[1]!.id}/resolve`, { resolution: '已督促整改。' })).statusCode).toBe(200);
    expect(await counters()).toEqual(await groupBy());

    // Closing many in one statement (as a recomputation does), then re-opening some: any writer, any row count.
    const { rows: zero } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM supervision_alerts WHERE kind = 'zero_enforcement' ORDER BY id`);
    expect(zero.length).toBeGreaterThan(2);
    await w.app.ctx.db.query(`UPDATE supervision_alerts SET status = 'resolved', resolution = '重新计算时问题已不存在，系统自动关闭', resolved_at = now() WHERE id = ANY($1::uuid[])`, [zero.map((z) => z.id)]);
    expect(await counters()).toEqual(await groupBy());
    await w.app.ctx.db.query(`UPDATE supervision_alerts SET status = 'open', resolution = NULL, resolved_at = NULL WHERE id = ANY($1::uuid[])`, [[zero[0]!.id, zero[1]!.id, ours[1]!.id]]);
    // An update that changes no counted column changes no counter.
    await w.app.ctx.db.query(`UPDATE supervision_alerts SET detail = detail || '{"note": 1}' WHERE id = $1`, [zero[2]!.id]);
    // A statement that fails rolls its counters back with it.
    await expect(w.app.ctx.db.query(`UPDATE supervision_alerts SET status = 'resolved' WHERE id = $1`, [zero[0]!.id])).rejects.toThrow(/check/);
    const after = await groupBy();
    expect(after).not.toEqual(raised);
    expect(await counters()).toEqual(after);
  });

  it('the cockpit’s alert numbers are the alerts’ own, within the jurisdiction', async () => {
    const checks: [typeof w.api.citySupervisor, string][] = [[w.api.citySupervisor, '3301'], [w.api.countySupervisor, '330106']];
    for (const [api, prefix] of checks) {
      const r = await api('GET', '/api/v1/supervision/summary');
      expect(r.statusCode, r.body).toBe(200);
      const { alerts } = r.json() as { alerts: { byKind: { kind: string; open: number; answered: number; resolved: number }[]; byAgency: { agency: { id: string }; open: number; total: number }[]; byMonth: { month: string; n: number }[] } };
      const { rows: kinds } = await w.app.ctx.db.query<{ kind: string; open: number; answered: number; resolved: number }>(
        `SELECT kind, count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'answered')::int AS answered,
            count(*) FILTER (WHERE status = 'resolved')::int AS resolved FROM supervision_alerts WHERE region_code LIKE $1 || '%' GROUP BY kind ORDER BY kind`, [prefix]);
      expect(kinds.length).toBeGreaterThan(0);
      expect(alerts.byKind.map(({ kind, open, answered, resolved }) => ({ kind, open, answered, resolved })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(kinds);
      const { rows: months } = await w.app.ctx.db.query<{ month: string; n: number }>(
        `SELECT to_char(raised_on, 'YYYY-MM') AS month, count(*)::int AS n FROM supervision_alerts WHERE region_code LIKE $1 || '%' GROUP BY 1 ORDER BY 1 DESC LIMIT 12`, [prefix]);
      expect(alerts.byMonth).toEqual(months.reverse());
      const { rows: agencies } = await w.app.ctx.db.query<{ id: string; open: number; total: number }>(
        `SELECT agency_id AS id, count(*) FILTER (WHERE status <> 'resolved')::int AS open, count(*)::int AS total FROM supervision_alerts WHERE region_code LIKE $1 || '%' GROUP BY 1`, [prefix]);
      const byId = new Map(agencies.map((a) => [a.id, a]));
      for (const a of alerts.byAgency) expect({ id: a.agency.id, open: a.open, total: a.total }).toEqual(byId.get(a.agency.id));
      expect(alerts.byAgency.length).toBe(Math.min(20, agencies.length));
    }
  });
});
