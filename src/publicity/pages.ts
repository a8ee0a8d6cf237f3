// Portal pages of decisions (issue 8): /decisions (search and filters), /decisions/<id> (text, summary,
// versions, withdrawal notice, ledger check, correction form) and the correction follow-up page. Server
// rendered from the public projection only; they work without JavaScript and read on a phone.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Feed } from 'feed';
import { z } from 'zod';
import * as ledger from '../ledger/service.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { todayInShanghai, unsafeTextErrors, uuid } from '../platform/validation.ts';
import { html, page, raw, type Raw } from '../portal/html.ts';
import { DecisionQuery, RANK_WINDOW, getPublic, publicDetail, publicVersions, searchDecisions } from './public.ts';
import { KIND_LABELS, KINDS, type Kind } from './rules.ts';
import { correctionStatus, sha256Hex, submitCorrection } from './service.ts';
import * as repo from './store.ts';
import { CORRECTION_EVIDENCE_MAX_BYTES, CORRECTION_EVIDENCE_TYPES, tooLarge, type EvidenceFile } from './correction-evidence.ts';

const STATUS_LABELS: Record<string, string> = { published: '公示中', withdrawn: '已撤回' };
export const CORRECTION_STATUS: Record<string, string> = { pending: '办理中', corrected: '已更正', refused: '不予更正' };

const PAGE_STYLE = raw(`<style>mark{background:#fff3b0;color:inherit;padding:0 1px}.hit{margin:6px 0 0}.decision-text{white-space:pre-wrap;word-break:break-word;font-family:inherit;margin:0}
.notice{border-left:6px solid var(--bad);background:#fff;padding:16px;margin-bottom:16px}.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:8px;margin-top:8px}
.filters label{display:flex;flex-direction:column;font-size:14px;color:var(--muted)}.filters input,.filters select{flex:none;padding:8px;font-size:16px;border:1px solid var(--line);border-radius:6px;color:var(--ink);background:#fff}
ol.results{list-style:none;padding:0;margin:0}ol.results li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin-bottom:10px}
code.hash{word-break:break-all;font-size:13px}textarea{width:100%;min-height:6em;font-size:16px;padding:8px;border:1px solid var(--line);border-radius:6px}
form.correction label{display:block;margin:8px 0 4px}form.correction input{width:100%;padding:8px;font-size:16px;border:1px solid var(--line);border-radius:6px}</style>`);

