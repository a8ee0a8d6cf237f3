import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { pageQuery } from '../platform/validation.ts';
import * as registry from './service.ts';
import * as publicRegistry from './public.ts';
import { assertCanImport, importFile, templateXlsx, type ImportKind } from './import.ts';
import { AgencyInput, AgencyPatch, OfficerInput, OfficerPatch, OfficerStatusChange, ReviewerInput, ReviewerPatch, TrainingInput, AGENCY_KINDS, OFFICER_STATUSES } from './schema.ts';
import { qrPng, qrSvg } from './certificate.ts';
import { myOfficer } from './officer-accounts.ts';

const IdParams = z.object({ id: z.uuid('编号格式不正确') });
const TAGS = ['登记：执法主体与人员'];

export async function registerRegistryRoutes(app: FastifyInstance, ctx: AppContext) {
  // ---- agencies (R-P02) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/agencies', summary: '执法主体列表（按权限范围）', tags: TAGS, access: 'user', scope: 'registry:read',
    query: z.object({ q: z.string().trim().max(100).optional(), kind: z.enum(AGENCY_KINDS).optional(), ...pageQuery }),
    handler: ({ actor, query }) => registry.listAgencies(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/agencies/:id', summary: '执法主体详情', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => registry.getAgency(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/agencies', summary: '登记执法主体', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: AgencyInput,
    handler: ({ actor, body, req }) => registry.createAgency(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/agencies/:id', summary: '修改执法主体', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: AgencyPatch,
    handler: ({ actor, params, body, req }) => registry.updateAgency(ctx, req, actor!, params.id, body),
  });

  // ---- officers and certificates (R-P03, R-P08, R-S04) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/me/officer', summary: '本人的执法人员登记及执法证核验地址（亮证、现场执法预选本人；未关联时为 null）', tags: TAGS, access: 'user', scope: 'registry:read',
    handler: ({ actor }) => myOfficer(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/officers', summary: '执法人员列表（按权限范围；q 为姓名开头或证号开头）', tags: TAGS, access: 'user', scope: 'registry:read',
    query: z.object({ q: z.string().trim().max(50).optional(), agencyId: z.uuid('机关编号格式不正确').optional(), status: z.enum([...OFFICER_STATUSES, 'expired']).optional(), ...pageQuery }),
    handler: ({ actor, query }) => registry.listOfficers(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/officers/:id', summary: '执法人员详情', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => registry.getOfficer(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/officers', summary: '登记执法人员及执法证', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: OfficerInput,
    handler: ({ actor, body, req }) => registry.createOfficer(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/officers/:id', summary: '修改执法人员信息', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: OfficerPatch,
    handler: ({ actor, params, body, req }) => registry.updateOfficer(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/officers/:id/status', summary: '暂扣、吊销或恢复执法证', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: OfficerStatusChange,
    handler: ({ actor, params, body, req }) => registry.setOfficerStatus(ctx, req, actor!, params.id, body.status, body.reason),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/officers/:id/training', summary: '培训记录', tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
    handler: ({ actor, params }) => registry.listTraining(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/officers/:id/training', summary: '登记培训记录', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, params: IdParams, body: TrainingInput,
    handler: ({ actor, params, body, req }) => registry.addTraining(ctx, req, actor!, params.id, body),
  });
  for (const format of ['svg', 'png'] as const) {
    addRoute(app, ctx, {
      method: 'GET', url: `/api/v1/officers/:id/qr.${format}`, summary: `执法证二维码（${format.toUpperCase()}）：公开核验页地址及签名`, tags: TAGS, access: 'user', scope: 'registry:read', params: IdParams,
      handler: async ({ actor, params, reply }) => {
        const o = await registry.getOfficer(ctx, actor!, params.id);
        const url = await publicRegistry.certificateUrl(ctx, o.certificateNumber);
        reply.header('content-disposition', `attachment; filename="qr-${encodeURIComponent(o.certificateNumber)}.${format}"`);
        reply.type(format === 'svg' ? 'image/svg+xml' : 'image/png');
        return reply.send(format === 'svg' ? await qrSvg(url) : await qrPng(url));
      },
    });
  }

  // ---- reviewers (R-L03) ----
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reviewers', summary: '法制审核人员、法律顾问、公职律师名录', tags: TAGS, access: 'user', scope: 'registry:read',
    query: z.object({ agencyId: z.uuid('机关编号格式不正确').optional() }),
    handler: ({ actor, query }) => registry.listReviewers(ctx, actor!, query.agencyId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/reviewers', summary: '登记法制审核人员', tags: TAGS, access: 'user', scope: 'registry:write', status: 201, body: ReviewerInput,
    handler: ({ actor, body, req }) => registry.addReviewer(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/reviewers/:id', summary: '绑定账号、共享或停用法制审核人员名单条目', tags: TAGS, access: 'user', scope: 'registry:write', params: IdParams, body: ReviewerPatch,
    handler: ({ actor, params, body, req }) => registry.updateReviewer(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reviewers/ratio', summary: '法制审核人员占执法人员比例（不低于 5%）', tags: TAGS, access: 'user', scope: 'registry:read',
    handler: ({ actor }) => registry.reviewerRatio(ctx, actor!),
  });

  // ---- imports ----
  for (const kind of ['agencies', 'officers'] as const satisfies ImportKind[]) {
    app.get(`/api/v1/imports/templates/${kind}.xlsx`, async (_req, reply) => {
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('content-disposition', `attachment; filename="${kind}-template.xlsx"`);
      return reply.send(await templateXlsx(kind));
    });
  }
  await app.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: ctx.config.importMaxBytes, files: 1, fields: 5 } });
    for (const kind of ['agencies', 'officers'] as const satisfies ImportKind[]) {
      addRoute(scoped, ctx, {
        method: 'POST', url: `/api/v1/imports/${kind}`, summary: `批量导入${kind === 'agencies' ? '执法主体' : '执法人员'}（multipart 字段 file：.xlsx 或 .csv；全部正确才导入）`, tags: TAGS,
        access: 'user', scope: 'registry:write',
        handler: async ({ actor, req }) => {
          await assertCanImport(ctx, req, actor!, kind);
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
          return importFile(ctx, req, actor!, kind, buf, part.filename);
        },
      });
    }
  });

  await publicRegistry.registerPublicRegistryRoutes(app, ctx);
}
