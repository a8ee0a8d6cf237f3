// Routes of 网上受理 (R-P07, R-I04): the portal's application form under each published guide (a plain
// multipart form that works without JavaScript; with it, a progress bar while the files upload), the
// 办理进度查询 page, and the same through the public JSON API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { isUuid } from '../platform/validation.ts';
import { html, page, raw, type Raw } from '../portal/html.ts';
import { normaliseMediaType } from '../blobs/service.ts';
import * as apply from './apply.ts';
import * as guides from './service.ts';

const PUBLIC_TAGS = ['公开：网上受理'];
const FIELD_NAMES = ['applicantType', 'name', 'idNumber', 'phone', 'address', 'legalRepresentative'] as const;

// Progressive enhancement only: the form posts the same without it.
const PROGRESS_SCRIPT = raw(`<script>
(function(){var f=document.getElementById('apply-form');if(!f||!window.FormData||!window.XMLHttpRequest)return;
f.addEventListener('submit',function(e){e.preventDefault();var p=document.getElementById('upload-progress'),s=document.getElementById('upload-status'),b=f.querySelector('button[type=submit]');
p.hidden=false;b.disabled=true;var x=new XMLHttpRequest();x.open('POST',f.action);
x.upload.onprogress=function(ev){if(ev.lengthComputable){p.value=Math.round(ev.loaded/ev.total*100);s.textContent='正在上传：'+p.value+'%';}};
x.onload=function(){document.open();document.write(x.responseText);document.close();};
x.onerror=function(){b.disabled=false;s.textContent='上传中断，未保存任何内容，请重试。';};x.send(new FormData(f));});})();
</script>`);

type Guide = ReturnType<typeof guides.publicGuide> & { materials: { name: string; copies: string }[]; matterName: string };

