// The demo data holds a case standing on every main step of every procedure (issue 4 "Done when"),
// all made through the real use cases, so the demo shows documents, records, reviews and archives.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, startTestApp, type TestApp } from './helpers/app.ts';
import { DEMO_PASSWORD, loadDemo } from '../src/seed/demo.ts';
import { loadCaseDemo, type CaseDemoResult } from '../src/cases/demo.ts';
import { listDefinitions } from '../src/cases/procedures/index.ts';

let app: TestApp;
let ids: Map<string, string>;
let result: CaseDemoResult;
let ms = 0;

beforeAll(async () => {
  app = await startTestApp({ DATA_DIR: `/tmp/sx-cases-demo-${crypto.randomBytes(4).toString('hex')}` });
  ids = await loadDemo(app.ctx);
  const t0 = performance.now();
  result = await loadCaseDemo(app.ctx, ids);
  ms = performance.now() - t0;
}, 600_000);
afterAll(async () => {
  await app?.close();
  fs.rmSync(app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('demo cases', () => {
  it('stand on every main step of every procedure for the city market regulator', async () => {
    const { rows } = await app.ctx.db.query<{ procedure_id: string; cursor: string }>(`SELECT DISTINCT procedure_id, cursor FROM cases WHERE agency_id = $1`, [ids.get('city_scjg')]);
    for (const def of listDefinitions()) {
      const mains = def.steps.filter((s) => s.kind === 'main').map((s) => s.key).sort();
      const at = rows.filter((r) => r.procedure_id === def.id).map((r) => r.cursor).sort();
      expect(at, def.id).toEqual(mains);
    }
    console.log(`demo cases: ${result.cases} in ${(ms / 1000).toFixed(1)} s`, result.byProcedure);
  });

  it('include archived cases whose file is complete, and cases of other agencies', async () => {
    const { rows } = await app.ctx.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM cases GROUP BY status`);
    expect(rows.find((r) => r.status === "archived")!.n).toBeGreaterThanOrEqual(5);
    const agencies = await app.ctx.db.query<{ n: number }>(`SELECT count(DISTINCT agency_id)::int AS n FROM cases`);
    expect(agencies.rows[0]!.n).toBeGreaterThan(5);
    const av = await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_records WHERE kind = 'video'`);
    expect(av.rows[0]!.n).toBeGreaterThan(5);
  });

  it('put a review on the justice bureau adviser’s desk: sfj_reviewer sees that one case and nothing else of the agency (R-L03)', async () => {
    const adviser = as(app, await login(app, 'sfj_reviewer', DEMO_PASSWORD));
    const list = (await adviser('GET', '/api/v1/cases?pageSize=200')).json() as { items: { id: string; title: string }[] };
    expect(list.items.map((c) => c.title)).toEqual(['多重法律关系的复杂案件（指派市司法局法律顾问审核）']);
    const view = (await adviser('GET', `/api/v1/cases/${list.items[0]!.id}`)).json() as { reviews: { status: string; opinion: unknown }[] };
    expect(view.reviews.map((r) => [r.status, r.opinion])).toEqual([['pending', null]]);
  });
});
