// Routes of 双随机一公开 (R-D01, R-D02, R-P05, R-P15). Permission checks live in the services.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { pageQuery, uuid } from '../platform/validation.ts';
import * as ceremony from './ceremony.ts';
import { importObjects } from './import.ts';
import { registerPublicInspectionRoutes } from './public.ts';
import * as results from './results.ts';
import { ClassChange, ConflictInput, CreditClass, InspectorInput, MatterInput, ObjectInput, PlanInput, ReplaceInput, ResultInput, RevealInput, SourceHashInput, TaskInput } from './schema.ts';
import * as svc from './service.ts';

const TAGS = ['双随机一公开'];
const Id = z.object({ id: uuid('编号') });

export async function registerInspectionRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, { method: 'GET', url: '/api/v1/inspection-matters', summary: '随机抽查事项清单（R-P05）', tags: TAGS, access: 'user', handler: ({ actor }) => svc.listMatters(ctx, actor!) });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-matters', summary: '登记随机抽查事项', tags: TAGS, access: 'user', body: MatterInput, status: 201, handler: ({ actor, req, body }) => svc.createMatter(ctx, req, actor!, body) });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/inspection-objects', summary: '检查对象名录库', tags: TAGS, access: 'user',
    query: z.object({ q: z.string().trim().max(50).optional(), creditClass: CreditClass.optional(), ...pageQuery }),
    handler: ({ actor, query }) => svc.listObjects(ctx, actor!, query),
  });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-objects', summary: '登记检查对象', tags: TAGS, access: 'user', body: ObjectInput, status: 201, handler: ({ actor, req, body }) => svc.createObject(ctx, req, actor!, body) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-objects/:id/class', summary: '调整信用风险分类（记为事件）', tags: TAGS, access: 'user', params: Id, body: ClassChange,
    handler: ({ actor, req, params, body }) => svc.changeObjectClass(ctx, req, actor!, params.id, body),
  });

  addRoute(app, ctx, { method: 'GET', url: '/api/v1/inspectors', summary: '执法检查人员名录库', tags: TAGS, access: 'user', handler: ({ actor }) => svc.listInspectors(ctx, actor!) });
  addRoute(app, ctx, { method: 'PUT', url: '/api/v1/inspectors', summary: '将执法人员列入（或更新）执法检查人员名录库', tags: TAGS, access: 'user', body: InspectorInput, handler: ({ actor, req, body }) => svc.upsertInspector(ctx, req, actor!, body) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspectors/:id/conflicts', summary: '登记回避事项（亲属、曾任职、本辖区等）', tags: TAGS, access: 'user', params: Id, body: ConflictInput, status: 201,
    handler: ({ actor, req, params, body }) => svc.declareConflict(ctx, req, actor!, params.id, body),
  });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/inspection-plans', summary: '抽查计划', tags: TAGS, access: 'user', query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
    handler: ({ actor, query }) => svc.listPlans(ctx, actor!, query.year),
  });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-plans', summary: '制定抽查计划（年度计划或部门联合计划）', tags: TAGS, access: 'user', body: PlanInput, status: 201, handler: ({ actor, req, body }) => svc.createPlan(ctx, req, actor!, body) });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-plans/:id/publish', summary: '公布抽查计划（抽取前）', tags: TAGS, access: 'user', params: Id, handler: ({ actor, req, params }) => svc.publishPlan(ctx, req, actor!, params.id) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-plans/:id/tasks', summary: '安排抽查任务（范围、各信用分类比例、取整、上下限）', tags: TAGS, access: 'user', params: Id, body: TaskInput, status: 201,
    handler: ({ actor, req, params, body }) => svc.createTask(ctx, req, actor!, params.id, body),
  });

  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/inspection-tasks', summary: '抽查任务', tags: TAGS, access: 'user',
    query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), planId: uuid('计划编号').optional(), ...pageQuery }),
    handler: ({ actor, query }) => svc.listTasks(ctx, actor!, query),
  });
  addRoute(app, ctx, { method: 'GET', url: '/api/v1/inspection-tasks/:id', summary: '抽查任务详情', tags: TAGS, access: 'user', params: Id, handler: async ({ actor, params }) => svc.taskOut(await svc.loadTask(ctx, actor!, params.id)) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-tasks/:id/commit', summary: '抽取承诺：候选名单、配额、人员库与各方秘密值哈希写入存证日志（每个任务仅一次）', tags: TAGS, access: 'user', params: Id, body: SourceHashInput, status: 201,
    handler: ({ actor, req, params, body }) => ceremony.commitTask(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-tasks/:id/reveals', summary: '随机数提供方揭示秘密值（须与承诺的哈希一致）', tags: TAGS, access: 'user', params: Id, body: RevealInput, status: 201,
    handler: ({ actor, req, params, body }) => ceremony.reveal(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-tasks/:id/draw', summary: '抽取（sanxiang-draw/v1）', tags: TAGS, access: 'user', params: Id, status: 201, handler: ({ actor, req, params }) => ceremony.runDraw(ctx, req, actor!, params.id) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-tasks/:id/replacements', summary: '检查组成员替换（回避、请假），按排序键顺延并记录理由', tags: TAGS, access: 'user', params: Id, body: ReplaceInput, status: 201,
    handler: ({ actor, req, params, body }) => ceremony.replaceOfficer(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, { method: 'POST', url: '/api/v1/inspection-tasks/:id/cases', summary: '为抽中的对象建立行政检查案件', tags: TAGS, access: 'user', params: Id, status: 201, handler: ({ actor, req, params }) => results.openInspectionCases(ctx, req, actor!, params.id) });
  addRoute(app, ctx, { method: 'GET', url: '/api/v1/inspection-tasks/:id/results', summary: '抽查检查结果', tags: TAGS, access: 'user', params: Id, handler: ({ actor, params }) => results.listResults(ctx, actor!, params.id) });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/inspection-tasks/:id/results', summary: '录入检查结果并公示（20 个工作日内，R-P15）', tags: TAGS, access: 'user', params: Id, body: ResultInput, status: 201,
    handler: ({ actor, req, params, body }) => results.recordResult(ctx, req, actor!, params.id, body),
  });

  await app.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: ctx.config.importMaxBytes, files: 1, fields: 5 } });
    addRoute(scoped, ctx, {
      method: 'POST', url: '/api/v1/imports/inspection-objects', summary: '批量导入检查对象（multipart 字段 file：.xlsx 或 .csv；查询参数 agencyId；全部正确才导入）', tags: TAGS, access: 'user',
      query: z.object({ agencyId: uuid('机关编号') }),
      handler: async ({ actor, req, query }) => {
        if (!req.isMultipart()) throw new AppError('unsupported_media_type', { detail: '请以 multipart/form-data 上传文件，字段名为 file。' });
        const part = await req.file();
        if (!part || part.fieldname !== 'file') throw new AppError('validation', { detail: '缺少上传文件（字段名 file）。', errors: [{ field: 'file', message: '请选择文件' }] });
        let buf: Buffer;
        try {
          buf = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', { detail: '文件过大。' });
          throw err;
        }
        return importObjects(ctx, req, actor!, query.agencyId, buf, part.filename);
      },
    });
  });

  await registerPublicInspectionRoutes(app, ctx);
}