/** Marks the query's tokens in a short excerpt of the text (hits highlighted, R-P17 search). */
export function highlight(text: string, tokens: string[], around = 60): Raw {
  const words = [...new Set(tokens.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  let at = -1;
  for (const w of words) {
    const i = text.toLowerCase().indexOf(w);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at - around);
  const excerpt = (start > 0 ? '…' : '') + text.slice(start, start + around * 3).replace(/\s+/g, ' ') + (start + around * 3 < text.length ? '…' : '');
  if (!words.length) return html`${excerpt}`;
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  let out = '';
  let last = 0;
  for (const m of excerpt.matchAll(re)) {
    out += html`${excerpt.slice(last, m.index)}`.html + html`<mark>${m[0]}</mark>`.html;
    last = m.index! + m[0].length;
  }
  return raw(out + html`${excerpt.slice(last)}`.html);
}

function field(label: string, id: string, input: Raw): Raw {
  return html`<label for="${id}">${label}${input}</label>`;
}

export function registerDecisionPages(app: FastifyInstance, ctx: AppContext) {
  app.get('/decisions', async (req, reply) => {
    reply.type('text/html; charset=utf-8');
    const parsed = DecisionQuery.safeParse(req.query ?? {});
    const q = parsed.success ? parsed.data : DecisionQuery.parse({});
    const error = parsed.success ? null : parsed.error.issues.map((i) => i.message).join('；');
    const result = await searchDecisions(ctx.db, { ...q, updatedSince: undefined });
    const { rows: agencies } = await ctx.db.query<{ id: string; name: string }>(
      // One index probe per agency (publications_agency_status), not a scan of every publication.
      `SELECT a.id, a.name FROM agencies a WHERE EXISTS (SELECT 1 FROM publications p WHERE p.agency_id = a.id AND p.status IN ('published', 'withdrawn')) ORDER BY a.name`,
    );
    const keep = Object.fromEntries(Object.entries({ q: q.q, agency: q.agency, region: q.region, kind: q.kind, from: q.from, to: q.to }).filter(([, v]) => v)) as Record<string, string>;
    const nextLink = result.nextCursor ? `/decisions?${new URLSearchParams({ ...keep, cursor: result.nextCursor }).toString()}` : null;
    return page({
      title: '执法决定公示', demo: ctx.demo,
      body: html`${PAGE_STYLE}<h1>执法决定公示</h1>
<div class="card"><form class="search" action="/decisions" method="get" role="search">
<label class="muted" for="q" style="flex-basis:100%">检索：决定书文号、当事人名称、违法行为等（可输入多个词，以空格分隔）</label>
<input id="q" name="q" value="${q.q ?? ''}" placeholder="如：过期 食品" autocomplete="off"><button type="submit">检索</button>
<div class="filters" style="flex-basis:100%">
${field('执法机关', 'agency', html`<select id="agency" name="agency"><option value="">全部</option>${agencies.map((a) => html`<option value="${a.id}"${q.agency === a.id ? raw(' selected') : ''}>${a.name}</option>`)}</select>`)}
${field('决定类型', 'kind', html`<select id="kind" name="kind"><option value="">全部</option>${KINDS.map((k) => html`<option value="${k}"${q.kind === k ? raw(' selected') : ''}>${KIND_LABELS[k]}</option>`)}</select>`)}
${field('行政区划代码', 'region', html`<input id="region" name="region" value="${q.region ?? ''}" inputmode="numeric" placeholder="如 330106">`)}
${field('决定日期自', 'from', html`<input id="from" name="from" type="date" value="${q.from ?? ''}">`)}
${field('决定日期至', 'to', html`<input id="to" name="to" type="date" value="${q.to ?? ''}">`)}
</div></form>${error ? html`<p role="alert">${error}</p>` : ''}</div>
${q.q ? html`<p class="muted">排序：最新的 ${RANK_WINDOW} 条命中按相关度排列，其后按公布日期由新到旧。</p>` : ''}
<p class="muted">本页数据同时提供 <a href="/api/v1/public/decisions">开放接口</a>、<a href="/feeds/decisions.atom">Atom 订阅</a> 与 <a href="/api/v1/public/exports/penalties.csv">双公示数据下载</a>。个人信息已依法隐去。</p>
${result.rows.length ? html`<ol class="results">${result.rows.map((r) => html`<li><a href="/decisions/${r.id}"><strong>${r.document_number}</strong></a>
<span class="tag ${r.status === 'withdrawn' ? 'revoked' : 'valid'}">${STATUS_LABELS[r.status] ?? r.status}</span>
<div>${KIND_LABELS[r.kind as Kind] ?? r.kind} · 当事人：${r.party_display} · ${r.agency_name} · 决定日期 ${r.decided_on}</div>
${r.status === 'published' && r.public_text ? html`<p class="hit muted">${highlight(r.public_text, result.tokens)}</p>` : html`<p class="hit muted">该信息已撤回：${r.withdrawal_reason ?? ''}</p>`}</li>`)}</ol>`
        : html`<div class="card">没有找到符合条件的公示信息。</div>`}
${nextLink ? html`<div class="pager"><a href="${nextLink}">下一页</a></div>` : ''}`,
    });
  });

  app.get('/decisions/corrections/:tracking', async (req, reply) => {
    const tracking = String((req.params as { tracking?: string }).tracking ?? '');
    if (!/^GZ\d{8}[0-9A-F]{10}$/.test(tracking)) throw new AppError('not_found', { detail: '更正申请不存在。' });
    const s = await correctionStatus(ctx, tracking);
    reply.type('text/html; charset=utf-8');
    return page({
      title: '更正申请办理情况', demo: ctx.demo,
      body: html`${PAGE_STYLE}<h1>更正申请办理情况</h1><div class="card"><dl class="kv">
<dt>查询号</dt><dd>${s.trackingNumber}</dd><dt>提交日期</dt><dd>${s.submittedOn}</dd><dt>办理期限</dt><dd>${s.dueOn}</dd>
<dt>状态</dt><dd><strong>${CORRECTION_STATUS[s.status] ?? s.status}</strong></dd>
${s.answer ? html`<dt>答复</dt><dd>${s.answer}（${s.answeredOn}）</dd>` : ''}
<dt>公示信息</dt><dd><a href="/decisions/${s.newPublicationId ?? s.publicationId}">查看</a></dd></dl></div>`,
    });
  });

  app.get('/decisions/:id', async (req, reply) => {
    const id = String((req.params as { id?: string }).id ?? '');
    if (!uuid().safeParse(id).success) throw new AppError('not_found', { detail: '公示信息不存在。' });
    const row = await getPublic(ctx, id);
    return reply.type('text/html; charset=utf-8').send(await detailPage(ctx, row, (req.query as { submitted?: string }).submitted));
  });

  // The correction form posts as a plain HTML form (no JavaScript): multipart with its evidence file, or
  // urlencoded without one; both are read in this scope only.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    await scope.register(multipart, { limits: { fileSize: CORRECTION_EVIDENCE_MAX_BYTES, files: 1, fields: 4, fieldSize: 16 * 1024, parts: 5 } });
    scope.post('/decisions/:id/corrections', async (req, reply) => {
      const id = String((req.params as { id?: string }).id ?? '');
      if (!uuid().safeParse(id).success) throw new AppError('not_found', { detail: '公示信息不存在。' });
      const { fields, evidence } = req.isMultipart() ? await readCorrectionForm(req) : { fields: req.body ?? {}, evidence: null };
      const bad = unsafeTextErrors(fields);
      if (bad.length) throw new AppError('validation', { detail: '提交内容含有不允许的字符', errors: bad });
      const body = CorrectionForm.safeParse(fields);
      if (!body.success) throw new AppError('validation', { detail: body.error.issues.map((i) => i.message).join('；'), errors: body.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
      const r = await submitCorrection(ctx, req, id, { ...body.data, evidence });
      return reply.redirect(`/decisions/corrections/${r.trackingNumber}`, 303);
    });
  });

  app.get('/feeds/decisions.atom', async (_req, reply) => {
    const base = ctx.config.publicUrl;
    const { rows } = await ctx.db.query<repo.PublicationRow>(
      `SELECT ${repo.PUBLIC_COLUMNS} FROM ${repo.FROM} WHERE p.status IN ('published', 'withdrawn') AND (p.public_until IS NULL OR p.public_until >= $1) ORDER BY p.updated_at DESC, p.id DESC LIMIT 50`,
      [todayInShanghai()],
    );
    const feed = new Feed({
      id: `${base}/feeds/decisions.atom`, title: '行政执法决定公示', link: `${base}/decisions`, language: 'zh-CN', copyright: '行政执法公示平台',
      updated: rows[0]?.updated_at ?? new Date(0), feedLinks: { atom: `${base}/feeds/decisions.atom` },
    });
    for (const r of rows) {
      const d = publicDetail(ctx, r);
      const withdrawn = r.status === 'withdrawn';
      feed.addItem({
        id: `${d.url}#${withdrawn ? 'withdrawn' : `v${r.version}`}`, link: d.url, date: r.updated_at,
        title: `${withdrawn ? '【撤回】' : ''}${r.document_number} ${r.party_display}`,
        description: withdrawn ? `撤回日期：${r.withdrawn_on}；理由：${r.withdrawal_reason}` : `${KIND_LABELS[r.kind as Kind]} · ${r.agency_name} · ${r.summary.content ?? ''}`,
        content: withdrawn ? undefined : (r.public_text ?? undefined),
        category: [{ name: KIND_LABELS[r.kind as Kind], term: r.kind }],
      });
    }
    return reply.type('application/atom+xml; charset=utf-8').send(feed.atom1());
  });
}

/** The multipart form: its text fields and its one evidence file (none when the file input was left empty). */
async function readCorrectionForm(req: FastifyRequest): Promise<{ fields: Record<string, string>; evidence: EvidenceFile | null }> {
  const fields: Record<string, string> = {};
  let evidence: EvidenceFile | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'evidence') throw new AppError('validation', { detail: '只能上传一个证据文件（字段 evidence）。' });
        const bytes = await part.toBuffer();
        if (part.filename || bytes.length) evidence = { filename: part.filename, mediaType: part.mimetype, bytes };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if ((err as { code?: string }).code === 'FST_FILES_LIMIT' || (err as { code?: string }).code === 'FST_PARTS_LIMIT' || (err as { code?: string }).code === 'FST_FIELDS_LIMIT') {
      throw new AppError('validation', { detail: '只能上传一个证据文件，且只填写联系方式和更正内容。' });
    }
    throw err;
  }
  return { fields, evidence };
}

