// What the public sees of 双随机一公开 (R-D02, R-P15): published plans' tasks, each draw's commitment,
// reveals, seed, selection and teams (certificate numbers only), the committed candidate lists, and
// published results (company name, credit code, result, dates: no personal data). The task page has a
// button that recomputes the draw in the browser (static/draw-verify.js) and says whether it matches.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { isUuid, pageQuery, uuid } from '../platform/validation.ts';
import { html, page } from '../portal/html.ts';
import { ALGORITHM, toHex } from './draw.ts';
import { RESULT_CODES } from './schema.ts';
import * as repo from './store.ts';

const TAGS = ['公开：双随机一公开'];
const VERIFY_JS = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'static/draw-verify.js'));
const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'";

const STATUS_LABELS = { planned: '待承诺', committed: '已承诺，待抽取', drawn: '已抽取' } as const;

async function publicTask(ctx: AppContext, id: string) {
  const t = isUuid(id) ? await repo.getTask(ctx.db, id) : undefined;
  if (!t || t.plan_status !== 'published') throw notFound('抽查任务');
  return t;
}

export async function publicDraw(ctx: AppContext, id: string) {
  const t = await publicTask(ctx, id);
  const c = await repo.getCommitment(ctx.db, t.id);
  const d = await repo.getDraw(ctx.db, t.id);
  const leaf = d ? { leafHash: d.leaf_hash, ledgerIndex: Number(d.ledger_index) } : c ? await repo.ledgerEntryOf(ctx.db, c.commitment).then((e) => (e ? { leafHash: toHex(e.leaf_hash), ledgerIndex: Number(e.idx) } : null)) : null;
  const reveals = c ? new Map((await repo.getReveals(ctx.db, t.id)).map((r) => [r.source, r.value])) : new Map<string, string>();
  return {
    id: t.id,
    algorithm: ALGORITHM,
    status: t.status,
    commitment: leaf,
    classes: c ? c.document.classes.map((k) => ({ class: k.class, count: k.count, quota: k.quota, root: k.root })) : [],
    randomness: c ? c.document.sources.filter((s) => reveals.has(s.source)).map((s) => ({ source: s.source, value: reveals.get(s.source)! })) : [],
    seed: d ? d.seed : null,
    selected: d ? d.selected.map((s) => ({ class: s.class, creditCode: s.creditCode, key: s.key })) : [],
    teams: d ? d.teams.map((x) => ({ creditCode: x.creditCode, officers: x.departments.flatMap((dep) => dep.officers.map((o) => ({ certificateNumber: o.certificateNumber }))) })) : [],
  };
}

export async function publicCandidates(ctx: AppContext, id: string) {
  const t = await publicTask(ctx, id);
  const c = await repo.getCommitment(ctx.db, t.id);
  return { classes: c ? c.candidates.map((k) => ({ class: k.class, creditCodes: k.creditCodes })) : [] };
}

const ListQuery = z.object({
  year: z.coerce.number({ error: '年度必须是数字' }).int().min(2000, '年度不正确').max(2100, '年度不正确').optional(),
  agency: uuid('机关编号').optional(),
  ...pageQuery,
});

export async function publicTaskList(ctx: AppContext, f: z.infer<typeof ListQuery>) {
  const params: unknown[] = [];
  let where = `p.status = 'published'`;
  if (f.year) {
    params.push(f.year);
    where += ` AND p.year = $${params.length}`;
  }
  if (f.agency) {
    params.push(f.agency);
    where += ` AND (t.agency_id = $${params.length} OR $${params.length}::uuid = ANY(p.departments))`;
  }
  const r = await repo.listTasks(ctx.db, where, params, f.pageSize, (f.page - 1) * f.pageSize);
  return {
    items: r.items.map((t) => ({ id: t.id, year: t.year, plan: t.plan_title, agency: t.agency_name, joint: t.joint, matter: t.matter_name, title: t.title, batch: t.batch, inspectionDate: t.inspection_date, status: t.status, redoOf: t.redo_of, redoReason: t.redo_reason })),
    total: r.total,
  };
}

async function publications(ctx: AppContext, taskId: string) {
  return (await ctx.db.query<{ credit_code: string; name: string; agency_name: string; result_codes: string[]; inspected_on: string; published_on: string }>(
    `SELECT credit_code, name, agency_name, result_codes, inspected_on, published_on FROM inspection_publications WHERE task_id = $1 ORDER BY credit_code`, [taskId])).rows;
}

