// Routes of the 统计年报 (R-P16): staff drafting, drill-down and publication; the public API; the portal
// pages with server-rendered SVG charts, and the XLSX and PDF downloads.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/validation.ts';
import { html, page, raw } from '../portal/html.ts';
import * as annual from './service.ts';
import { charts, reportPdf, reportXlsx } from './render.ts';
import { FIGURE_LABELS, flatten } from './figures.ts';

const TAGS = ['统计年报'];
const PUBLIC_TAGS = ['公开：统计年报'];
const IdParams = z.object({ id: z.uuid('编号格式不正确') });

const titleOf = (r: annual.ReportRow) => `${r.agency_name ?? `行政区划 ${r.region}`} ${r.year} 年度行政执法统计年报`;

export async function registerAnnualRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/annual-reports', summary: '本年度各机关统计年报状态（逾期未公布的标出）', tags: TAGS, access: 'user',
    query: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
    handler: ({ actor, query }) => annual.listForStaff(ctx, actor!, query.year),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/annual-reports', summary: '按数据起草（或重新生成）统计年报：机关或行政区划', tags: TAGS, access: 'user', status: 201, body: annual.DraftInput,
    handler: ({ actor, body, req }) => annual.draft(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/annual-reports/:id', summary: '统计年报（草稿或已公布）', tags: TAGS, access: 'user', params: IdParams,
    handler: ({ actor, params }) => annual.get(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/annual-reports/:id/cases', summary: '指标穿透：该项统计所计入的案件（案号、案由）', tags: TAGS, access: 'user', params: IdParams,
    query: z.object({ figure: z.string().max(80).regex(/^[a-zA-Z.\u4e00-\u9fa5、，]+$/, '指标格式不正确') }),
    handler: ({ actor, params, query }) => annual.drill(ctx, actor!, params.id, query.figure),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/annual-reports/:id/publish', summary: '负责人审定情况说明并公布（数据存证）', tags: TAGS, access: 'user', params: IdParams, body: annual.PublishInput,
    handler: ({ actor, params, body, req }) => annual.publish(ctx, req, actor!, params.id, body),
  });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/annual-reports', summary: '已公布的统计年报', tags: PUBLIC_TAGS, access: 'public', query: annual.PublicQuery,
    handler: async ({ query }) => ({ items: (await annual.publicList(ctx.db, query)).map(annual.publicReport) }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/annual-reports/:id', summary: '统计年报数据', tags: PUBLIC_TAGS, access: 'public', params: IdParams,
    handler: async ({ params }) => annual.publicReport(await annual.publicGet(ctx.db, params.id)),
  });

  // ---- portal ----
  app.get('/annual-reports', async (req, reply) => {
    const parsed = annual.PublicQuery.safeParse(req.query);
    const rows = await annual.publicList(ctx.db, parsed.success ? parsed.data : {});
    reply.type('text/html; charset=utf-8');
    return page({
      title: '行政执法统计年报', demo: ctx.demo,
      body: html`<h1>行政执法统计年报</h1>${rows.length ? html`<table class="responsive"><thead><tr><th>年度</th><th>机关或地区</th><th>行政处罚（宗）</th><th>公布日期</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td data-label="年度">${r.year}</td><td data-label="机关"><a href="/annual-reports/${r.id}">${r.agency_name ?? `行政区划 ${r.region}（全辖区）`}</a></td><td data-label="处罚">${r.figures.penalties.total}</td><td data-label="公布">${r.published_on}</td></tr>`)}
</tbody></table>` : html`<p class="card">尚无已公布的统计年报。</p>`}`,
    });
  });

  const load = async (id: string) => {
    if (!isUuid(id)) throw notFound('统计年报');
    return annual.publicGet(ctx.db, id);
  };
  app.get('/annual-reports/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (id.endsWith('.xlsx') || id.endsWith('.pdf')) {
      const [base, ext] = [id.slice(0, id.lastIndexOf('.')), id.slice(id.lastIndexOf('.') + 1)];
      const r = await load(base);
      const name = encodeURIComponent(`${titleOf(r)}.${ext}`);
      reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
      if (ext === 'xlsx') return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await reportXlsx(titleOf(r), r.figures));
      return reply.type('application/pdf').send(await reportPdf(titleOf(r), `公布日期：${r.published_on}`, r.figures, r.narrative));
    }
    const r = await load(id);
    const f = r.figures;
    const c = await charts(f);
    const cell = (k: string, v: number) => html`<tr><td data-label="指标">${FIGURE_LABELS[k] ?? k}</td><td data-label="数值">${v}</td></tr>`;
    reply.type('text/html; charset=utf-8');
    return page({
      title: titleOf(r), demo: ctx.demo,
      body: html`<h1>${titleOf(r)}</h1><p class="muted">公布日期：${r.published_on} · <a href="/annual-reports/${r.id}.xlsx">下载 XLSX</a> · <a href="/annual-reports/${r.id}.pdf">下载 PDF</a> · 存证摘要 <a href="/ledger/verify?sha256=${r.content_sha256}"><code>${(r.content_sha256 ?? '').slice(0, 16)}…</code></a></p>
<style>.charts svg{max-width:100%;height:auto}</style><div class="card charts" style="display:flex;flex-wrap:wrap;gap:12px"><figure style="margin:0;max-width:100%">${raw(c.actions)}</figure><figure style="margin:0;max-width:100%">${raw(c.penalties)}</figure></div>
<h2>第一部分 行政执法数据表</h2>
<table class="responsive"><thead><tr><th>指标</th><th>数值</th></tr></thead><tbody>
${flatten(f).filter(([k, v]) => !k.startsWith('penalties.byKind.') || v > 0).map(([k, v]) => cell(k, v))}
</tbody></table>
<h2>第二部分 情况说明</h2><div class="card">${r.narrative.split('\n').map((p) => html`<p>${p}</p>`)}</div>`,
    });
  });
}
