// Routes of the matter list (R-P04, R-P01): staff drafting, review and publication, XLSX import, the
// public API and the portal pages /matters and /matters/{agency}/{code} (the version history).
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { isUuid, todayInShanghai } from '../platform/validation.ts';
import { html, page } from '../portal/html.ts';
import * as matters from './matters.ts';

const TAGS = ['执法事项清单'];
const PUBLIC_TAGS = ['公开：执法事项清单'];
const IdParams = z.object({ id: z.uuid('编号格式不正确') });

export async function registerMatterRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/matters', summary: '执法事项清单各版本（含起草、待审核）', tags: TAGS, access: 'user', scope: 'registry:read',
    query: z.object({ agencyId: z.uuid('机关编号格式不正确').optional(), status: z.enum(['draft', 'review', 'published']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
    handler: ({ actor, query }) => matters.listForStaff(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/matters', summary: '起草执法事项（新事项或已公布事项的调整版本）', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: matters.MatterInput,
    handler: ({ actor, body, req }) => matters.createDraft(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/matter-versions/:id', summary: '执法事项的一个版本', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => matters.getVersion(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/matter-versions/:id/submit', summary: '提交审核', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams,
    handler: ({ actor, params, req }) => matters.submitForReview(ctx, req, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/matter-versions/:id/publish', summary: '负责人审核并公布（谁执法谁公示，版本存证）', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: matters.PublishInput,
    handler: ({ actor, params, body, req }) => matters.publish(ctx, req, actor!, params.id, body),
  });
  await app.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: ctx.config.importMaxBytes, files: 1, fields: 5 } });
    addRoute(scoped, ctx, {
      method: 'POST', url: '/api/v1/imports/matters', summary: '导入权责清单（multipart 字段 file：.xlsx 或 .csv；全部正确才导入，导入为起草版本）', tags: TAGS,
      access: 'user', scope: 'registry:write', query: z.object({ agencyId: z.uuid('机关编号格式不正确') }),
      handler: async ({ actor, req, query }) => {
        if (!req.isMultipart()) throw new AppError('unsupported_media_type', { detail: '请以 multipart/form-data 上传文件，字段名为 file。' });
        const part = await req.file();
        if (!part || part.fieldname !== 'file') throw new AppError('validation', { detail: '缺少上传文件（字段名 file）。', errors: [{ field: 'file', message: '请选择文件' }] });
        let buf: Buffer;
        try {
          buf = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', { detail: `文件超过 ${Math.round(ctx.config.importMaxBytes / 1024 / 1024)} MB 上限。` });
          throw err;
        }
        return matters.importMatters(ctx, req, actor!, query.agencyId, buf, part.filename);
      },
    });
  });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/matters', summary: '执法事项清单（现行版本；agency 为机关编号、名称或统一社会信用代码）', tags: PUBLIC_TAGS, access: 'public', query: matters.PublicQuery,
    handler: ({ query }) => matters.publicList(ctx, query),
  });

  // ---- portal pages ----
  app.get('/matters', async (req, reply) => {
    const parsed = matters.PublicQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : { limit: 50 } as matters.PublicQuery;
    const r = await matters.inForce(ctx.db, { ...q, limit: 100 });
    const self = (extra: Record<string, string>) => '/matters?' + new URLSearchParams(Object.fromEntries(Object.entries({ agency: q.agency, kind: q.kind, q: q.q, ...extra }).filter(([, v]) => v)) as Record<string, string>).toString();
    reply.type('text/html; charset=utf-8');
    return page({
      title: '执法事项清单', demo: ctx.demo,
      body: html`<h1>执法事项清单</h1>
<div class="card"><form class="search" method="get" role="search"><input name="q" value="${q.q ?? ''}" aria-label="事项名称或编码" placeholder="事项名称或编码">
<select name="kind" aria-label="事项类别"><option value="">全部类别</option>${matters.MATTER_KINDS.map((k) => html`<option${q.kind === k ? html` selected` : ''}>${k}</option>`)}</select>
${q.agency ? html`<input type="hidden" name="agency" value="${q.agency}">` : ''}<button>查询</button></form></div>
${r.rows.length ? html`<table class="responsive"><thead><tr><th>编码</th><th>事项名称</th><th>类别</th><th>执法机关</th><th>法律依据</th><th>版本</th><th>施行日期</th></tr></thead><tbody>
${r.rows.map((m) => html`<tr><td data-label="编码">${m.code}</td><td data-label="名称"><a href="/matters/${m.agency_id}/${encodeURIComponent(m.code)}">${m.name}</a></td><td data-label="类别">${m.kind}</td><td data-label="机关"><a href="${self({ agency: m.agency_id })}">${m.agency_name}</a></td><td data-label="依据">${m.legal_basis.map((b) => `《${b.law}》${b.article}${b.paragraph ?? ''}`).join('；')}</td><td data-label="版本">第 ${m.version} 版</td><td data-label="施行">${m.effective_from}</td></tr>`)}
</tbody></table>${r.nextCursor ? html`<p><a href="${self({ cursor: r.nextCursor })}">下一页</a></p>` : ''}` : html`<p class="card">没有符合条件的执法事项。</p>`}`,
    });
  });

  app.get('/matters/:agencyId/:code', async (req, reply) => {
    const { agencyId, code } = req.params as { agencyId: string; code: string };
    const history = isUuid(agencyId) && code.length <= 40 ? await matters.publishedHistory(ctx.db, agencyId, code) : [];
    if (!history.length) throw notFound('执法事项');
    const today = todayInShanghai();
    const current = history.find((v) => v.effective_from <= today) ?? history.at(-1)!;
    reply.type('text/html; charset=utf-8');
    return page({
      title: current.name, demo: ctx.demo,
      body: html`<h1>${current.name}</h1><div class="card"><dl class="kv">
<dt>事项编码</dt><dd>${current.code}</dd><dt>类别</dt><dd>${current.kind}</dd><dt>执法机关</dt><dd><a href="/agencies/${current.agency_id}">${current.agency_name}</a></dd><dt>层级</dt><dd>${current.level}</dd>
<dt>职责</dt><dd>${current.duty}</dd><dt>法律依据</dt><dd>${current.legal_basis.map((b) => html`<div>《${b.law}》${b.article}${b.paragraph ?? ''}</div>`)}</dd>
<dt>执法流程</dt><dd>${current.procedure_id ? html`<a href="/procedures/${current.procedure_id}">查看流程图</a>` : '—'}</dd><dt>救济途径</dt><dd>${current.remedies.join('、')}</dd>
<dt>现行版本</dt><dd>第 ${current.version} 版，${current.effective_from} 起施行；公示责任人 ${current.responsible ?? ''}，${current.published_on ?? ''} 公布</dd></dl></div>
<h2>版本沿革</h2><table class="responsive"><thead><tr><th>版本</th><th>施行日期</th><th>公布日期</th><th>调整原因</th><th>存证摘要</th></tr></thead><tbody>
${history.map((v) => html`<tr><td data-label="版本">第 ${v.version} 版${v.id === current.id ? '（现行）' : v.effective_from > today ? '（待施行）' : ''}</td><td data-label="施行">${v.effective_from}</td><td data-label="公布">${v.published_on}</td><td data-label="原因">${v.change_reason || '首次公布'}</td><td data-label="摘要"><a href="/ledger/verify?sha256=${v.content_sha256}"><code>${(v.content_sha256 ?? '').slice(0, 16)}…</code></a></td></tr>`)}
</tbody></table>`,
    });
  });
}