function formPage(ctx: AppContext, g: Guide, errors: string[] = [], v: Record<string, string> = {}): string {
  const cfg = apply.applyUploadConfig();
  const opt = (value: string, label: string) => html`<option value="${value}"${v.applicantType === value ? raw(' selected') : ''}>${label}</option>`;
  const input = (name: string, label: string, attrs: Raw = raw('')) => html`<p><label for="f-${name}">${label}</label><br><input id="f-${name}" name="${name}" value="${v[name] ?? ''}" style="width:100%;padding:8px" ${attrs}></p>`;
  return page({
    title: `网上申请：${g.matterName}`, demo: ctx.demo,
    body: html`<h1>网上申请：${g.matterName}</h1><p class="muted">${g.agency.name} · 依据<a href="/guides/${g.id}">服务指南</a>办理 · 提交后即进入受理环节，请记下受理编号</p>
${errors.length ? html`<div class="card" role="alert"><strong>请修改后再提交：</strong><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<div class="card"><form id="apply-form" method="post" action="/guides/${g.id}/apply" enctype="multipart/form-data">
<p><label for="f-applicantType">申请人类型</label><br><select id="f-applicantType" name="applicantType" style="width:100%;padding:8px">${opt('citizen', '个人（身份证）')}${opt('organisation', '企业或其他组织（统一社会信用代码）')}</select></p>
${input('name', '申请人姓名或名称', raw('required maxlength="100" autocomplete="name"'))}
${input('idNumber', '身份证号码或统一社会信用代码', raw('required maxlength="18" autocomplete="off"'))}
${input('phone', '联系电话（查询进度时需要后四位）', raw('required maxlength="13" inputmode="tel" autocomplete="tel"'))}
${input('address', '住所或经营场所', raw('maxlength="200"'))}
${input('legalRepresentative', '法定代表人（负责人）（企业或其他组织填写）', raw('maxlength="50"'))}
<fieldset style="border:1px solid var(--line);border-radius:6px;padding:8px 12px"><legend>申请材料（每个文件不超过 ${apply.formatLimit(cfg.maxBytes)}；图片、PDF/OFD 或办公文档）</legend>
${g.materials.map((m, i) => html`<p><label for="f-m${i}">${m.name}（${m.copies}）</label><br><input id="f-m${i}" type="file" name="m${i}" accept="image/*,.pdf,.ofd,.doc,.docx,.xls,.xlsx,.txt"></p>`)}
</fieldset>
<p><progress id="upload-progress" max="100" value="0" hidden aria-label="上传进度"></progress> <span id="upload-status" role="status"></span></p>
<button type="submit">提交申请</button></form></div>${PROGRESS_SCRIPT}`,
  });
}

function trackForm(v: { n?: string } = {}): Raw {
  return html`<div class="card"><form method="get" action="/applications/track"><p><label for="t-n">受理编号</label><br><input id="t-n" name="n" value="${v.n ?? ''}" placeholder="如 SQ20261205ABCDEFGH" autocomplete="off" style="width:100%;padding:8px"></p>
<p><label for="t-p">申请时所留电话的后四位</label><br><input id="t-p" name="p" inputmode="numeric" maxlength="4" autocomplete="off" style="padding:8px"></p><button type="submit">查询进度</button></form></div>`;
}

function progressBody(t: Awaited<ReturnType<typeof apply.trackApplication>>): Raw {
  return html`<div class="card"><dl class="kv"><dt>受理编号</dt><dd>${t.trackingNumber}</dd><dt>申请事项</dt><dd>${t.matter ?? ''}</dd><dt>办理机关</dt><dd>${t.agency}</dd>
<dt>提交日期</dt><dd>${t.submittedOn}</dd><dt>当前环节</dt><dd><strong class="status" id="stage">${t.stageLabel}</strong>（${t.statusLabel}）</dd>${t.dueBy ? html`<dt>本环节法定期限</dt><dd>${t.dueBy} 前</dd>` : ''}</dl>
<h2 style="font-size:18px">办理记录</h2><ol>${t.history.map((h) => html`<li>${h.on} ${h.step}</li>`)}</ol></div>`;
}

async function guideOr404(ctx: AppContext, id: string): Promise<Guide> {
  if (!isUuid(id)) throw new AppError('not_found', { detail: '服务指南不存在。' });
  return guides.publicGuide(await guides.publicGet(ctx.db, id)) as Guide;
}

function errorsOf(e: AppError): string[] {
  return e.errors?.length && e.code === 'validation' ? e.errors.map((x) => x.message) : [e.detail];
}

/** Reads a multipart form: text fields and the chosen files, each bounded by the upload limit. */
async function readForm(req: FastifyRequest, g: Guide, values: Record<string, string>) {
  const files: apply.UploadedMaterial[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if ((FIELD_NAMES as readonly string[]).includes(part.fieldname) && typeof part.value === 'string') values[part.fieldname] = part.value.slice(0, 300);
        continue;
      }
      const idx = /^m(\d{1,2})$/.exec(part.fieldname)?.[1];
      const bytes = await part.toBuffer();
      if (!part.filename && bytes.length === 0) continue; // a file input left empty
      const material = idx !== undefined ? g.materials[Number(idx)] : undefined;
      files.push({ name: material?.name ?? '其他材料', filename: part.filename.slice(0, 255) || '未命名文件', mediaType: normaliseMediaType(part.mimetype), bytes });
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    const mb = apply.formatLimit(apply.applyUploadConfig().maxBytes);
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', { detail: `有文件超过 ${mb} 的上限，请压缩或分拆后再上传。` });
    if (code === 'FST_FILES_LIMIT') throw new AppError('validation', { detail: `最多上传 ${apply.MAX_FILES} 个文件。` });
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new AppError('unsupported_media_type', { detail: '请通过网页表单提交（multipart/form-data）。' });
    throw e;
  }
  return files;
}

export async function registerApplicationRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/public/applications', summary: '网上申请行政许可（材料以 Base64 提交；成为受理环节的许可案件，返回受理编号）', tags: PUBLIC_TAGS, access: 'public', body: apply.ApplicationInput, status: 201,
    handler: async ({ body, req }) => {
      const files = body.materials.map((m) => ({ name: m.name, filename: m.filename, mediaType: m.mediaType.toLowerCase(), bytes: Buffer.from(m.contentBase64, 'base64') }));
      return apply.submitApplication(ctx, req, body.guideId, body, files);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/applications/:trackingNumber', summary: '办理进度查询（受理编号加电话后四位；只有环节和日期）', tags: PUBLIC_TAGS, access: 'public', params: apply.TrackParams, query: apply.TrackQuery,
    handler: ({ params, query, req }) => apply.trackApplication(ctx, req, params.trackingNumber, query.phoneLast4),
  });

  app.get('/guides/:id/apply', async (req, reply) => {
    const g = await guideOr404(ctx, (req.params as { id: string }).id);
    reply.type('text/html; charset=utf-8');
    return formPage(ctx, g);
  });

  app.get('/applications/track', async (req, reply) => {
    const q = req.query as { n?: unknown; p?: unknown };
    const n = String(q.n ?? '').trim().toUpperCase().slice(0, 40);
    const p = String(q.p ?? '').trim().slice(0, 10);
    reply.type('text/html; charset=utf-8');
    const shell = (body: Raw) => page({ title: '办理进度查询', demo: ctx.demo, body: html`<h1>办理进度查询</h1>${body}` });
    if (!n && !p) return shell(trackForm());
    if (!apply.TRACKING_RE.test(n) || !/^\d{4}$/.test(p)) {
      reply.code(400);
      return shell(html`<div class="card" role="alert">${!apply.TRACKING_RE.test(n) ? '受理编号格式不正确。' : '请填写申请时所留电话的后四位。'}</div>${trackForm({ n })}`);
    }
    try {
      return shell(progressBody(await apply.trackApplication(ctx, req, n, p)));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      reply.code(e.status);
      return shell(html`<div class="card" role="alert">${e.status === 404 ? '没有找到对应的申请，请核对受理编号和电话后四位。' : e.detail}</div>${trackForm({ n })}`);
    }
  });

  // Multipart is parsed in this scope only; the upload limit is the evidence store's, capped for the public.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: apply.applyUploadConfig().maxBytes, files: apply.MAX_FILES, fields: 20, fieldSize: 1000, parts: 40 } });
    scope.post('/guides/:id/apply', async (req, reply: FastifyReply) => {
      const g = await guideOr404(ctx, (req.params as { id: string }).id);
      reply.type('text/html; charset=utf-8');
      const values: Record<string, string> = {};
      try {
        const files = await readForm(req, g, values);
        const who = apply.Applicant.safeParse(values);
        if (!who.success) {
          reply.code(400);
          return formPage(ctx, g, who.error.issues.map((i) => i.message), values);
        }
        const r = await apply.submitApplication(ctx, req, g.id, who.data, files);
        reply.code(201);
        return page({
          title: '申请已提交', demo: ctx.demo,
          body: html`<h1>申请已提交</h1><div class="card"><p>${g.agency.name}已收到您的${g.matterName}申请，进入受理环节。请记下您的受理编号：</p>
<p style="font-size:26px;font-weight:800;letter-spacing:2px" id="tracking">${r.trackingNumber}</p>
<p>凭受理编号和申请时所留电话的后四位，可随时<a href="/applications/track?n=${r.trackingNumber}">查询办理进度</a>。</p></div>`,
        });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        reply.code(e.status);
        return formPage(ctx, g, errorsOf(e), values);
      }
    });
  });
}
