// R-P06: every procedure's flowchart for the public, drawn from the very definition the engine enforces:
// the JSON API (list, definition, SVG) and the server-rendered portal pages /procedures and
// /procedures/:id, with the same content as an ordered text for screen readers.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { html, page } from '../portal/html.ts';
import { definitionOf, isBuiltIn } from './definitions.ts';
import {
  CASE_TYPE_LABELS, getDefinition, limitText, listAllDefinitionVersions, listDefinitions, procedureOutline, renderFlowchartSvg,
  type ProcedureDefinition,
} from './procedures/index.ts';
import * as rulesRepo from './rules-store.ts';

const TAGS = ['公开：执法流程图'];
const ID = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,120}$/, '程序标识格式不正确') });
const VERSION = z.object({ version: z.coerce.number().int().min(1).optional() });

interface Listed {
  id: string;
  version: number;
  versions: number[];
  name: string;
  caseType: string;
  caseTypeLabel: string;
  description: string | null;
  legalBasis: string[];
  agency: { id: string; name: string } | null;
  basedOn: { id: string; version: number } | null;
  steps: number;
}

const listed = (d: ProcedureDefinition, versions: number[], agency: { id: string; name: string } | null): Listed => ({
  id: d.id, version: d.version, versions, name: d.name, caseType: d.caseType, caseTypeLabel: CASE_TYPE_LABELS[d.caseType], description: d.description ?? null,
  legalBasis: d.legalBasis, agency, basedOn: d.basedOn, steps: d.steps.length,
});

export async function listProcedures(ctx: AppContext): Promise<Listed[]> {
  const all = listAllDefinitionVersions();
  const out = listDefinitions().map((d) => listed(d, all.filter((x) => x.id === d.id).map((x) => x.version), null));
  const rows = await rulesRepo.listAdaptations(ctx.db);
  const names = new Map((await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE id = ANY($1)`, [[...new Set(rows.map((r) => r.agency_id))]])).rows.map((r) => [r.id, r.name]));
  const latest = new Map<string, rulesRepo.AdaptationRow>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, r);
  for (const r of latest.values()) {
    const d = await definitionOf(ctx.db, r.id, r.version);
    out.push(listed(d, rows.filter((x) => x.id === r.id).map((x) => x.version).sort((a, b) => a - b), { id: r.agency_id, name: names.get(r.agency_id) ?? '' }));
  }
  return out;
}

async function definition(ctx: AppContext, id: string, version?: number): Promise<ProcedureDefinition> {
  if (isBuiltIn(id)) return getDefinition(id, version);
  const row = await rulesRepo.getAdaptation(ctx.db, id, version);
  if (!row) throw notFound('程序');
  return definitionOf(ctx.db, row.id, row.version);
}

export async function registerProcedureRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/procedures', summary: '执法程序列表（内置程序及各机关的调整版本）', tags: TAGS, access: 'public',
    handler: async () => ({ items: await listProcedures(ctx) }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/procedures/:id', summary: '执法程序定义（JSON）及文字版流程', tags: TAGS, access: 'public', params: ID, query: VERSION,
    handler: async ({ params, query }) => {
      const d = await definition(ctx, params.id, query.version);
      return { definition: d, outline: procedureOutline(d), clocks: d.clocks.map((c) => ({ key: c.key, name: c.name, limit: limitText(c), basis: c.basis })) };
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/procedures/:id/flowchart.svg', summary: '执法流程图（SVG，与系统执行的程序为同一定义，R-P06）', tags: TAGS, access: 'public', params: ID, query: VERSION,
    handler: async ({ params, query, reply }) => {
      const d = await definition(ctx, params.id, query.version);
      // A version's chart never changes; the unversioned address follows the latest version.
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', query.version ? 'public, max-age=86400' : 'public, max-age=300')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(renderFlowchartSvg(d));
    },
  });

  app.get('/procedures', async (_req, reply) => {
    const items = await listProcedures(ctx);
    const groups = Object.entries(CASE_TYPE_LABELS).map(([type, label]) => ({ label, items: items.filter((i) => i.caseType === type) })).filter((g) => g.items.length);
    const body = html`<h1>执法流程图</h1>
<p class="muted">行政执法公示（R-P06）：每类执法行为的流程图由平台实际执行的程序定义生成，图中的环节、条件和期限即系统办案时检查的规则。</p>
${groups.map((g) => html`<h2>${g.label}</h2><div class="card"><table class="responsive"><thead><tr><th>程序</th><th>版本</th><th>制定机关</th><th>环节数</th></tr></thead><tbody>
${g.items.map((i) => html`<tr><td data-label="程序"><a href="/procedures/${i.id}">${i.name}</a></td><td data-label="版本">第${i.version}版</td><td data-label="制定机关">${i.agency?.name ?? '全国通用（法定程序）'}</td><td data-label="环节数">${i.steps}</td></tr>`)}
</tbody></table></div>`)}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: '执法流程图', demo: ctx.demo, body }));
  });

  app.get('/procedures/:id', async (req, reply) => {
    const p = ID.safeParse(req.params);
    const q = VERSION.safeParse(req.query);
    if (!p.success || !q.success) throw notFound('程序');
    const d = await definition(ctx, p.data.id, q.data.version);
    const svgUrl = `/api/v1/procedures/${d.id}/flowchart.svg?version=${d.version}`;
    const outline = procedureOutline(d);
    const body = html`<p><a href="/procedures">← 全部执法流程图</a></p>
<h1>${d.name}</h1>
<div class="card"><dl class="kv"><dt>类别</dt><dd>${CASE_TYPE_LABELS[d.caseType]}</dd><dt>版本</dt><dd>第${d.version}版${d.basedOn ? html`（在「${d.basedOn.id}」第${d.basedOn.version}版基础上调整）` : ''}</dd>
<dt>依据</dt><dd>${d.legalBasis.map((b) => html`<div>${b}</div>`)}</dd>${d.description ? html`<dt>说明</dt><dd>${d.description}</dd>` : ''}</dl></div>
<h2>流程图</h2>
<div class="card" style="overflow-x:auto"><a href="${svgUrl}"><img src="${svgUrl}" alt="${d.name}流程图（文字版见下方）" style="max-width:none"></a></div>
${d.clocks.length ? html`<h2>期限</h2><div class="card"><table class="responsive"><thead><tr><th>期限</th><th>时限</th><th>依据</th></tr></thead><tbody>
${d.clocks.map((c) => html`<tr><td data-label="期限">${c.name}</td><td data-label="时限">${limitText(c)}</td><td data-label="依据">${c.basis}</td></tr>`)}</tbody></table></div>` : ''}
<h2>文字版流程</h2>
<div class="card"><ol>${outline.map((it) => html`<li><strong>【${it.stageName}】${it.name}</strong>${it.kind === 'side' ? html`<span class="muted">（可在${it.during.map((x) => `「${x.name}」`).join('、')}期间办理）</span>` : ''}
<ul>${it.lines.map((l) => html`<li>${l}</li>`)}${it.next.map((n) => html`<li>→ ${n.name}${n.condition ? `：${n.condition}` : ''}</li>`)}</ul></li>`)}</ol></div>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: d.name, demo: ctx.demo, body }));
  });
}
