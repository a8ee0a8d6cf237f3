// The case generator: synthetic cases at scale over the agencies, every procedure and stage, with
// the list filters working on them (bench/cases.ts measures the same at a million).
import fs from 'node:fs';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, as, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { generateCases } from '../src/cases/demo.ts';

let app: TestApp;
let ids: Map<string, string>;

beforeAll(async () => {
  app = await startTestApp({ DATA_DIR: `/tmp/sx-cases-gen-${crypto.randomBytes(4).toString('hex')}` });
  ids = await loadDemo(app.ctx);
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('generateCases', () => {
  it('writes cases in batches over every procedure, one ledger entry per batch', async () => {
    const r = await generateCases(app.ctx, { cases: 3000, seed: 7, batch: 1000 });
    expect(r.cases).toBe(3000);
    const { rows } = await app.ctx.db.query<{ procedures: number; stages: number; statuses: number; agencies: number; overdue: number }>(
      `SELECT count(DISTINCT procedure_id)::int AS procedures, count(DISTINCT stage)::int AS stages, count(DISTINCT status)::int AS statuses,
              count(DISTINCT agency_id)::int AS agencies, count(*) FILTER (WHERE status = 'open' AND next_deadline < CURRENT_DATE)::int AS overdue FROM cases`,
    );
    expect(rows[0]).toMatchObject({ procedures: 5, statuses: 2 });
    expect(rows[0]!.stages).toBeGreaterThan(8);
    expect(rows[0]!.agencies).toBeGreaterThan(5);
    expect(rows[0]!.overdue).toBeGreaterThan(0);
    const events = await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE kind = 'cases.generated'`);
    expect(events.rows[0]!.n).toBe(3);
    // Steps name certified officers of the case's own agency, whose certificates cover the step's day (证件过期仍执法
    // is then a real finding, not an artefact of the generator).
    const { rows: crew } = await app.ctx.db.query<{ named: number; foreign: number; uncovered: number }>(
      `SELECT count(*)::int AS named, count(*) FILTER (WHERE o.id IS NULL OR o.agency_id <> c.agency_id)::int AS foreign,
              count(*) FILTER (WHERE o.status <> 'valid' OR s.step->>'on' < o.valid_from::text OR s.step->>'on' > o.valid_to::text)::int AS uncovered
         FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.state->'steps') AS s(step) CROSS JOIN LATERAL jsonb_array_elements(s.step->'officers') AS m(officer)
         LEFT JOIN officers o ON o.id::text = m.officer->>'id'`,
    );
    expect(crew[0]!.named).toBeGreaterThan(3000);
    expect(crew[0]).toMatchObject({ foreign: 0, uncovered: 0 });
    // Numbers continue on a second run and never collide.
    await generateCases(app.ctx, { cases: 500, seed: 8 });
    const dup = await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT agency_id, number FROM cases GROUP BY 1, 2 HAVING count(*) > 1) d`);
    expect(dup.rows[0]!.n).toBe(0);
  });

  it('the agency’s list filters by stage, status, procedure and clock', async () => {
    const api = as(app, await login(app, 'scjg_officer', DEMO_PASSWORD));
    const all = (await api('GET', '/api/v1/cases?pageSize=5')).json();
    expect(all.total).toBeGreaterThan(50);
    for (const it of all.items) expect(it.agencyId).toBe(ids.get('city_scjg'));
    const overdue = (await api('GET', '/api/v1/cases?clock=overdue&pageSize=200')).json();
    for (const it of overdue.items) expect(it.clock).toBe('overdue');
    const inv = (await api('GET', '/api/v1/cases?stage=investigate&procedureId=penalty-general&status=open')).json();
    for (const it of inv.items) expect(it).toMatchObject({ stage: 'investigate', procedureId: 'penalty-general', status: 'open' });
    const one = all.items[0];
    const byNumber = (await api('GET', `/api/v1/cases?q=${encodeURIComponent(one.number)}`)).json();
    expect(byNumber.items.map((i: { id: string }) => i.id)).toContain(one.id);
    // A generated case can be worked on like any other: its state is a real engine state.
    const view = await api('GET', `/api/v1/cases/${one.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().clocks).toBeInstanceOf(Array);
  });
});
