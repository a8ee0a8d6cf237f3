// Supervision routes (issue 12). Permission and scope are decided in the services (policy.ts).
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { answerAlert, getAlertDetail, listAlerts, recomputeFor, resolveAlert, ALERT_RULES } from './alerts.ts';
import { ALERT_KIND_LABELS } from './rules.ts';
import { AlertListQuery, AnswerBody, ComplaintDecision, ComplaintInput, ComplaintListQuery, IdParams, ReasonBody, RecomputeBody, ReplyBody, ResolveBody, StaffComplaintInput, TrackingParams } from './schema.ts';
import { closeComplaint, decideComplaint, enterComplaint, extendComplaint, fileComplaint, getComplaint, listComplaints, trackComplaint } from './complaints.ts';
import { registerComplaintPages } from './public.ts';
import { supervisionSummary } from './summary.ts';
import { createReviewPlan, getReviewFile, getReviewPlan, listReviewPlans, scoreReviewFile } from './reviews.ts';
import { REVIEW_STANDARDS } from './review-standards.ts';
import { assessment, assessmentXlsx } from './assessment.ts';
import { z } from 'zod';
import { assignTask, importTasks, listTasks, parseTaskSheet, reportTask } from './tasks.ts';
import { TaskAssignInput, TaskImportInput, TaskReportInput } from './schema.ts';
import { ReviewPlanInput, ScoreInput } from './schema.ts';
import { closeMatter, decideObjection, explainMatter, extendObjectionReview, getMatter, issueInstrument, listMatters, objectToInstrument, openMatter, reportCorrection } from './matters.ts';
import { InstrumentInput, MatterInput, MatterListQuery, ObjectionDecision, TextBody } from './schema.ts';

