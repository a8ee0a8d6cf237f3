// The yearly assessment per agency (考核, R-S02): indicators, weights and scoring rules as versioned data,
// computed from the same data as the alerts, reviews and tasks; each indicator carries its numerator and
// denominator and the filter that lists what it counts (drill-down); exported as XLSX. 公示及时率 reads
// publicity's service (published on or before the deadline / published in the year). Indicators whose
// data is not built yet (复议纠错率 — no reconsideration data) are listed as waiting and score nothing.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { forbidden } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { assessmentCaseCounts } from '../cases/supervision-facts.ts';
import { publicationTimeliness } from '../publicity/service.ts';

export interface AssessmentItem { code: string; name: string; weight: number; full: number; basis: string; waiting?: string }
export const ASSESSMENT_SCHEMES = [
  {
    code: 'three-systems', version: 1, effectiveFrom: '2026-01-01', name: '行政执法三项制度年度考核', source: 'supervision.md §7（部门评分示例：结案率≥90%，案卷评查，持证管理）',
    items: [
      { code: 'certified', name: '持证率', weight: 15, full: 1, basis: '持有效执法证人员 / 执法人员' },
      { code: 'legal_review', name: '法制审核率', weight: 20, full: 1, basis: '经法制审核通过的重大执法决定 / 重大执法决定' },
      { code: 'publicity', name: '公示及时率', weight: 10, full: 1, basis: '在公示期限（默认 7 个工作日）内公示的决定 / 本年度公示的决定' },
      { code: 'closure', name: '结案率', weight: 15, full: 0.9, basis: '办结案件 / 立案案件（≥90% 得满分）' },
      { code: 'review_excellent', name: '案卷评查优秀率', weight: 10, full: 1, basis: '优秀案卷 / 已评查案卷' },
      { code: 'review_pass', name: '案卷评查合格率', weight: 10, full: 1, basis: '合格及以上案卷 / 已评查案卷' },
      { code: 'reconsideration', name: '复议纠错率', weight: 0, full: 0, basis: '被复议纠错案件 / 复议案件', waiting: '行政复议数据' },
      { code: 'alerts_answered', name: '预警按时答复率', weight: 10, full: 1, basis: '已答复或办结的预警 / 预警' },
      { code: 'tasks', name: '任务完成率', weight: 10, full: 1, basis: '已完成任务 / 承担的任务' },
    ] as AssessmentItem[],
  },
] as const;

