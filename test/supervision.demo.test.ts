// The supervision demo: every computable alert kind raised by (historical) demo cases, some answered and
// resolved; complaints and matters at each stage with one objection; the 西湖区 supervisor sees only 西湖区.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { loadSupervisionDemo } from '../src/supervision/demo.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
  await loadSupervisionDemo(w.app.ctx);
});
afterAll(async () => {
  await w?.app.close();
});

describe('supervision demo', () => {
  it('raises every computable kind, and some are answered and resolved', async () => {
    const r = (await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?limit=200')).json();
    const kinds = new Set(r.items.map((i: { kind: string }) => i.kind));
    for (const k of ['overdue_decision', 'seizure_overdue', 'licence_overdue', 'review_missing', 'single_officer', 'certificate_invalid', 'summary_limit', 'hearing_notice_missing', 'av_missing', 'limitation_expired', 'zero_enforcement']) {
      expect(kinds, k).toContain(k);
    }
    for (const k of ['publication_overdue', 'withdrawal_overdue', 'discretion_outlier']) expect(kinds).not.toContain(k);
    const statuses = r.items.map((i: { status: string }) => i.status);
    expect(statuses).toContain('resolved');
    expect(statuses).toContain('answered');
  });

  it('has complaints and matters at each stage, one objection', async () => {
    const c = (await w.api.citySupervisor('GET', '/api/v1/supervision/complaints?limit=200')).json();
    expect(new Set(c.items.map((i: { status: string }) => i.status))).toEqual(new Set(['submitted', 'accepted', 'closed', 'guided', 'matter']));
    const m = (await w.api.citySupervisor('GET', '/api/v1/supervision/matters?limit=200')).json();
    expect(new Set(m.items.map((i: { status: string }) => i.status))).toEqual(new Set(['notified', 'explained', 'instrument_issued', 'objected', 'corrected', 'closed']));
  });

  it('has a completed 案卷评查 with grades', async () => {
    const plans = (await w.api.citySupervisor('GET', '/api/v1/supervision/review-plans')).json();
    expect(plans.items).toHaveLength(1);
    expect(plans.items[0].scored).toBe(plans.items[0].files);
    const plan = (await w.api.citySupervisor('GET', `/api/v1/supervision/review-plans/${plans.items[0].id}`)).json();
    expect(new Set(plan.files.map((f: { grade: string }) => f.grade))).toContain('fail');
  });

  it('has the seeds’ task table in progress', async () => {
    const t = (await w.api.citySupervisor('GET', '/api/v1/supervision/tasks')).json();
    expect(t.total).toBe(28);
    expect(new Set(t.items.map((i: { status: string }) => i.status))).toEqual(new Set(['not_started', 'in_progress', 'done']));
    expect(t.items[0].breakdown).toBe('制定出台行政执法公示实施办法');
  });

  it('computes the yearly assessment from the same data (R-S02), drills down, exports XLSX', async () => {
    expect((await w.api.officer('GET', '/api/v1/supervision/assessment?year=2026')).statusCode).toBe(403);
    const a = (await w.api.citySupervisor('GET', '/api/v1/supervision/assessment?year=2026')).json();
    const scjg = a.agencies.find((x: { agency: { id: string } }) => x.agency.id === w.ids.get('city_scjg'));
    expect(scjg.indicators.review_pass.denominator).toBeGreaterThan(0);
    expect(scjg.indicators.review_pass.numerator).toBeLessThan(scjg.indicators.review_pass.denominator);
    expect(scjg.indicators.alerts_answered.drill).toBe(`/supervision/alerts?agency=${w.ids.get('city_scjg')}`);
    expect(scjg.score).toBeLessThan(100);
    expect(a.scheme.items.filter((i: { waiting?: string }) => i.waiting).map((i: { code: string }) => i.code)).toEqual(['reconsideration']);
    expect(scjg.indicators.publicity.drill).toBe(`/publicity?agencyId=${w.ids.get('city_scjg')}&publishedYear=2026`);
    const xh = (await w.api.countySupervisor('GET', '/api/v1/supervision/assessment?year=2026')).json();
    expect(xh.agencies.map((x: { agency: { id: string } }) => x.agency.id)).not.toContain(w.ids.get('city_scjg'));
    const file = await w.api.citySupervisor('GET', '/api/v1/supervision/assessment.xlsx?year=2026');
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(String(wb.worksheets[0]!.getRow(1).getCell(2).value)).toContain('持证率');
  });

  it('the 西湖区 supervisor sees only 西湖区', async () => {
    for (const url of ['/api/v1/supervision/alerts?limit=200', '/api/v1/supervision/complaints?limit=200', '/api/v1/supervision/matters?limit=200']) {
      const r = (await w.api.countySupervisor('GET', url)).json();
      expect(r.items.length, url).toBeGreaterThan(0);
      const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE region_code LIKE '330106%'`);
      const xh = new Set(rows.map((x) => x.id));
      for (const i of r.items) expect(xh.has(i.agency?.id ?? i.subjectAgency.id), url).toBe(true);
    }
  });
});
