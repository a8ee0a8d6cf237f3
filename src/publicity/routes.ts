// Routes of the publicity domain: the public API and exports (no login), the back office (staff), the pages.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { isoDate, pageQuery, uuid } from '../platform/validation.ts';
import { registerDecisionPages } from './pages.ts';
import { checkWebhookUrl, createSubscriber, deliveryLog, listSubscribers } from './webhooks.ts';
import {
  DecisionQuery, EXPORT_BATCH, LICENCE_FIELDS, PENALTY_FIELDS, csvCopy, csvStream, getPublic, jsonlStream, licenceRow, listPublic, mapRows, penaltyRow, publicDetail, publicRows, xlsxStream,
} from './public.ts';
import { RuleSetBody } from './rules.ts';
import { correctionEvidence } from './correction-evidence.ts';
import {
  EXCLUSION_REASONS, REMEDY_KINDS, REMEDY_OUTCOMES, answerCorrection, confirmAndPublish, correctionStatus, endEarly, excludeDraft, expireDue, getForStaff, listCorrections,
  listForStaff, listRuleSets, overview, publishRuleSet, recordRemedy, submitCorrection,
} from './service.ts';

const PUBLIC_TAGS = ['公开：执法决定公示'];
const TAGS = ['执法决定公示'];
const READ = 'cases:read';
const WRITE = 'cases:write';
const Id = z.object({ id: uuid('公示信息编号') });

function download(reply: import('fastify').FastifyReply, type: string, name: string) {
  return reply.type(type).header('content-disposition', `attachment; filename="${name}"`).header('access-control-allow-origin', '*').header('cache-control', 'no-cache');
}

