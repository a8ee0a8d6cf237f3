// Routes of the 岗位信息公示牌 (R-P10): staff drafting, review and publication (R-P01), the public API,
// the portal pages /boards and /boards/{id} (the version in force, its date and history) and the
// printable A4 PDF /boards/{id}/pdf with the progress-lookup QR code.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/validation.ts';
import { html, page, raw } from '../portal/html.ts';
import { qrSvg } from '../registry/certificate.ts';
import { renderComposedPdf } from '../cases/documents/pdf.ts';
import type { Block } from '../cases/documents/content.ts';
import * as boards from './service.ts';

const TAGS = ['岗位信息公示牌'];
const PUBLIC_TAGS = ['公开：岗位信息公示牌'];
const IdParams = z.object({ id: z.uuid('编号格式不正确') });

type Board = ReturnType<typeof boards.publicBoard>;
const trackUrl = (ctx: AppContext) => `${ctx.config.publicUrl}/applications/track`;

/** The board as an A4 notice: the cases' PDF machinery (Song face subset, vector QR code). */
export function boardPdf(ctx: AppContext, b: Board): Promise<Buffer> {
  const blocks: Block[] = [
    { kind: 'grid', widths: [1, 3], large: true, rows: (['staffName', 'unit', 'post', 'category', 'duties'] as const).map((k) => [{ text: boards.BOARD_FIELDS[k], label: true }, { text: b[k] }]) },
    { kind: 'heading', text: '示范材料' },
    ...b.sampleMaterials.map((m, i) => ({ kind: 'field' as const, label: `${i + 1}. ${m.name}`, value: m.sample || '（见窗口样本）' })),
    { kind: 'heading', text: '咨询与投诉' },
    { kind: 'field', label: '咨询', value: b.consultation },
    { kind: 'field', label: '投诉', value: b.complaint },
    { kind: 'para', text: `扫描右上角二维码，凭受理编号查询办理进度。公示责任人：${b.responsible ?? ''}；第 ${b.version} 版，${b.publishedOn ?? ''} 公布。` },
  ];
  return renderComposedPdf({
    type: 'post_board', layout: 'form', title: `岗位信息公示牌（${b.window} 窗口）`, agencyName: b.agency.name,
    headingLines: [b.agency.name, `岗位信息公示牌 · ${b.window} 窗口`], blocks, issuedOn: b.publishedOn ?? '2026-01-01', qrUrl: trackUrl(ctx), qrCaption: '扫码查进度',
  });
}

