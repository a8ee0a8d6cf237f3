// The 双随机一公开 demo runs end to end through the services: plans, commitments, reveals, draws,
// inspection cases and published results (R-D01, R-D02, R-P15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { loadDemo } from '../src/seed/demo.ts';
import { loadInspectionDemo } from '../src/inspections/demo.ts';

let app: TestApp;
let demo: Awaited<ReturnType<typeof loadInspectionDemo>>;

beforeAll(async () => {
  app = await startTestApp();
  const ids = await loadDemo(app.ctx);
  demo = await loadInspectionDemo(app.ctx, ids, { objects: 1500 });
}, 600_000);
afterAll(async () => app?.close());

describe('inspections demo', () => {
  it('has drawn, inspected and committed-only tasks, visible on the public API', async () => {
    const list = await app.server.inject({ method: 'GET', url: '/api/v1/public/inspection-tasks?year=2026' });
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { id: string; status: string }[] }).items;
    expect(items.filter((t) => t.status === 'drawn')).toHaveLength(4);
    expect(items.find((t) => t.id === demo.tasks.food)!.status).toBe('committed');
    const t = (await app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${demo.tasks.publicity}` })).json();
    expect(Object.keys(t)).toEqual(['id', 'algorithm', 'status', 'commitment', 'classes', 'randomness', 'seed', 'selected', 'teams']);
    expect(t.algorithm).toBe('sanxiang-draw/v1');
    expect(t.selected.length).toBeGreaterThan(3);
    expect(t.selected.every((s: { class: string }) => ['A', 'B', 'C', 'D'].includes(s.class))).toBe(true);
    expect(t.teams.every((x: { officers: unknown[] }) => x.officers.length >= 2)).toBe(true);
    // The joint task: a team per department, two officers each.
    const joint = (await app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${demo.tasks.joint}` })).json();
    expect(joint.teams.length).toBeGreaterThan(0);
    expect(joint.teams.every((x: { officers: unknown[] }) => x.officers.length === 4)).toBe(true);
    const { rows } = await app.ctx.db.query<{ n: number; t: number }>(`SELECT count(*) FILTER (WHERE 'A' = ANY(result_codes))::int AS n, count(penalty_case_id)::int AS t FROM inspection_results WHERE task_id = $1`, [demo.tasks.publicity]);
    expect(rows[0]).toEqual({ n: 1, t: 1 });
  });
});