export async function registerSupervisionRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/alerts', summary: '执法监督预警列表（辖区或本机关）', tags: ['监督'], access: 'user', query: AlertListQuery,
    handler: ({ actor, query }) => listAlerts(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/alert-rules', summary: '预警规则（版本、法律依据、严重程度）', tags: ['监督'], access: 'user',
    handler: async () => ({ items: ALERT_RULES.map((r) => ({ ...r, label: ALERT_KIND_LABELS[r.code], waiting: r.waiting ?? null })) }),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/alerts/recompute', summary: '按期间全量重新计算预警', tags: ['监督'], access: 'user', body: RecomputeBody,
    handler: ({ actor, body, req }) => recomputeFor(ctx, req, actor!, body.from),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/alerts/:id', summary: '预警详情', tags: ['监督'], access: 'user', params: IdParams,
    handler: ({ actor, params }) => getAlertDetail(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/alerts/:id/answer', summary: '被预警机关答复预警', tags: ['监督'], access: 'user', params: IdParams, body: AnswerBody,
    handler: ({ actor, params, body, req }) => answerAlert(ctx, req, actor!, params.id, body.answer),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/alerts/:id/resolve', summary: '监督人员办结预警（注明理由）', tags: ['监督'], access: 'user', params: IdParams, body: ResolveBody,
    handler: ({ actor, params, body, req }) => resolveAlert(ctx, req, actor!, params.id, body.resolution),
  });

  // ---- complaints (R-S03) ----
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/public/complaints', summary: '公众投诉举报（匿名或实名，可附证据）', tags: ['公开：投诉举报'], access: 'public', body: ComplaintInput, status: 201,
    handler: ({ body, req }) => fileComplaint(ctx, req, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/complaints/:trackingNumber', summary: '凭查询码查看投诉办理进度（状态、日期、答复）', tags: ['公开：投诉举报'], access: 'public', params: TrackingParams,
    handler: ({ params, req }) => trackComplaint(ctx, req, params.trackingNumber),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/complaints', summary: '投诉举报列表（辖区或本机关承办）', tags: ['监督'], access: 'user', query: ComplaintListQuery,
    handler: ({ actor, query }) => listComplaints(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/complaints', summary: '登记电话、信件、来访、12345 热线投诉举报', tags: ['监督'], access: 'user', body: StaffComplaintInput, status: 201,
    handler: ({ actor, body, req }) => enterComplaint(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/complaints/:id', summary: '投诉举报详情', tags: ['监督'], access: 'user', params: IdParams,
    handler: ({ actor, params }) => getComplaint(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/complaints/:id/decision', summary: '受理、不予受理、转办或引导复议诉讼', tags: ['监督'], access: 'user', params: IdParams, body: ComplaintDecision,
    handler: ({ actor, params, body, req }) => decideComplaint(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/complaints/:id/extension', summary: '延长办理期限（一次）', tags: ['监督'], access: 'user', params: IdParams, body: ReasonBody,
    handler: ({ actor, params, body, req }) => extendComplaint(ctx, req, actor!, params.id, body.reason),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/complaints/:id/close', summary: '办结并答复', tags: ['监督'], access: 'user', params: IdParams, body: ReplyBody,
    handler: ({ actor, params, body, req }) => closeComplaint(ctx, req, actor!, params.id, body.reply),
  });
  await registerComplaintPages(app, ctx);

  // ---- matters (《行政执法监督条例》第26–33条) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/matters', summary: '监督事项列表（辖区或本机关）', tags: ['监督'], access: 'user', query: MatterListQuery,
    handler: ({ actor, query }) => listMatters(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/matters', summary: '立案监督（来源：预警、投诉、12345、评查、主动）', tags: ['监督'], access: 'user', body: MatterInput, status: 201,
    handler: ({ actor, body, req }) => openMatter(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/matters/:id', summary: '监督事项详情与办理记录', tags: ['监督'], access: 'user', params: IdParams,
    handler: ({ actor, params }) => getMatter(ctx, actor!, params.id),
  });
  const matterAct = (url: string, summary: string, fn: (input: { actor: NonNullable<Parameters<typeof getMatter>[1]>; id: string; body: { text: string }; req: import('fastify').FastifyRequest }) => Promise<unknown>) =>
    addRoute(app, ctx, {
      method: 'POST', url: `/api/v1/supervision/matters/:id/${url}`, summary, tags: ['监督'], access: 'user', params: IdParams, body: TextBody,
      handler: ({ actor, params, body, req }) => fn({ actor: actor!, id: params.id, body, req }),
    });
  matterAct('explanation', '被监督机关书面说明', ({ actor, id, body, req }) => explainMatter(ctx, req, actor, id, body.text));
  matterAct('correction-report', '被监督机关报告整改情况', ({ actor, id, body, req }) => reportCorrection(ctx, req, actor, id, body.text));
  matterAct('objection', '被监督机关提出异议', ({ actor, id, body, req }) => objectToInstrument(ctx, req, actor, id, body.text));
  matterAct('objection-extension', '延长异议复查期限（一次）', ({ actor, id, body, req }) => extendObjectionReview(ctx, req, actor, id, body.text));
  matterAct('close', '办结监督事项', ({ actor, id, body, req }) => closeMatter(ctx, req, actor, id, body.text));
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/matters/:id/instruments', summary: '制发督办函、监督意见书或监督决定书（文号、PDF）', tags: ['监督'], access: 'user', params: IdParams, body: InstrumentInput, status: 201,
    handler: ({ actor, params, body, req }) => issueInstrument(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/matters/:id/objection-decision', summary: '异议复查决定', tags: ['监督'], access: 'user', params: IdParams, body: ObjectionDecision,
    handler: ({ actor, params, body, req }) => decideObjection(ctx, req, actor!, params.id, body.upheld, body.text),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/summary', summary: '执法监督驾驶舱：预警、监督事项、投诉举报汇总（可下钻）', tags: ['监督'], access: 'user',
    handler: ({ actor }) => supervisionSummary(ctx, actor!),
  });
  // ---- 案卷评查 (R-R07) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/review-standards', summary: '案卷评查标准（版本、否决项、分项扣分）', tags: ['监督'], access: 'user',
    handler: async () => ({ items: REVIEW_STANDARDS }),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/review-plans', summary: '案卷评查方案列表', tags: ['监督'], access: 'user',
    handler: ({ actor }) => listReviewPlans(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/review-plans', summary: '制定评查方案：按机关随机抽取案卷（可复现）并分配评查机关', tags: ['监督'], access: 'user', body: ReviewPlanInput, status: 201,
    handler: ({ actor, body, req }) => createReviewPlan(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/review-plans/:id', summary: '评查方案、抽取的案卷与各机关结果（评查通报）', tags: ['监督'], access: 'user', params: IdParams,
    handler: ({ actor, params }) => getReviewPlan(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/review-files/:id', summary: '评查案卷：自动检查预填与评分表', tags: ['监督'], access: 'user', params: IdParams,
    handler: ({ actor, params }) => getReviewFile(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/review-files/:id/score', summary: '评查打分（否决项、扣分项）并定等次', tags: ['监督'], access: 'user', params: IdParams, body: ScoreInput,
    handler: ({ actor, params, body, req }) => scoreReviewFile(ctx, req, actor!, params.id, body),
  });
  // ---- 任务分解推进表 (R-S01) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/tasks', summary: '任务分解推进表（辖区或本单位承担的任务）', tags: ['监督'], access: 'user',
    handler: ({ actor }) => listTasks(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/tasks/import', summary: '导入任务分解推进表（XLSX/CSV，整表校验）', tags: ['监督'], access: 'user', body: TaskImportInput, status: 201,
    handler: async ({ actor, body, req }) => {
      if (actor!.role !== 'supervisor' && actor!.role !== 'system_admin') return importTasks(ctx, req, actor!, body.sourceDoc, []);
      return importTasks(ctx, req, actor!, body.sourceDoc, await parseTaskSheet(Buffer.from(body.contentBase64, 'base64'), body.filename));
    },
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/tasks/:id/assignment', summary: '分配责任单位', tags: ['监督'], access: 'user', params: IdParams, body: TaskAssignInput,
    handler: ({ actor, params, body, req }) => assignTask(ctx, req, actor!, params.id, body.agencyIds),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/supervision/tasks/:id/reports', summary: '责任单位报告进展', tags: ['监督'], access: 'user', params: IdParams, body: TaskReportInput, status: 201,
    handler: ({ actor, params, body, req }) => reportTask(ctx, req, actor!, params.id, body.text, body.done),
  });
  // ---- 年度考核 (R-S02) ----
  const YearQuery = z.object({ year: z.coerce.number().int().min(2000, '年份不正确').max(2099, '年份不正确') });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/assessment', summary: '年度考核：各机关指标、分子分母与得分（可下钻）', tags: ['监督'], access: 'user', query: YearQuery,
    handler: ({ actor, query }) => assessment(ctx, actor!, query.year),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/supervision/assessment.xlsx', summary: '年度考核导出（XLSX）', tags: ['监督'], access: 'user', query: YearQuery,
    handler: async ({ actor, query, reply }) => {
      const buf = await assessmentXlsx(ctx, actor!, query.year);
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="assessment-${query.year}.xlsx"`);
      return reply.send(buf);
    },
  });
}