export async function assessment(ctx: AppContext, actor: Actor, year: number) {
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'system_admin')) throw forbidden('只有执法监督人员可以查看年度考核。');
  const scheme = ASSESSMENT_SCHEMES[0];
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const prefix = actor.role === 'system_admin' ? '' : actor.jurisdiction!;
  const { rows: agencies } = await ctx.db.query<{ id: string; name: string; officers: number; valid: number }>(
    `SELECT a.id, a.name, count(o.id)::int AS officers, count(o.id) FILTER (WHERE o.status = 'valid' AND o.valid_to >= $2::date AND o.valid_from <= $2::date)::int AS valid
       FROM agencies a LEFT JOIN officers o ON o.agency_id = a.id WHERE a.kind = 'enforcement' AND a.region_code LIKE $1 || '%' GROUP BY a.id, a.name ORDER BY a.name`,
    [prefix, to < todayInShanghai() ? to : todayInShanghai()],
  );
  const cases = await assessmentCaseCounts(ctx.db, from, to);
  const counts = async (sql: string) => new Map((await ctx.db.query<{ id: string; a: number; b: number }>(sql, [from, to])).rows.map((r) => [r.id, r]));
  const reviews = await counts(`SELECT f.agency_id AS id, count(*) FILTER (WHERE f.grade = 'excellent')::int AS a, count(*) FILTER (WHERE f.grade <> 'fail')::int AS b, count(*)::int AS n FROM review_files f JOIN review_plans p ON p.id = f.plan_id WHERE f.status = 'scored' AND p.period_to BETWEEN $1::date AND $2::date GROUP BY f.agency_id`);
  const reviewTotal = await counts(`SELECT f.agency_id AS id, count(*)::int AS a, 0 AS b FROM review_files f JOIN review_plans p ON p.id = f.plan_id WHERE f.status = 'scored' AND p.period_to BETWEEN $1::date AND $2::date GROUP BY f.agency_id`);
  const alerts = await counts(`SELECT agency_id AS id, count(*) FILTER (WHERE status <> 'open')::int AS a, count(*)::int AS b FROM supervision_alerts WHERE raised_on BETWEEN $1::date AND $2::date GROUP BY agency_id`);
  // Task rows run across years (长期执行): all assigned rows count; the period only types the shared parameters.
  const tasks = await counts(`SELECT u.id, count(*) FILTER (WHERE t.status = 'done')::int AS a, count(*)::int AS b FROM supervision_tasks t CROSS JOIN LATERAL unnest(t.agency_ids) AS u(id) WHERE $1::date <= $2::date GROUP BY u.id`);
  const publicity = await publicationTimeliness(ctx.db, from, to);
  const ratio = (a: number, b: number) => (b ? a / b : null);
  return {
    year, scheme: { code: scheme.code, version: scheme.version, name: scheme.name, items: scheme.items },
    agencies: agencies.map((ag) => {
      const c = cases.get(ag.id) ?? { cases: 0, closed: 0, major: 0, reviewed: 0 };
      const rv = reviews.get(ag.id);
      const rt = reviewTotal.get(ag.id)?.a ?? 0;
      const values: Record<string, { numerator: number; denominator: number; value: number | null; drill: string | null }> = {
        certified: { numerator: ag.valid, denominator: ag.officers, value: ratio(ag.valid, ag.officers), drill: `/officers?agency=${ag.id}` },
        legal_review: { numerator: c.reviewed, denominator: c.major, value: ratio(c.reviewed, c.major), drill: `/cases?agencyId=${ag.id}` },
        publicity: { numerator: publicity.get(ag.id)?.onTime ?? 0, denominator: publicity.get(ag.id)?.published ?? 0, value: ratio(publicity.get(ag.id)?.onTime ?? 0, publicity.get(ag.id)?.published ?? 0), drill: `/publicity?agencyId=${ag.id}&publishedYear=${year}` },
        closure: { numerator: c.closed, denominator: c.cases, value: ratio(c.closed, c.cases), drill: `/cases?agencyId=${ag.id}` },
        review_excellent: { numerator: rv?.a ?? 0, denominator: rt, value: ratio(rv?.a ?? 0, rt), drill: null },
        review_pass: { numerator: rv?.b ?? 0, denominator: rt, value: ratio(rv?.b ?? 0, rt), drill: null },
        alerts_answered: { numerator: alerts.get(ag.id)?.a ?? 0, denominator: alerts.get(ag.id)?.b ?? 0, value: ratio(alerts.get(ag.id)?.a ?? 0, alerts.get(ag.id)?.b ?? 0), drill: `/supervision/alerts?agency=${ag.id}` },
        tasks: { numerator: tasks.get(ag.id)?.a ?? 0, denominator: tasks.get(ag.id)?.b ?? 0, value: ratio(tasks.get(ag.id)?.a ?? 0, tasks.get(ag.id)?.b ?? 0), drill: '/supervision/tasks' },
      };
      // An indicator with nothing to count scores full marks: nothing was done wrong; waiting ones score nothing.
      const score = scheme.items.reduce((s, it) => {
        if (it.waiting) return s;
        const v = values[it.code]!.value;
        return s + it.weight * (v === null ? 1 : Math.min(1, v / it.full));
      }, 0);
      return { agency: { id: ag.id, name: ag.name }, indicators: values, score: Math.round(score * 10) / 10 };
    }),
  };
}

export async function assessmentXlsx(ctx: AppContext, actor: Actor, year: number): Promise<Buffer> {
  const a = await assessment(ctx, actor, year);
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${year}年度考核`);
  const items = a.scheme.items.filter((i) => !i.waiting);
  ws.addRow(['执法机关', ...items.map((i) => `${i.name}（${i.weight}分）`), '得分']);
  for (const r of a.agencies) ws.addRow([r.agency.name, ...items.map((i) => { const v = r.indicators[i.code]!; return v.value === null ? '—' : `${(v.value * 100).toFixed(1)}%（${v.numerator}/${v.denominator}）`; }), r.score]);
  ws.addRow([]);
  ws.addRow([`考核方案：${a.scheme.name} 第 ${a.scheme.version} 版；待数据的指标：${a.scheme.items.filter((i) => i.waiting).map((i) => i.name).join('、')}`]);
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
