// The portal's complaint pages (R-S03): file a complaint without JavaScript (an HTML form posted as
// application/x-www-form-urlencoded, parsed only in this scope) and follow it by its tracking number.
// The JSON API (/api/v1/public/complaints) does the same for other clients, with evidence files.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { html, page, type Raw } from '../portal/html.ts';
import { fileComplaint, trackComplaint, TRACKING_RE } from './complaints.ts';
import { ComplaintInput } from './schema.ts';

const FORM_LIMIT = 64 * 1024;

async function agencyOptions(ctx: AppContext) {
  const { rows } = await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE kind = 'enforcement' ORDER BY region_code, name`);
  return rows;
}

function formPage(ctx: AppContext, agencies: { id: string; name: string }[], errors: string[] = [], values: Record<string, string> = {}) {
  const opt = (v: string, label: string, cur?: string) => html`<option value="${v}"${cur === v ? html` selected` : ''}>${label}</option>`;
  return page({
    title: '投诉举报', demo: ctx.demo,
    body: html`<h1>行政执法投诉举报</h1>
<div class="card"><form class="search" action="/complaints/track" method="get" role="search"><label class="muted" for="n" style="flex-basis:100%">已提交过？输入查询码查看办理进度</label>
<input id="n" name="n" placeholder="查询码，如 TS20261125ABCDEFGH" autocomplete="off"><button type="submit">查询进度</button></form></div>
${errors.length ? html`<div class="card" role="alert"><strong>请修改后再提交：</strong><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<div class="card"><form method="post" action="/complaints" class="complaint">
<p><label>被投诉的执法机关<br><select name="agencyId" required style="width:100%;padding:8px">${agencies.map((a) => opt(a.id, a.name, values.agencyId))}</select></label></p>
<p><label>投诉对象<br><select name="subjectKind" style="width:100%;padding:8px">${opt('agency_act', '机关的执法行为', values.subjectKind)}${opt('officer_conduct', '执法人员的行为', values.subjectKind)}</select></label></p>
<p><label>执法人员姓名或证号（投诉执法人员时填写）<br><input name="officerName" maxlength="50" value="${values.officerName ?? ''}" style="width:100%;padding:8px"></label></p>
<p><label>投诉事项（一句话）<br><input name="summary" required maxlength="100" value="${values.summary ?? ''}" style="width:100%;padding:8px"></label></p>
<p><label>具体情况<br><textarea name="content" required maxlength="5000" rows="6" style="width:100%;padding:8px">${values.content ?? ''}</textarea></label></p>
<p><label>发生日期<br><input name="happenedOn" type="date" value="${values.happenedOn ?? ''}" style="padding:8px"></label></p>
<p><label><input type="checkbox" name="realName" value="1"${values.realName ? html` checked` : ''}> 实名投诉（您的姓名和电话仅由司法行政机关掌握，严格保密，办理结果将告知您）</label></p>
<p><label>姓名<br><input name="name" maxlength="50" value="${values.name ?? ''}" style="width:100%;padding:8px"></label></p>
<p><label>联系电话<br><input name="phone" maxlength="20" value="${values.phone ?? ''}" style="width:100%;padding:8px"></label></p>
<p class="muted">需要提交照片等证据材料的，可在受理后按告知方式补充，或通过 /api/v1/public/complaints 接口一并上传。</p>
<button type="submit">提交投诉</button></form></div>`,
  });
}

function trackPage(ctx: AppContext, body: Raw) {
  return page({ title: '投诉办理进度', demo: ctx.demo, body });
}

export async function registerComplaintPages(app: FastifyInstance, ctx: AppContext) {
  app.get('/complaints', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return formPage(ctx, await agencyOptions(ctx));
  });

  app.get('/complaints/track', async (req, reply) => {
    const n = String((req.query as { n?: unknown }).n ?? '').trim().toUpperCase();
    reply.type('text/html; charset=utf-8');
    if (!TRACKING_RE.test(n)) {
      reply.code(n ? 400 : 200);
      return trackPage(ctx, html`<h1>投诉办理进度</h1><div class="card">${n ? '查询码格式不正确。' : '请输入查询码。'}<p><a href="/complaints">返回投诉举报</a></p></div>`);
    }
    try {
      const t = await trackComplaint(ctx, req, n);
      return trackPage(ctx, html`<h1>投诉办理进度</h1><div class="card"><dl class="kv">
<dt>查询码</dt><dd>${t.trackingNumber}</dd><dt>状态</dt><dd><strong class="status">${t.statusLabel}</strong></dd><dt>收到日期</dt><dd>${t.receivedOn}</dd>
<dt>受理期限</dt><dd>${t.acceptBy}</dd>${t.acceptedOn ? html`<dt>受理日期</dt><dd>${t.acceptedOn}</dd><dt>办结期限</dt><dd>${t.closeBy ?? ''}</dd>` : ''}
${t.closedOn ? html`<dt>办结日期</dt><dd>${t.closedOn}</dd>` : ''}${t.reply ? html`<dt>答复</dt><dd class="reply">${t.reply}</dd>` : ''}</dl></div>`);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      reply.code(e.status);
      return trackPage(ctx, html`<h1>投诉办理进度</h1><div class="card">${e.status === 404 ? '没有找到这个查询码对应的投诉。' : e.detail}</div>`);
    }
  });

  // Form posts: parsed here only; everywhere else the API takes JSON alone.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.post('/complaints', async (req, reply) => {
      const v = (req.body ?? {}) as Record<string, string>;
      const values = Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string').map(([k, x]) => [k, x.slice(0, 5000)]));
      const input = {
        agencyId: values.agencyId, subjectKind: values.subjectKind, summary: values.summary, content: values.content, realName: values.realName === '1',
        ...(values.officerName ? { officerName: values.officerName } : {}), ...(values.happenedOn ? { happenedOn: values.happenedOn } : {}),
        ...(values.name ? { name: values.name } : {}), ...(values.phone ? { phone: values.phone } : {}),
      };
      reply.type('text/html; charset=utf-8');
      const parsed = ComplaintInput.safeParse(input);
      if (!parsed.success) {
        reply.code(400);
        return formPage(ctx, await agencyOptions(ctx), parsed.error.issues.map((i) => i.message), values);
      }
      try {
        const r = await fileComplaint(ctx, req, parsed.data);
        return trackPage(ctx, html`<h1>投诉已提交</h1><div class="card"><p>请记下您的查询码：</p><p class="big" style="font-size:26px;font-weight:800;letter-spacing:2px" id="tracking">${r.trackingNumber}</p>
<p>我们将在 <strong>${r.acceptBy}</strong> 前决定是否受理。凭查询码可随时<a href="/complaints/track?n=${r.trackingNumber}">查看办理进度</a>。</p></div>`);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        reply.code(e.status);
        return formPage(ctx, await agencyOptions(ctx), [e.detail], values);
      }
    });
  });
}
