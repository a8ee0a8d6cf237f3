// HTTP of the cases domain: /api/v1/cases… (back office, signed in), the rule sets for agency
// administrators, and the public procedures (JSON, SVG flowcharts, portal pages). Permissions are
// decided in the use cases (policy.ts), not here.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { onCalendarChanged } from '../platform/calendar/index.ts';
import { addRoute } from '../platform/http/route.ts';
import { isoDate } from '../platform/validation.ts';
import { giveOpinion, reviewAssignees, submitReview } from '../review/submissions.ts';
import { extendCaseClock, grantApproval, updateProfile } from './approvals.ts';
import { exportArchive } from './archive/export.ts';
import { createDraft, deleteDraft, documentDocx, documentPdf, finaliseDocument, updateDraft } from './case-documents.ts';
import { archiveCase, caseFile } from './case-file.ts';
import { createCase } from './create-case.ts';
import { refreshStoredDeadlines } from './deadlines.ts';
import { documentForm, documentPrefill } from './document-forms.ts';
import { performStep } from './perform-step.ts';
import { registerProcedureRoutes } from './procedures-public.ts';
import { addRecord, decideDisclosure, recordContent, refuseRecordChange, requestDisclosure } from './records.ts';
import { listAvRuleSets, listCatalogs, listProvinceAvLists, publishAdaptation, publishAvRuleSet, publishCatalog, publishProvinceAvList } from './rule-sets.ts';
import { AdaptationInput as TemplateAdaptationInput, listTemplates, publishTemplate, readTemplate, TemplateQuery } from './templates.ts';
import {
  AccessQuery, AdaptationInput, ApprovalInput, AvRuleSetInput, ProvinceAvListInput, CaseInput, CaseListQuery, CatalogInput, DisclosureDecision, DisclosureInput,
  DocumentDraftInput, DocumentPatch, ExtensionInput, FinaliseInput, ProfilePatch, RecordInput, ReviewOpinion, ReviewSubmission, StepInput,
} from './schema.ts';
import { getCaseView, listCases } from './view.ts';

const TAGS = ['案件：办案、文书、记录、审核、归档'];
const RULE_TAGS = ['案件：音像记录清单、重大决定目录、程序调整'];
const uuid = (label: string) => z.uuid(`${label}格式不正确`);
const CaseId = z.object({ id: uuid('案件编号') });
const CaseDoc = z.object({ id: uuid('案件编号'), docId: uuid('文书编号') });
const CaseRecord = z.object({ id: uuid('案件编号'), recordId: uuid('记录编号') });
const AgencyQuery = z.object({ agencyId: uuid('执法主体编号') });
const READ = 'cases:read';
const WRITE = 'cases:write';