export async function registerPublicInspectionRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/inspection-tasks', summary: '双随机抽查任务（已公布计划）', tags: TAGS, access: 'public', query: ListQuery,
    handler: ({ query }) => publicTaskList(ctx, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/inspection-tasks/:id', summary: '抽查任务的承诺、随机数、种子与抽取结果（sanxiang-draw/v1）', tags: TAGS, access: 'public',
    params: z.object({ id: uuid('任务编号') }),
    handler: ({ params }) => publicDraw(ctx, params.id),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/inspection-tasks/:id/candidates', summary: '抽查任务承诺的候选名单（按信用分类，字节序）', tags: TAGS, access: 'public',
    params: z.object({ id: uuid('任务编号') }),
    handler: ({ params }) => publicCandidates(ctx, params.id),
  });

  app.get('/inspections/draw-verify.js', async (_req, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache');
    return VERIFY_JS;
  });

  app.get('/inspections', async (req, reply) => {
    const q = z.object({ year: z.coerce.number().int().min(2000).max(2100).catch(2026).default(2026) }).parse(req.query);
    const r = await publicTaskList(ctx, { year: q.year, page: 1, pageSize: 200 });
    reply.type('text/html; charset=utf-8');
    return page({
      title: '双随机抽查', demo: ctx.demo,
      body: html`<h1>${q.year} 年双随机抽查任务</h1>
<p class="muted">每项抽取在随机数产生前把候选名单与规则写入存证日志，随机数由计划指定的相互独立各方提供；任何人都可以按公开数据重新计算抽取结果。</p>
<table class="responsive"><thead><tr><th>任务</th><th>机关</th><th>抽查事项</th><th>检查日期</th><th>状态</th></tr></thead><tbody>
${r.items.map((t) => html`<tr><td data-label="任务"><a href="/inspections/${t.id}">${t.title}</a>${t.redoOf ? html`<br><span class="muted">重新抽取：${t.redoReason}</span>` : ''}</td><td data-label="机关">${t.agency}${t.joint ? '（联合）' : ''}</td><td data-label="事项">${t.matter}</td><td data-label="日期">${t.inspectionDate}</td><td data-label="状态">${STATUS_LABELS[t.status]}</td></tr>`)}
</tbody></table>`,
    });
  });

  app.get('/inspections/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const t = await publicTask(ctx, id);
    const d = await publicDraw(ctx, id);
    const pubs = await publications(ctx, id);
    reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP);
    return page({
      title: t.title, demo: ctx.demo,
      body: html`<h1>${t.title}</h1>
<div class="card"><dl class="kv"><dt>计划</dt><dd>${t.plan_title}（${t.year} 年）</dd><dt>机关</dt><dd>${t.agency_name}${t.joint ? '（部门联合抽查）' : ''}</dd><dt>抽查事项</dt><dd>${t.matter_name}</dd>
<dt>检查日期</dt><dd>${t.inspection_date}</dd><dt>状态</dt><dd>${STATUS_LABELS[t.status]}</dd><dt>算法</dt><dd>${d.algorithm}</dd>
${t.redo_of ? html`<dt>重新抽取</dt><dd>替代任务 <a href="/inspections/${t.redo_of}">${t.redo_of}</a>：${t.redo_reason}</dd>` : ''}
<dt>承诺（存证日志）</dt><dd>${d.commitment ? html`第 ${d.commitment.ledgerIndex} 条，叶哈希 <code>${d.commitment.leafHash}</code>` : '尚未承诺或尚未写入日志'}</dd>
<dt>种子</dt><dd><code>${d.seed ?? '尚未抽取'}</code></dd></dl></div>
<h2>各信用风险分类的候选与配额</h2>
<table class="responsive"><thead><tr><th>分类</th><th>候选数</th><th>抽取数</th><th>Merkle 根</th></tr></thead><tbody>
${d.classes.map((c) => html`<tr><td data-label="分类">${c.class}</td><td data-label="候选数">${c.count}</td><td data-label="抽取数">${c.quota}</td><td data-label="根"><code>${c.root}</code></td></tr>`)}</tbody></table>
<p><a href="/api/v1/public/inspection-tasks/${t.id}/candidates">下载候选名单（JSON）</a> · <a href="/api/v1/public/inspection-tasks/${t.id}">抽取数据（JSON）</a></p>
<h2>随机数揭示</h2>
<table class="responsive"><thead><tr><th>提供方</th><th>揭示值</th></tr></thead><tbody>
${d.randomness.map((r) => html`<tr><td data-label="提供方">${r.source}</td><td data-label="揭示值"><code>${r.value}</code></td></tr>`)}</tbody></table>
<div class="card" id="verify" data-task="${t.id}"><button type="button" id="verify-run" ${d.seed ? '' : 'disabled'}>在本机重新计算抽取结果</button>
<p id="verify-result" role="status" aria-live="polite" class="muted">${d.seed ? '点击按钮，浏览器将下载公开数据并按 sanxiang-draw/v1 独立计算。' : '抽取后可核验。'}</p></div>
<h2>抽取结果与检查组</h2>
<table class="responsive"><thead><tr><th>分类</th><th>统一社会信用代码</th><th>排序键</th><th>检查人员（执法证号）</th></tr></thead><tbody>
${d.selected.map((s) => html`<tr><td data-label="分类">${s.class}</td><td data-label="信用代码">${s.creditCode}</td><td data-label="排序键"><code>${s.key.slice(0, 16)}…</code></td><td data-label="检查人员">${(d.teams.find((x) => x.creditCode === s.creditCode)?.officers ?? []).map((o) => o.certificateNumber).join('、')}</td></tr>`)}</tbody></table>
<h2>抽查结果公示</h2>
${pubs.length ? html`<table class="responsive"><thead><tr><th>市场主体名称</th><th>统一社会信用代码</th><th>检查机关</th><th>检查完成日期</th><th>检查结果</th><th>公示日期</th></tr></thead><tbody>
${pubs.map((p) => html`<tr><td data-label="名称">${p.name}</td><td data-label="信用代码">${p.credit_code}</td><td data-label="机关">${p.agency_name}</td><td data-label="完成日期">${p.inspected_on}</td><td data-label="结果">${p.result_codes.map((c) => RESULT_CODES[c as keyof typeof RESULT_CODES] ?? c).join('；')}</td><td data-label="公示日期">${p.published_on}</td></tr>`)}</tbody></table>` : html`<p class="muted">尚无公示的检查结果。</p>`}
<script src="/inspections/draw-verify.js"></script>`,
    });
  });
}
