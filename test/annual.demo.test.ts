// The issue 10 demo (src/annual/demo.ts): matter lists for every demo enforcement agency with written-out
// legal bases and a version history, a published service guide, and published 2025 statistics reports of
// several agencies and of the city, all visible on the portal without signing in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnnualDemo } from '../src/annual/demo.ts';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
const get = (url: string) => w.app.server.inject({ method: 'GET', url });

beforeAll(async () => {
  w = await caseWorld();
  await loadAnnualDemo(w.app.ctx, w.ids);
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

describe('issue 10 demo', () => {
  it('every demo enforcement agency has a published matter list with legal bases', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE kind = 'enforcement'`);
    for (const a of rows) {
      const items = (await get(`/api/v1/public/matters?agency=${a.id}`)).json().items as { legalBasis: { law: string }[] }[];
      expect(items.length, a.id).toBeGreaterThan(0);
      expect(items.every((i) => i.legalBasis.length > 0 && i.legalBasis[0]!.law.length > 2)).toBe(true);
    }
    const history = await get(`/matters/${w.ids.get('city_scjg')}/SC-XK-001`);
    expect(history.body).toContain('第 2 版（现行）');
  });

  it('shows a complete guide and the 2025 reports of three agencies and the city', async () => {
    const guides = (await get('/api/v1/public/guides')).json().items;
    expect(guides.length).toBeGreaterThanOrEqual(1);
    const reports = (await get('/api/v1/public/annual-reports?year=2025')).json().items as { id: string; agency: unknown; region: string }[];
    expect(reports.length).toBe(4);
    expect(reports.filter((r) => r.agency === null).map((r) => r.region)).toEqual(['3301']);
    const page = await get(`/annual-reports/${reports[0]!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect((await get('/annual-reports')).body).toContain('行政区划 3301');
  });

  it('states each agency’s publicity rules and the bureau to complain to (R-P01)', async () => {
    const city = await get(`/agencies/${w.ids.get('city_scjg')}/publicity-rules`);
    expect(city.statusCode).toBe(200);
    for (const t of ['行政处罚决定（普通程序）', '7 个工作日内', '演示市司法局', '执法事项清单']) expect(city.body).toContain(t);
    expect((await get(`/agencies/${w.ids.get('xh_zhzf')}/publicity-rules`)).body).toContain('演示市西湖区司法局');
    expect((await get('/agencies/not-a-uuid/publicity-rules')).statusCode).toBe(404);
  });
});