export async function registerPublicityRoutes(app: FastifyInstance, ctx: AppContext) {
  // ---- public API (R-P17) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/decisions', summary: '执法决定公示检索（中文分词全文检索、文号与名称子串；关键词结果：最新 200 条命中按相关度排序，其后按公布日期由新到旧；增量同步 updatedSince）', tags: PUBLIC_TAGS, access: 'public', query: DecisionQuery,
    handler: async ({ query, reply }) => {
      reply.header('access-control-allow-origin', '*');
      return listPublic(ctx, query);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/decisions/:id', summary: '一条执法决定公示（公示正文及其 SHA-256；已撤回的只有撤回日期与理由）', tags: PUBLIC_TAGS, access: 'public', params: Id,
    handler: async ({ params, reply }) => {
      reply.header('access-control-allow-origin', '*');
      return publicDetail(ctx, await getPublic(ctx, params.id));
    },
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/public/decisions/:id/corrections', summary: '申请更正公示信息（R-P13；限流）', tags: PUBLIC_TAGS, access: 'public', params: Id, status: 201,
    body: z.object({
      contact: z.string().trim().min(3, '请填写联系方式').max(100, '联系方式最多 100 字'),
      text: z.string().trim().min(10, '请写明需要更正的内容及理由（至少 10 字）').max(2000, '最多 2000 字'),
      // One JPG, PNG or PDF (the JSON body is at most 1 MiB: about 700 KB of file; the portal form takes up to 5 MB).
      evidence: z.object({
        filename: z.string().trim().min(1, '请填写证据文件名').max(100, '证据文件名最多 100 字'),
        mediaType: z.string().trim().min(1, '请填写证据文件类型').max(100, '证据文件类型过长'),
        contentBase64: z.string().max(1_000_000, '证据文件过大').regex(/^[A-Za-z0-9+/]+={0,2}$/, '证据内容应为 Base64 编码'),
      }).optional(),
    }),
    handler: ({ params, body, req }) => submitCorrection(ctx, req, params.id, {
      contact: body.contact, text: body.text,
      evidence: body.evidence ? { filename: body.evidence.filename, mediaType: body.evidence.mediaType, bytes: Buffer.from(body.evidence.contentBase64, 'base64') } : null,
    }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/corrections/:tracking', summary: '按查询号查看更正申请办理情况', tags: PUBLIC_TAGS, access: 'public',
    params: z.object({ tracking: z.string().regex(/^GZ\d{8}[0-9A-F]{10}$/, '查询号格式不正确') }),
    handler: ({ params }) => correctionStatus(ctx, params.tracking),
  });
  const exports: [string, 'penalty' | 'licensing', 'csv' | 'xlsx'][] = [['penalties', 'penalty', 'csv'], ['penalties', 'penalty', 'xlsx'], ['licences', 'licensing', 'csv'], ['licences', 'licensing', 'xlsx']];
  for (const [name, kind, format] of exports) {
    addRoute(app, ctx, {
      method: 'GET', url: `/api/v1/public/exports/${name}.${format}`, summary: `双公示${kind === 'penalty' ? '行政处罚' : '行政许可'}信息下载（${format.toUpperCase()}，国家数据标准字段）`, tags: PUBLIC_TAGS, access: 'public',
      handler: async ({ reply }) => {
        const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        // PostgreSQL writes the CSV itself where it can (flat memory at millions of rows, issue 8).
        const copied = format === 'csv' ? csvCopy(ctx.db, kind) : null;
        if (copied) return download(reply, type, `${name}.${format}`).send(copied);
        const rows = publicRows(ctx.db, kind, { text: false, batch: EXPORT_BATCH });
        if (kind === 'penalty') {
          const mapped = mapRows(rows, penaltyRow);
          const stream = format === 'csv' ? csvStream(mapped, PENALTY_FIELDS) : xlsxStream(mapped, PENALTY_FIELDS, '行政处罚');
          return download(reply, type, `${name}.${format}`).send(stream);
        }
        const mapped = mapRows(rows, licenceRow);
        const stream = format === 'csv' ? csvStream(mapped, LICENCE_FIELDS) : xlsxStream(mapped, LICENCE_FIELDS, '行政许可');
        return download(reply, type, `${name}.${format}`).send(stream);
      },
    });
  }
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/exports/decisions.jsonl', summary: '全部公示信息（JSON Lines，逐行流式输出）', tags: PUBLIC_TAGS, access: 'public',
    handler: async ({ reply }) => download(reply, 'application/x-ndjson; charset=utf-8', 'decisions.jsonl').send(jsonlStream(ctx, publicRows(ctx.db, null))),
  });

  // ---- back office ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publications', summary: '公示信息（草稿、已公示、已撤回、不予公示、逾期）', tags: TAGS, access: 'user', scope: READ,
    query: z.object({ status: z.enum(['draft', 'excluded', 'published', 'withdrawn', 'expired'], '状态不合法').optional(), overdue: z.enum(['true', 'false']).optional(),
      agencyId: uuid().optional(), publishedYear: z.coerce.number('年份不合法').int('年份不合法').min(2000, '年份不合法').max(2100, '年份不合法').optional(), ...pageQuery }),
    handler: ({ actor, query }) => listForStaff(ctx, actor!, { status: query.status, overdue: query.overdue === 'true', agencyId: query.agencyId, publishedYear: query.publishedYear, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publications/overview', summary: '公示工作概况（逾期草稿、待办更正申请），供机关与监督首页', tags: TAGS, access: 'user', scope: READ,
    handler: async ({ actor }) => {
      // The sweep records expiries lazily; the public queries already hide them by date.
      await expireDue(ctx);
      return overview(ctx, actor!);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publications/:id', summary: '一条公示信息（本机关人员可见原文与隐去标注）', tags: TAGS, access: 'user', scope: READ, params: Id,
    handler: ({ actor, params, req }) => getForStaff(ctx, req, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publications/:id/publish', summary: '负责人确认并发布（可增加隐去内容，不能取消规则隐去）', tags: TAGS, access: 'user', scope: WRITE, params: Id,
    body: z.object({
      redactions: z.array(z.object({ text: z.string().min(1).max(200).optional(), start: z.number().int().min(0).optional(), end: z.number().int().min(1).optional() })).max(100).default([]),
    }),
    handler: ({ actor, params, body, req }) => confirmAndPublish(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publications/:id/exclude', summary: '负责人决定不予公开（国家秘密、商业秘密、个人隐私等），记录理由', tags: TAGS, access: 'user', scope: WRITE, params: Id,
    body: z.object({ reason: z.enum(Object.keys(EXCLUSION_REASONS) as [keyof typeof EXCLUSION_REASONS], '理由不合法'), note: z.string().trim().min(2, '请说明理由').max(500) }),
    handler: ({ actor, params, body, req }) => excludeDraft(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publications/:id/remedies', summary: '登记行政复议、行政诉讼结果（撤销、变更等三日内撤回公示，R-P12）', tags: TAGS, access: 'user', scope: WRITE, params: Id, status: 201,
    body: z.object({
      kind: z.enum(Object.keys(REMEDY_KINDS) as [keyof typeof REMEDY_KINDS], '救济方式不合法'),
      outcome: z.enum(Object.keys(REMEDY_OUTCOMES) as [keyof typeof REMEDY_OUTCOMES], '结果不合法'),
      decidedOn: isoDate('结果日期'),
      body: z.string().trim().min(2, '请填写复议机关或法院').max(100),
      note: z.string().trim().max(500).default(''),
      changedText: z.string().trim().min(10).max(50000).optional(),
    }),
    handler: ({ actor, params, body, req }) => recordRemedy(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publications/:id/credit-repair', summary: '信用修复：提前停止公示（满最短公示期；停产停业、吊销等不得提前）', tags: TAGS, access: 'user', scope: WRITE, params: Id,
    body: z.object({ reason: z.string().trim().min(2, '请写明信用修复的依据').max(500) }),
    handler: ({ actor, params, body, req }) => endEarly(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publication-corrections', summary: '更正申请（本机关人员可见联系方式）', tags: TAGS, access: 'user', scope: READ,
    query: z.object({ status: z.enum(['pending', 'corrected', 'refused'], '状态不合法').optional(), ...pageQuery }),
    handler: ({ actor, query }) => listCorrections(ctx, actor!, { status: query.status, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publication-corrections/:id/evidence', summary: '更正申请人提交的证据文件（仅办理机关及其执法监督机构；每次调阅留痕）', tags: TAGS, access: 'user', scope: READ,
    params: z.object({ id: uuid('更正申请编号') }),
    handler: async ({ actor, params, req, reply }) => {
      const e = await correctionEvidence(ctx, req, actor!, params.id);
      const ascii = e.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply.type(e.mediaType).header('content-length', String(e.size)).header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff').header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(e.filename)}`)
        .send(e.stream());
    },
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publication-corrections/:id/answer', summary: '答复更正申请：更正（生成新版本草稿）或说明理由不予更正（R-P13）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('更正申请编号') }),
    body: z.object({ decision: z.enum(['correct', 'refuse'], '应为 correct 或 refuse'), answer: z.string().trim().min(2, '请填写答复').max(2000), correctedText: z.string().trim().min(10).max(50000).optional() }),
    handler: ({ actor, params, body, req }) => answerCorrection(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/publication-rule-sets', summary: '公示规则（法定默认规则及本机关各版本）', tags: TAGS, access: 'user', scope: READ,
    query: z.object({ agencyId: uuid('机关编号') }),
    handler: ({ actor, query }) => listRuleSets(ctx, actor!, query.agencyId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/publication-rule-sets', summary: '发布本机关公示规则新版本（只能比法定默认规则更严格）', tags: TAGS, access: 'user', scope: WRITE, status: 201,
    body: z.object({ agencyId: uuid('机关编号'), effectiveFrom: isoDate('生效日期'), rules: RuleSetBody, note: z.string().trim().max(500).default('') }),
    handler: ({ actor, body, req }) => publishRuleSet(ctx, req, actor!, body),
  });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/webhook-subscribers', summary: '推送订阅（其他系统接收公示信息）及投递统计', tags: TAGS, access: 'user', scope: READ,
    handler: ({ actor }) => listSubscribers(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/webhook-subscribers', summary: '登记推送订阅（Standard Webhooks；签名密钥只显示一次）', tags: TAGS, access: 'user', scope: WRITE, status: 201,
    body: z.object({ agencyId: uuid('机关编号'), url: z.string().trim().min(8).max(500).transform((u, c) => {
      try {
        return checkWebhookUrl(u);
      } catch {
        c.addIssue({ code: 'custom', message: '应为 http(s) 地址' });
        return z.NEVER;
      }
    }) }),
    handler: ({ actor, body, req }) => createSubscriber(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/webhook-subscribers/:id/deliveries', summary: '推送投递记录（每次尝试的状态、重试时间）', tags: TAGS, access: 'user', scope: READ,
    params: z.object({ id: uuid('订阅编号') }),
    handler: ({ actor, params }) => deliveryLog(ctx, actor!, params.id),
  });

  registerDecisionPages(app, ctx);
}
