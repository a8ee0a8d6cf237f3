// R-R08, the full recomputation at scale: the batch reads each batch's facts in one query and they are the
// facts the per-case path (the step's own evaluation) reads; the id ranges run at once on PostgreSQL cover
// every case exactly once; a parallel recomputation raises exactly what the rules find case by case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { generateCases } from '../src/cases/generate.ts';
import { caseFacts, caseFactsBatch } from '../src/cases/supervision-facts.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { todayInShanghai } from '../src/platform/validation.ts';
import { idRanges, recomputeAlerts } from '../src/supervision/alerts.ts';
import { evaluateCase } from '../src/supervision/rules.ts';
import * as alertStore from '../src/supervision/store.ts';

let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
  await generateCases(w.app.ctx, { cases: 400, seed: 'recompute' });
  // Generated steps name a synthetic crew: let a few name registered officers, whose certificates are then read.
  await w.app.ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{steps,0,officers,0,id}', to_jsonb($1::text))
    WHERE id IN (SELECT id FROM cases WHERE jsonb_array_length(state->'steps') > 0 ORDER BY id LIMIT 5)`, [w.officers[0]!.id]);
});
afterAll(async () => {
  await w?.app.close();
});

describe('full recomputation (R-R08)', () => {
  it('reads a batch in one query with the same facts as the per-case path', async () => {
    const db = w.app.ctx.db;
    const batch = await caseFactsBatch(db, { afterId: null, limit: 100_000, from: '2000-01-01' });
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    expect(batch).toHaveLength(rows[0]!.n);
    expect(batch.some((f) => Object.keys(f.certificates).length > 0)).toBe(true);
    for (const f of batch) expect(f).toEqual(await caseFacts(db, f.id));
  });

  it('splits the ids into ranges that hold every id exactly once, bounds included', () => {
    const ranges = idRanges(3);
    const within = (id: string) => ranges.filter((r) => (r.after === null ? id > '00000000-0000-0000-0000-000000000000' : id > r.after) && (r.before === null || id < r.before)).length;
    const ids = [...Array.from({ length: 500 }, () => crypto.randomUUID()), ...ranges.flatMap((r) => [r.before, r.after].filter((x): x is string => !!x)), 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    for (const id of ids) expect(within(id), id).toBe(1);
  });

  it('raises exactly what the rules find case by case, whatever the number of ranges at once', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const r = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect(r.workers).toBe(ctx.db.engine === 'postgres' ? 3 : 1);
    const facts = await caseFactsBatch(ctx.db, { afterId: null, limit: 100_000, from: '2000-01-01' });
    expect(r.cases).toBe(facts.length);
    const cal = await getCalendar(ctx.db);
    const expected = facts.flatMap((f) => evaluateCase({ ...f, discretion: null }, asOf, cal).map((x) => `${x.kind}:${f.id}`)).sort();
    expect(expected.length).toBeGreaterThan(50);
    const { rows } = await ctx.db.query<{ subject_key: string }>(`SELECT subject_key FROM supervision_alerts WHERE case_id IS NOT NULL AND kind NOT IN ('publication_overdue', 'withdrawal_overdue', 'discretion_outlier')`);
    expect(rows.map((x) => x.subject_key).sort()).toEqual(expected.filter((k) => !k.startsWith('discretion_outlier:')));
    // A second pass finds nothing new and closes nothing.
    const again = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect({ raised: again.raised, closed: again.closed, cases: again.cases }).toEqual({ raised: 0, closed: 0, cases: facts.length });
  });
  it('closes the unresolved alerts whose problem the rules no longer find, and leaves resolved ones as they are', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    // Alerts of a kind the rules do not find for that case (the pass above raised every finding): one open,
    // one already resolved by a supervisor; and the case's real alerts, which stay open.
    const { rows } = await ctx.db.query<{ id: string; kind: string; rule_code: string; rule_version: number; severity: string; basis: string; agency_id: string; region_code: string; case_id: string; raised_on: string }>(
      `SELECT a.id, a.kind, a.rule_code, a.rule_version, a.severity, a.basis, a.agency_id, a.region_code, a.case_id, a.raised_on::text
         FROM supervision_alerts a WHERE a.case_id IS NOT NULL AND a.status = 'open' ORDER BY a.id`);
    const kinds = [...new Set(rows.map((r) => r.kind))];
    const spare = (caseId: string) => rows.find((r) => r.case_id !== caseId && !rows.some((x) => x.case_id === caseId && x.kind === r.kind))!;
    const [c1, c2] = [...new Set(rows.map((r) => r.case_id))].filter((c) => rows.filter((r) => r.case_id === c).length < kinds.length);
    expect(c1 && c2).toBeTruthy();
    const fake = [c1!, c2!].map((caseId) => {
      const t = spare(caseId);
      return { id: crypto.randomUUID(), subjectKey: `${t.kind}:${caseId}`, kind: t.kind, ruleCode: t.rule_code, ruleVersion: t.rule_version, severity: t.severity, basis: t.basis, agencyId: t.agency_id, regionCode: t.region_code, caseId, raisedOn: t.raised_on, detail: {} };
    });
    expect((await alertStore.insertAlerts(ctx.db, fake)).size).toBe(2);
    await alertStore.resolveAlert(ctx.db, fake[1]!.id, null, '监督人员已核实办结');
    const realOfC1 = rows.filter((r) => r.case_id === c1).map((r) => r.id);

    const r = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect({ raised: r.raised, closed: r.closed }).toEqual({ raised: 0, closed: 1 });
    const after = async (id: string) => (await ctx.db.query<{ status: string; resolution: string | null; resolved_by: string | null }>(`SELECT status, resolution, resolved_by FROM supervision_alerts WHERE id = $1`, [id])).rows[0]!;
    expect(await after(fake[0]!.id)).toEqual({ status: 'resolved', resolution: '重新计算时问题已不存在，系统自动关闭', resolved_by: null });
    expect((await after(fake[1]!.id)).resolution).toBe('监督人员已核实办结');
    for (const id of realOfC1) expect((await after(id)).status).toBe('open');
  });
});
