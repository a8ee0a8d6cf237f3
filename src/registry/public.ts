// What the public may see of the registry (R-P02, R-P03, R-P08): the directory of enforcement bodies,
// the officer list, and the certificate verification page that a card's QR code opens. Only public
// fields leave here: never ID numbers, phone numbers or internal ids of officers.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { isUuid, pageQuery, todayInShanghai } from '../platform/validation.ts';
import { html, page } from '../portal/html.ts';
import * as registryRepo from './store.ts';
import { LABELS } from './schema.ts';
import { publicKeyBase64, signedVerifyUrl, verifyClaims } from './certificate.ts';

const TAGS = ['公开：执法主体与人员'];

export function publicOfficer(o: registryRepo.OfficerRow) {
  return {
    certificateNumber: o.certificate_number,
    name: o.name,
    agency: o.agency_name,
    category: o.category,
    area: o.area,
    validFrom: o.valid_from,
    validTo: o.valid_to,
    status: o.effective_status,
    statusLabel: LABELS.status[o.effective_status as keyof typeof LABELS.status],
  };
}

export function publicAgency(a: registryRepo.AgencyRow) {
  return {
    id: a.id, name: a.name, creditCode: a.credit_code, kind: a.kind, level: a.level, regionCode: a.region_code, legalStatus: a.legal_status,
    legalStatusLabel: LABELS.legalStatus[a.legal_status as keyof typeof LABELS.legalStatus], entrustingAgency: a.entrusting_agency_name,
    fields: a.fields, duties: a.duties, legalBasis: a.legal_basis, parent: a.parent_name, reviewUnit: a.review_unit, address: a.address, phone: a.phone,
  };
}

const OfficerQuery = z.object({
  q: z.string().trim().max(50, '关键词最多 50 字').optional(),
  agency: z.string().trim().max(64).optional(),
  ...pageQuery,
});

export async function searchPublicOfficers(ctx: AppContext, f: z.infer<typeof OfficerQuery>) {
  const params: unknown[] = [todayInShanghai()];
  let where = 'TRUE';
  if (f.agency) {
    params.push(f.agency);
    where = isUuid(f.agency) ? `a.id = $2::uuid` : `(a.credit_code = upper($2) OR a.name = $2)`;
  }
  const r = await registryRepo.searchOfficers(ctx.db, where, params, { q: f.q || undefined }, f.pageSize, (f.page - 1) * f.pageSize);
  return { items: r.items.map(publicOfficer), total: r.total };
}