export async function registerBoardRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/post-boards', summary: '编制（或修改草稿）窗口岗位信息公示牌', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: boards.DraftInput,
    handler: ({ actor, body, req }) => boards.draft(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/post-boards', summary: '本机关岗位信息公示牌（各版本）', tags: TAGS, access: 'user', scope: 'registry:read', query: boards.ListQuery,
    handler: ({ actor, query }) => boards.listForStaff(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/post-boards/:id', summary: '岗位信息公示牌', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => boards.get(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/post-boards/:id/submit', summary: '提交审核', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams,
    handler: ({ actor, params, req }) => boards.submitForReview(ctx, req, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/post-boards/:id/publish', summary: '负责人审核公布（记录公示责任人，摘要上链）', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: boards.PublishInput,
    handler: ({ actor, params, body, req }) => boards.publish(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/post-boards', summary: '现行岗位信息公示牌', tags: PUBLIC_TAGS, access: 'public', query: boards.PublicQuery,
    handler: async ({ query }) => ({ items: (await boards.publicList(ctx.db, query)).map(boards.publicBoard) }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/post-boards/:id', summary: '岗位信息公示牌（含历次公布版本）', tags: PUBLIC_TAGS, access: 'public', params: IdParams,
    handler: async ({ params }) => {
      const { row, history } = await boards.publicGet(ctx.db, params.id);
      return { ...boards.publicBoard(row), inForce: row.status === 'published', history: history.map((h) => ({ id: h.id, version: h.version, publishedOn: h.published_on, inForce: h.status === 'published' })) };
    },
  });

  app.get('/boards', async (_req, reply) => {
    const rows = await boards.publicList(ctx.db, {});
    reply.type('text/html; charset=utf-8');
    return page({
      title: '岗位信息公示牌', demo: ctx.demo,
      body: html`<h1>岗位信息公示牌</h1><p>各服务窗口的工作人员、岗位职责和咨询投诉渠道；可<a href="/applications/track">查询办理进度</a>。</p>${rows.length ? html`<table class="responsive"><thead><tr><th>窗口</th><th>机关</th><th>工作人员</th><th>公布日期</th></tr></thead><tbody>
${rows.map((b) => html`<tr><td data-label="窗口"><a href="/boards/${b.id}">${b.window_code} 窗口</a></td><td data-label="机关">${b.agency_name}</td><td data-label="人员">${b.fields.staffName}（${b.fields.post}）</td><td data-label="公布">${b.published_on}</td></tr>`)}</tbody></table>` : html`<p class="card">尚无已公布的岗位信息公示牌。</p>`}`,
    });
  });
  app.get('/boards/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw notFound('岗位信息公示牌');
    const { row, history } = await boards.publicGet(ctx.db, id);
    const b = boards.publicBoard(row);
    const current = history.find((h) => h.status === 'published');
    reply.type('text/html; charset=utf-8');
    return page({
      title: `${b.window} 窗口岗位信息公示牌`, demo: ctx.demo,
      body: html`<h1>${b.agency.name} ${b.window} 窗口岗位信息公示牌</h1>
${row.status === 'published' ? html`<p class="muted">现行第 ${b.version} 版 · ${b.publishedOn} 公布 · 公示责任人 ${b.responsible ?? ''} · <a href="/boards/${b.id}/pdf">打印 A4 公示牌（PDF）</a></p>`
  : html`<p class="card" role="status">这是第 ${b.version} 版（${b.publishedOn} 公布），已被替代。${current ? html`<a href="/boards/${current.id}">查看现行版本</a>` : ''}</p>`}
<div class="card" style="display:flex;gap:24px;flex-wrap:wrap"><dl class="kv" style="flex:1 1 320px">
${(['staffName', 'unit', 'post', 'category', 'duties'] as const).map((k) => html`<dt>${boards.BOARD_FIELDS[k]}</dt><dd>${b[k]}</dd>`)}
<dt>示范材料</dt><dd><ol>${b.sampleMaterials.map((m) => html`<li>${m.name}${m.sample ? html`<div class="muted">${m.sample}</div>` : ''}</li>`)}</ol></dd>
<dt>咨询渠道</dt><dd>${b.consultation}</dd><dt>投诉渠道</dt><dd>${b.complaint}（也可<a href="/complaints">网上投诉</a>）</dd></dl>
<figure style="margin:0;text-align:center;width:160px"><div role="img" aria-label="办理进度查询二维码" style="width:160px">${raw(await qrSvg(trackUrl(ctx)))}</div><figcaption class="muted">扫码<a href="/applications/track">查询办理进度</a></figcaption></figure></div>
<h2 style="font-size:18px">公布记录</h2><table class="responsive"><thead><tr><th>版本</th><th>公布日期</th><th>状态</th></tr></thead><tbody>
${history.map((h) => html`<tr><td data-label="版本"><a href="/boards/${h.id}">第 ${h.version} 版</a></td><td data-label="公布">${h.published_on}</td><td data-label="状态">${boards.STATUS_LABELS[h.status]}</td></tr>`)}</tbody></table>`,
    });
  });
  app.get('/boards/:id/pdf', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw notFound('岗位信息公示牌');
    const { row } = await boards.publicGet(ctx.db, id);
    const pdf = await boardPdf(ctx, boards.publicBoard(row));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="post-board-${row.window_code.replace(/[^A-Za-z0-9-]/g, '_')}-v${row.version}.pdf"`).send(pdf);
  });
}
