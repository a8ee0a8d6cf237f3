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
});