/** RFC 6266 attachment header with the Chinese file name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function registerCaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await registerProcedureRoutes(app, ctx);
  onCalendarChanged(refreshStoredDeadlines);

  // ---- cases ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases', summary: '案件列表（按程序、阶段、状态、期限预警筛选；总数超过 10000 时只显示 10000+）', tags: TAGS, access: 'user', scope: READ, query: CaseListQuery,
    handler: ({ actor, query }) => listCases(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases', summary: '登记案件（取得案号，确定所适用的程序版本）', tags: TAGS, access: 'user', scope: WRITE, body: CaseInput, status: 201,
    handler: async ({ actor, body, req }) => {
      const { id } = await createCase(ctx, req, actor!, body);
      return getCaseView(ctx, actor!, id);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id', summary: '案件工作台：可办环节及阻碍、期限、文书、记录、审核、批准、调阅日志', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params }) => getCaseView(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/steps', summary: '办理环节（不符合程序的，以 problem+json 列出全部拒绝理由）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: StepInput, status: 201,
    handler: async ({ actor, params, body, req }) => {
      const r = await performStep(ctx, req, actor!, params.id, body);
      return { seq: r.seq, step: r.step, warnings: r.warnings, clockChanges: r.clockChanges, documents: r.pdfs.map((p) => ({ id: p.documentId, sha256: p.sha256 })) };
    },
  });
  addRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/cases/:id/profile', summary: '案件情形（涉案金额、拟处罚种类、重大情形），用于重大执法决定目录判断（R-L04）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: ProfilePatch,
    handler: ({ actor, params, body, req }) => updateProfile(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/approvals', summary: '机关负责人批准环节或期限延长（R-L09）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: ApprovalInput, status: 201,
    handler: ({ actor, params, body, req }) => grantApproval(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/extensions', summary: '经批准延长期限（行政强制法第二十五条、行政许可法第四十二条）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: ExtensionInput, status: 201,
    handler: ({ actor, params, body, req }) => extendCaseClock(ctx, req, actor!, params.id, body),
  });

  // ---- documents ----
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/documents', summary: '起草文书（草稿可修改）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: DocumentDraftInput, status: 201,
    handler: ({ actor, params, body, req }) => createDraft(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/cases/:id/documents/:docId', summary: '修改文书草稿（定稿后不得修改）', tags: TAGS, access: 'user', scope: WRITE, params: CaseDoc, body: DocumentPatch,
    handler: ({ actor, params, body, req }) => updateDraft(ctx, req, actor!, params.id, params.docId, body.fields),
  });
  addRoute(app, ctx, {
    method: 'DELETE', url: '/api/v1/cases/:id/documents/:docId', summary: '删除文书草稿（定稿后不得删除）', tags: TAGS, access: 'user', scope: WRITE, params: CaseDoc,
    handler: ({ actor, params, req }) => deleteDraft(ctx, req, actor!, params.id, params.docId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/documents/:docId/finalise', summary: '文书定稿：编制文号、生成带核验二维码的 PDF 并存入证据库', tags: TAGS, access: 'user', scope: WRITE, params: CaseDoc, body: FinaliseInput,
    handler: ({ actor, params, body, req }) => finaliseDocument(ctx, req, actor!, params.id, params.docId, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/document-forms/:type', summary: '文书表单：字段的 JSON Schema（标题、必填、长度、选项、日期格式）、版式和法定内容说明', tags: TAGS, access: 'user', scope: READ,
    params: z.object({ type: z.string().min(1).max(80) }),
    handler: ({ params }) => documentForm(ctx, params.type),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/document-prefill', summary: '按案件预填文书草稿（案号、案由、当事人、执法人员、日期；案件未记载的字段留空）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    query: z.object({
      type: z.string({ error: '请指定文书类型' }).min(1, '请指定文书类型').max(80),
      on: isoDate('文书日期'),
      officerIds: z
        .string()
        .default('')
        .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
        .pipe(z.array(uuid('执法人员编号')).max(20, '执法人员最多 20 名')),
    }),
    handler: ({ actor, params, query }) => documentPrefill(ctx, actor!, params.id, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/documents/:docId/pdf', summary: '正式文书 PDF（disposition=inline 在浏览器中预览）', tags: TAGS, access: 'user', scope: READ, params: CaseDoc,
    query: z.object({ disposition: z.enum(['inline', 'attachment'], 'disposition 应为 inline 或 attachment').default('attachment') }),
    handler: async ({ actor, params, query, reply }) => {
      const p = await documentPdf(ctx, actor!, params.id, params.docId);
      const disposition = query.disposition === 'inline' ? 'inline' : attachment(p.filename);
      return reply.type('application/pdf').header('content-length', String(p.size)).header('etag', `"${p.sha256}"`).header('content-disposition', disposition).send(p.pdf);
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/documents/:docId/docx', summary: '文书草稿 DOCX（供修改）', tags: TAGS, access: 'user', scope: READ, params: CaseDoc,
    handler: async ({ actor, params, reply }) => {
      const d = await documentDocx(ctx, actor!, params.id, params.docId);
      return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('content-disposition', attachment(d.filename)).send(d.docx);
    },
  });

  // ---- records (R-R01 … R-R06) ----
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/records', summary: '登记文字或音像记录（文件先经 POST /api/v1/evidence 上传）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: RecordInput, status: 201,
    handler: ({ actor, params, body, req }) => addRecord(ctx, req, actor!, params.id, body),
  });
  for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
    addRoute(app, ctx, {
      method, url: '/api/v1/cases/:id/records/:recordId', summary: '执法记录不得修改或删除（R-R05）：一律拒绝，请提交更正记录', tags: TAGS, access: 'user', scope: WRITE, params: CaseRecord,
      handler: ({ actor, params, req }) => refuseRecordChange(ctx, req, actor!, params.id, params.recordId, method === 'DELETE' ? 'delete' : 'update'),
    });
  }
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/records/:recordId/content', summary: '调阅记录内容（须写明事由，每次调阅留痕；支持 Range；对外提供须附批准编号，R-R06）', tags: TAGS, access: 'user', scope: READ,
    params: CaseRecord, query: AccessQuery.extend({ action: z.enum(['view', 'download', 'export'], 'action 应为 view、download 或 export').default('view') }),
    handler: async ({ actor, params, query, req, reply }) => {
      const c = await recordContent(ctx, req, actor!, params.id, params.recordId, query, req.headers.range);
      reply.header('cache-control', 'private, no-store');
      if (c.text !== undefined) return reply.type('text/plain; charset=utf-8').send(c.text);
      const disposition = query.action === 'view' ? 'inline' : attachment(`${c.record.title}`);
      if (c.range?.kind === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${c.size}`).type('application/problem+json; charset=utf-8').send({ type: 'urn:sanxiang:problem:range_not_satisfiable', title: '请求的范围无法满足', status: 416, detail: `文件共 ${c.size} 字节。` });
      reply.type(c.mediaType!).header('accept-ranges', 'bytes').header('content-disposition', disposition);
      if (c.range?.kind === 'partial') return reply.code(206).header('content-range', `bytes ${c.range.start}-${c.range.end}/${c.size}`).header('content-length', String(c.range.end - c.range.start + 1)).send(c.stream);
      return reply.header('content-length', String(c.size)).send(c.stream);
    },
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/disclosures', summary: '申请向外部提供执法记录（须经负责人批准，R-R06）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: DisclosureInput, status: 201,
    handler: ({ actor, params, body, req }) => requestDisclosure(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/disclosures/:disclosureId/decision', summary: '负责人审批对外提供执法记录（R-R06）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('案件编号'), disclosureId: uuid('申请编号') }), body: DisclosureDecision,
    handler: ({ actor, params, body, req }) => decideDisclosure(ctx, req, actor!, params.id, params.disclosureId, body),
  });

  // ---- legal review (R-L01, R-L05 … R-L07) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/review-assignees', summary: '可指派的法制审核人员（本机关已绑定账号的审核人员，及其他单位共享的法律顾问，R-L03）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params, req }) => reviewAssignees(ctx, req, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/reviews', summary: '报送法制审核（材料清单 R-L06，报送单位对真实性、完整性负责）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: ReviewSubmission, status: 201,
    handler: ({ actor, params, body, req }) => submitReview(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/reviews/:reviewId/opinion', summary: '出具书面审核意见（审核要点 R-L05；存在问题的退回补正后重新报送 R-L07）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('案件编号'), reviewId: uuid('报送编号') }), body: ReviewOpinion, status: 201,
    handler: ({ actor, params, body, req }) => giveOpinion(ctx, req, actor!, params.id, params.reviewId, body),
  });

  // ---- case file and archive (R-R07) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/file', summary: '案卷：按法定顺序排列的文书和证据，及完整性检查结果', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params }) => caseFile(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/archive', summary: '立卷归档（案卷不完整的，列出缺少的内容并拒绝）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId,
    body: z.object({ on: isoDate('归档日期'), retention: z.enum(['永久', '定期30年', '定期10年'], '保管期限应为 永久、定期30年 或 定期10年').optional() }),
    handler: ({ actor, params, body, req }) => archiveCase(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/archive-package', summary: '导出案卷归档包（tar：PDF、证据文件、清单、账本包含证明与离线核验程序）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    query: z.object({ reason: z.string().trim().min(2, '请写明导出事由').max(500) }),
    handler: async ({ actor, params, query, req, reply }) => {
      const p = await exportArchive(ctx, req, actor!, params.id, query.reason);
      return reply.type('application/x-tar').header('content-disposition', attachment(p.filename)).header('cache-control', 'private, no-store').send(p.stream);
    },
  });

  // ---- rules as data ----
  // Issue 16 (R-R02): the document template registry, by order of precedence, versioned with its source.
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/document-templates', summary: '文书格式登记：每种文书适用的格式（本机关细化版本、国务院部门全系统格式、司法部基本格式）及各版本和来源', tags: RULE_TAGS, access: 'user', scope: READ, query: TemplateQuery,
    handler: ({ actor, query }) => listTemplates(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/document-templates/:type', summary: '一种文书的格式：适用版本、优先顺序和本机关细化版本', tags: RULE_TAGS, access: 'user', scope: READ, params: z.object({ type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, '文书类型应为小写字母、数字和下划线') }), query: TemplateQuery,
    handler: ({ actor, params, query }) => readTemplate(ctx, actor!, params.type, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/document-templates', summary: '发布本机关对一种文书格式的细化版本（新版本，已办文书保留原版本）', tags: RULE_TAGS, access: 'user', scope: WRITE, body: TemplateAdaptationInput, status: 201,
    handler: ({ actor, body, req }) => publishTemplate(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/av-rule-sets', summary: '音像记录事项清单（各版本、生效版本、法定底线和默认规则，R-R03）', tags: RULE_TAGS, access: 'user', scope: READ, query: AgencyQuery,
    handler: ({ actor, query }) => listAvRuleSets(ctx, actor!, query.agencyId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/av-rule-sets', summary: '发布音像记录事项清单新版本（不得低于法定要求，R-R04）', tags: RULE_TAGS, access: 'user', scope: WRITE, body: AvRuleSetInput, status: 201,
    handler: ({ actor, body, req }) => publishAvRuleSet(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/av-province-lists', summary: '全省统一的音像记录事项清单和执法行为用语指引（各版本，R-R10）', tags: RULE_TAGS, access: 'user', scope: READ,
    query: z.object({ province: z.string().regex(/^[1-9][0-9]$/, '省级行政区划代码应为两位数字') }),
    handler: ({ actor, query }) => listProvinceAvLists(ctx, actor!, query.province),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/av-province-lists', summary: '发布全省统一的音像记录事项清单新版本（各机关只能从严，R-R10）', tags: RULE_TAGS, access: 'user', scope: WRITE, body: ProvinceAvListInput, status: 201,
    handler: ({ actor, body, req }) => publishProvinceAvList(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/major-decision-catalogs', summary: '重大执法决定法制审核目录清单（各版本，R-L04）', tags: RULE_TAGS, access: 'user', scope: READ, query: AgencyQuery,
    handler: ({ actor, query }) => listCatalogs(ctx, actor!, query.agencyId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/major-decision-catalogs', summary: '发布重大执法决定法制审核目录清单新版本（R-L04）', tags: RULE_TAGS, access: 'user', scope: WRITE, body: CatalogInput, status: 201,
    handler: ({ actor, body, req }) => publishCatalog(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/procedure-adaptations', summary: '发布本机关调整的程序版本（只能在法律允许的范围内从严）', tags: RULE_TAGS, access: 'user', scope: WRITE, body: AdaptationInput, status: 201,
    handler: ({ actor, body, req }) => publishAdaptation(ctx, req, actor!, body),
  });
}