export async function certificateUrl(ctx: AppContext, certificateNumber: string) {
  const o = await registryRepo.getOfficerByCertificate(ctx.db, todayInShanghai(), certificateNumber);
  if (!o) throw notFound('执法证');
  const { rows } = await ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM agencies WHERE id = $1`, [o.agency_id]);
  return signedVerifyUrl(ctx.db, ctx.config.publicUrl, { n: o.certificate_number, name: o.name, org: rows[0]!.credit_code, cat: o.category, area: o.area, from: o.valid_from, to: o.valid_to });
}

const statusTag = (status: string) => html`<span class="tag ${status}">${LABELS.status[status as keyof typeof LABELS.status] ?? status}</span>`;

function pager(base: string, query: Record<string, string | undefined>, pageNo: number, pageSize: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number) => base + '?' + new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v)), page: String(p) } as Record<string, string>).toString();
  return html`<div class="pager">${pageNo > 1 ? html`<a href="${link(pageNo - 1)}">上一页</a>` : ''}<span class="muted">第 ${pageNo} / ${pages} 页，共 ${total} 条</span>${pageNo < pages ? html`<a href="${link(pageNo + 1)}">下一页</a>` : ''}</div>`;
}

export async function registerPublicRegistryRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/officers', summary: '公开查询执法人员（姓名开头或证号开头）', tags: TAGS, access: 'public', query: OfficerQuery,
    handler: ({ query }) => searchPublicOfficers(ctx, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/officers/:certificateNumber', summary: '按执法证号核验', tags: TAGS, access: 'public',
    params: z.object({ certificateNumber: z.string().max(64) }),
    handler: async ({ params }) => {
      const o = await registryRepo.getOfficerByCertificate(ctx.db, todayInShanghai(), params.certificateNumber);
      if (!o) throw notFound('执法证');
      return publicOfficer(o);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/agencies', summary: '执法主体名录', tags: TAGS, access: 'public',
    query: z.object({ q: z.string().trim().max(100).optional(), ...pageQuery }),
    handler: async ({ query }) => {
      const params: unknown[] = [];
      let where = 'TRUE';
      if (query.q) {
        params.push('%' + registryRepo.escapeLike(query.q) + '%');
        where = `a.name LIKE $1 OR a.credit_code LIKE $1`;
      }
      const r = await registryRepo.listAgencies(ctx.db, `(${where})`, params, query.pageSize, (query.page - 1) * query.pageSize);
      return { items: r.items.map(publicAgency), total: r.total };
    },
  });
  app.get('/verify/key', async (_req, reply) => {
    reply.type('application/json');
    return { algorithm: 'Ed25519', publicKey: await publicKeyBase64(ctx.db), usage: '执法证二维码中 d 参数（规范化 JSON）的签名 s 用此公钥验证' };
  });

  // ---- pages ----
  app.get('/', async (_req, reply) => {
    const { rows } = await ctx.db.query<{ agencies: number; officers: number }>(
      `SELECT (SELECT count(*)::int FROM agencies WHERE kind = 'enforcement') AS agencies, (SELECT count(*)::int FROM officers WHERE status = 'valid') AS officers`,
    );
    const c = rows[0]!;
    reply.type('text/html; charset=utf-8');
    return page({
      title: '首页', demo: ctx.demo,
      body: html`<h1>行政执法信息公示</h1>
<div class="card"><form class="search" action="/officers" method="get" role="search"><label class="muted" for="q" style="flex-basis:100%">查询执法人员：输入姓名或执法证号</label>
<input id="q" name="q" placeholder="姓名或执法证号" autocomplete="off"><button type="submit">查询</button></form></div>
<div class="card"><h2>公示内容</h2><ul>
<li><a href="/agencies">执法主体名录</a>：${c.agencies} 个执法机关的名称、性质、职责与依据</li>
<li><a href="/officers">执法人员名单</a>：${c.officers} 名持有效执法证的执法人员</li>
<li><a href="/ledger/verify">存证核验</a>：核对任何公示文书或证据文件是否被篡改</li></ul>
<p class="muted">执法人员执法时应出示执法证件；您可扫描证件上的二维码核验其身份与证件状态。</p></div>`,
    });
  });

  app.get('/agencies', async (req, reply) => {
    const q = z.object({ q: z.string().trim().max(100).optional(), page: z.coerce.number().int().min(1).catch(1).default(1) }).parse(req.query);
    const params: unknown[] = [];
    let where = 'TRUE';
    if (q.q) {
      params.push('%' + registryRepo.escapeLike(q.q) + '%');
      where = 'a.name LIKE $1 OR a.credit_code LIKE $1';
    }
    const r = await registryRepo.listAgencies(ctx.db, `(${where})`, params, 30, (q.page - 1) * 30);
    reply.type('text/html; charset=utf-8');
    return page({
      title: '执法主体名录', demo: ctx.demo,
      body: html`<h1>执法主体名录</h1>
<div class="card"><form class="search" method="get" role="search"><input name="q" value="${q.q ?? ''}" aria-label="机关名称或统一社会信用代码" placeholder="机关名称或统一社会信用代码"><button>查询</button></form></div>
<table class="responsive"><thead><tr><th>名称</th><th>统一社会信用代码</th><th>层级</th><th>主体性质</th><th>执法领域</th></tr></thead><tbody>
${r.items.map((a) => html`<tr><td data-label="名称"><a href="/agencies/${a.id}">${a.name}</a></td><td data-label="信用代码">${a.credit_code}</td><td data-label="层级">${LABELS.level[a.level as keyof typeof LABELS.level]}</td><td data-label="性质">${LABELS.legalStatus[a.legal_status as keyof typeof LABELS.legalStatus]}${a.entrusting_agency_name ? html`（委托机关：${a.entrusting_agency_name}）` : ''}</td><td data-label="领域">${a.fields.join('、')}</td></tr>`)}
</tbody></table>${pager('/agencies', { q: q.q }, q.page, 30, r.total)}`,
    });
  });

  app.get('/agencies/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const a = isUuid(id) ? await registryRepo.getAgency(ctx.db, id) : undefined;
    if (!a) throw notFound('执法主体');
    const officers = await registryRepo.searchOfficers(ctx.db, 'a.id = $2', [todayInShanghai(), id], {}, 200, 0);
    reply.type('text/html; charset=utf-8');
    return page({
      title: a.name, demo: ctx.demo,
      body: html`<h1>${a.name}</h1><div class="card"><dl class="kv">
<dt>统一社会信用代码</dt><dd>${a.credit_code}</dd><dt>层级</dt><dd>${LABELS.level[a.level as keyof typeof LABELS.level]}</dd><dt>行政区划</dt><dd>${a.region_code}</dd>
<dt>主体性质</dt><dd>${LABELS.legalStatus[a.legal_status as keyof typeof LABELS.legalStatus]}</dd>${a.entrusting_agency_name ? html`<dt>委托机关</dt><dd>${a.entrusting_agency_name}</dd>` : ''}
<dt>执法领域</dt><dd>${a.fields.join('、')}</dd><dt>职责</dt><dd>${a.duties}</dd><dt>法律依据</dt><dd>${a.legal_basis}</dd><dt>法制审核机构</dt><dd>${a.review_unit}</dd>
<dt>地址</dt><dd>${a.address}</dd><dt>电话</dt><dd>${a.phone}</dd></dl></div>
<h2>执法人员（${officers.total} 人）</h2><table class="responsive"><thead><tr><th>姓名</th><th>执法证号</th><th>执法类别</th><th>状态</th></tr></thead><tbody>
${officers.items.map((o) => html`<tr><td data-label="姓名">${o.name}</td><td data-label="证号"><a href="/verify/officer/${encodeURIComponent(o.certificate_number)}">${o.certificate_number}</a></td><td data-label="类别">${o.category}</td><td data-label="状态">${statusTag(o.effective_status)}</td></tr>`)}
</tbody></table>`,
    });
  });

  app.get('/officers', async (req, reply) => {
    const parsed = OfficerQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : { page: 1, pageSize: 20, q: undefined, agency: undefined };
    const r = await searchPublicOfficers(ctx, { ...q, pageSize: 20 });
    reply.type('text/html; charset=utf-8');
    return page({
      title: '执法人员名单', demo: ctx.demo,
      body: html`<h1>执法人员名单</h1>
<div class="card"><form class="search" method="get" role="search"><input name="q" value="${q.q ?? ''}" aria-label="姓名或执法证号" placeholder="输入姓名或执法证号开头"><button>查询</button></form></div>
${r.items.length ? html`<table class="responsive"><thead><tr><th>姓名</th><th>执法证号</th><th>执法机关</th><th>执法类别</th><th>有效期至</th><th>状态</th></tr></thead><tbody>
${r.items.map((o) => html`<tr><td data-label="姓名">${o.name}</td><td data-label="证号"><a href="/verify/officer/${encodeURIComponent(o.certificateNumber)}">${o.certificateNumber}</a></td><td data-label="机关">${o.agency}</td><td data-label="类别">${o.category}</td><td data-label="有效期至">${o.validTo}</td><td data-label="状态">${statusTag(o.status)}</td></tr>`)}
</tbody></table>${pager('/officers', { q: q.q, agency: q.agency }, q.page, 20, r.total)}` : html`<p class="card">没有找到符合条件的执法人员。</p>`}`,
    });
  });

  // The page a certificate's QR code opens (R-P08): live status first, unmistakable when not valid.
  app.get('/verify/officer/:number', async (req, reply) => {
    const { number } = req.params as { number: string };
    const { d, s } = req.query as { d?: string; s?: string };
    const o = number.length <= 64 ? await registryRepo.getOfficerByCertificate(ctx.db, todayInShanghai(), number) : undefined;
    const claims = d && s ? await verifyClaims(ctx.db, d, s) : null;
    const signatureNote = d && s
      ? claims && claims.n === number
        ? html`<p>✔ 二维码签名有效：二维码内容由本平台签发，未被篡改。</p>`
        : html`<p><strong>✘ 二维码签名无效：此二维码不是本平台签发或已被篡改，请谨慎对待并拨打 12345 反映。</strong></p>`
      : '';
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!o) {
      reply.code(404);
      return page({ title: '执法证核验', demo: ctx.demo, body: html`<h1>执法证核验</h1><div class="verdict unknown"><div class="big">查无此证</div><p>执法证号 ${number} 未在本平台登记。请勿配合未出示有效执法证件的执法活动，可拨打 12345 反映。</p>${signatureNote}</div>` });
    }
    const status = o.effective_status;
    const verdict = { valid: '证件有效', suspended: '证件已暂扣', revoked: '证件已吊销', expired: '证件已过期' }[status] ?? status;
    const stale = claims && (claims.name !== o.name || claims.to !== o.valid_to || claims.cat !== o.category) ? html`<p>注意：二维码中的信息与当前登记信息不一致，以本页显示的当前登记信息为准。</p>` : '';
    return page({
      title: `执法证核验 ${o.certificate_number}`, demo: ctx.demo,
      body: html`<h1>执法证核验</h1>
<div class="verdict ${status}" role="status"><div class="big">${verdict}</div>${status === 'valid' ? html`<p>该执法人员可在其执法区域和类别内从事执法活动。执法时应至少两名执法人员共同进行。</p>` : html`<p>持此证件的人员目前<strong>不得</strong>从事行政执法活动。如遇其执法，可拨打 12345 或向司法行政机关反映。</p>`}${signatureNote}${stale}</div>
<div class="card"><dl class="kv"><dt>姓名</dt><dd>${o.name}</dd><dt>执法证号</dt><dd>${o.certificate_number}</dd><dt>执法机关</dt><dd>${o.agency_name}</dd>
<dt>执法类别</dt><dd>${o.category}</dd><dt>执法区域</dt><dd>${o.area}</dd><dt>有效期</dt><dd>${o.valid_from} 至 ${o.valid_to}</dd>
<dt>证件状态</dt><dd>${statusTag(status)}</dd><dt>核验时间</dt><dd>${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</dd></dl></div>
<p class="muted">离线核验：二维码中的 d 参数是证件信息，s 参数是平台 Ed25519 签名，公钥见 <a href="/verify/key">/verify/key</a>。</p>`,
    });
  });
}
