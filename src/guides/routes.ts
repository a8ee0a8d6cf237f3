// Routes of the service guides (R-P07): staff drafting and publication, the public API and the printable
// portal pages /guides and /guides/{id}.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/validation.ts';
import { html, page } from '../portal/html.ts';
import * as guides from './service.ts';
import { registerPublicityRulesPage } from './rules-page.ts';
import { registerApplicationRoutes } from './apply-routes.ts';

const TAGS = ['服务指南'];
const PUBLIC_TAGS = ['公开：服务指南'];
const IdParams = z.object({ id: z.uuid('编号格式不正确') });

export async function registerGuideRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/guides', summary: '起草（或修改草稿）许可事项服务指南', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: guides.DraftInput,
    handler: ({ actor, body, req }) => guides.draft(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/guides/:id', summary: '服务指南（含缺项）', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => guides.get(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/guides/:id/publish', summary: '负责人审核公布（缺少任一法定要素不能公布）', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: guides.PublishInput,
    handler: ({ actor, params, body, req }) => guides.publish(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/guides', summary: '服务指南列表', tags: PUBLIC_TAGS, access: 'public', query: guides.PublicQuery,
    handler: async ({ query }) => ({ items: (await guides.publicList(ctx.db, query)).map(guides.publicGuide) }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/guides/:id', summary: '服务指南（R-P07 全部要素）', tags: PUBLIC_TAGS, access: 'public', params: IdParams,
    handler: async ({ params }) => guides.publicGuide(await guides.publicGet(ctx.db, params.id)),
  });

  await registerPublicityRulesPage(app, ctx);
  await registerApplicationRoutes(app, ctx);
  app.get('/guides', async (_req, reply) => {
    const rows = await guides.publicList(ctx.db, {});
    reply.type('text/html; charset=utf-8');
    return page({
      title: '办事服务指南', demo: ctx.demo,
      body: html`<h1>办事服务指南</h1><p>选择事项查看服务指南并网上申请；已申请的可<a href="/applications/track">查询办理进度</a>；窗口工作人员见<a href="/boards">岗位信息公示牌</a>。</p>${rows.length ? html`<table class="responsive"><thead><tr><th>事项</th><th>机关</th><th>办理时限</th></tr></thead><tbody>
${rows.map((g) => html`<tr><td data-label="事项"><a href="/guides/${g.id}">${g.fields.matterName}</a></td><td data-label="机关">${g.agency_name}</td><td data-label="时限">${g.fields.timeLimit}</td></tr>`)}</tbody></table>` : html`<p class="card">尚无已公布的服务指南。</p>`}`,
    });
  });
  app.get('/guides/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw notFound('服务指南');
    const g = guides.publicGuide(await guides.publicGet(ctx.db, id)) as unknown as Record<string, unknown> & { materials: { name: string; copies: string; sample: string }[]; agency: { name: string }; publishedOn: string; version: number };
    reply.type('text/html; charset=utf-8');
    return page({
      title: String(g.matterName), demo: ctx.demo,
      body: html`<h1>${String(g.matterName)} 服务指南</h1><p class="muted">${g.agency.name} · 第 ${g.version} 版 · ${g.publishedOn} 公布 · 可直接打印</p><p><a class="btn" href="/guides/${g.id}/apply">网上申请</a> <a href="/applications/track">办理进度查询</a></p><div class="card"><dl class="kv">
${(Object.keys(guides.GUIDE_FIELDS) as guides.GuideKey[]).filter((k) => k !== 'matterName').map((k) => html`<dt>${guides.GUIDE_FIELDS[k]}</dt><dd>${k === 'materials'
        ? html`<ol>${g.materials.map((m) => html`<li>${m.name}（${m.copies}）${m.sample ? html`<div class="muted">样本：${m.sample}</div>` : ''}</li>`)}</ol>`
        : String(g[k] ?? '').split('\n').map((line) => html`<div>${line}</div>`)}</dd>`)}
</dl></div>`,
    });
  });
}