const CorrectionForm = z.object({
  contact: z.string().trim().min(3, '请填写联系方式').max(100, '联系方式最多 100 字'),
  text: z.string().trim().min(10, '请写明需要更正的内容及理由（至少 10 字）').max(2000, '最多 2000 字'),
});
export { CorrectionForm };

async function detailPage(ctx: AppContext, row: repo.PublicationRow, submitted?: string): Promise<string> {
  const d = publicDetail(ctx, row);
  const versions = await publicVersions(ctx, row);
  const withdrawn = row.status === 'withdrawn';
  const digest = row.content_sha256;
  const entries = digest ? (await ledger.entriesByDigest(ctx.db, digest)).entries : [];
  const textOk = !withdrawn && row.public_text !== null && digest === sha256Hex(row.public_text);
  return page({
    title: row.document_number, demo: ctx.demo,
    body: html`${PAGE_STYLE}<h1>${row.document_number}</h1>
${withdrawn ? html`<div class="notice" role="alert"><h2>撤回公告</h2><p>本公示信息已于 ${row.withdrawn_on} 撤回。</p><p>理由：${row.withdrawal_reason ?? ''}</p></div>` : ''}
<div class="card"><h2>信息摘要</h2><dl class="kv">
<dt>决定书文号</dt><dd>${d.summary.documentNumber}</dd><dt>决定类型</dt><dd>${KIND_LABELS[row.kind as Kind]}</dd><dt>当事人</dt><dd>${d.party}</dd>
<dt>违法行为类型</dt><dd>${d.summary.violation}</dd><dt>处理内容</dt><dd>${d.summary.content}</dd><dt>作出机关</dt><dd>${d.agency.name}</dd>
<dt>决定日期</dt><dd>${d.decidedOn}</dd><dt>公示日期</dt><dd>${d.publishedOn ?? ''}</dd><dt>公示期至</dt><dd>${row.public_until ?? ''}</dd><dt>状态</dt><dd>${STATUS_LABELS[row.status] ?? row.status}</dd></dl></div>
${versions.length > 1 ? html`<div class="card"><h2>版本</h2><ul>${versions.map((v) => html`<li>${v.id === row.id ? html`<strong>第 ${v.version} 版（本页）</strong>` : html`<a href="/decisions/${v.id}">第 ${v.version} 版</a>`} · ${STATUS_LABELS[v.status] ?? v.status} · ${v.published_on ?? ''}</li>`)}</ul></div>` : ''}
${withdrawn ? '' : html`<div class="card"><h2>决定书正文</h2><pre class="decision-text">${row.public_text ?? ''}</pre></div>`}
<div class="card"><h2>存证核验</h2>
${digest ? html`<p>公示正文的 SHA-256：<code class="hash">${digest}</code></p>
<p>${entries.length ? html`已记入存证账本第 ${entries.map((e) => e.index).join('、')} 条。` : '正在写入存证账本，稍后可查。'}${textOk ? ' 本页正文与该摘要一致。' : ''}</p>
<p class="muted">任何人都可以复制正文，自行计算 SHA-256，再在 <a href="/ledger/verify">存证核验</a> 页面或 <a href="/api/v1/ledger/entries/by-commitment/${digest}">账本接口</a> 查找该摘要。</p>` : ''}</div>
${withdrawn ? '' : html`<div class="card"><h2>申请更正</h2>${submitted ? html`<p role="status">已提交。</p>` : ''}
<p class="muted">您有证据证明上述信息不准确的，可以申请更正（政府信息公开条例第41条）。提交后您将获得查询号，可随时查看办理情况。</p>
<form class="correction" method="post" action="/decisions/${row.id}/corrections" enctype="multipart/form-data">
<label for="contact">联系方式（电话或邮箱，仅办理机关可见）</label><input id="contact" name="contact" required maxlength="100" autocomplete="tel">
<label for="text">需要更正的内容、理由及证据说明</label><textarea id="text" name="text" required minlength="10" maxlength="2000"></textarea>
<label for="evidence">证据文件（可选，一个 JPG、PNG 或 PDF，不超过 5 MB；仅办理机关及其监督机构可查看）</label><input id="evidence" name="evidence" type="file" accept="${CORRECTION_EVIDENCE_TYPES.join(',')}">
<p><button type="submit">提交更正申请</button></p></form></div>`}
<p><a href="/decisions">返回公示列表</a></p>`,
  });
}
