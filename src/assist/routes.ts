// Routes of the assistance domain (issue 13). Permission and scope are decided in the services.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { uuid } from '../platform/validation.ts';
import { precheck, similarCases, suggestForCase } from './assistance.ts';
import { approveDeviation, getDiscretion, propose, recordDiscretion } from './discretion.ts';
import { importLibrary, library } from './laws.ts';
import { getPublicBenchmark, listPublicBenchmarks, registerBenchmarkPages } from './public.ts';
import { BenchmarkParams, BenchmarkQuery, DeviationApproval, DiscretionInput, LibraryQuery, ProposeInput, SimilarQuery, SuggestInput } from './schema.ts';

const TAGS = ['裁量与辅助办案'];
const CaseId = z.strictObject({ id: uuid('案件编号') });
const READ = 'cases:read';
const WRITE = 'cases:write';

export async function registerAssistRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/benchmarks', summary: '已公布的行政处罚裁量基准（行政处罚法第三十四条）', tags: ['公开：裁量基准'], access: 'public', query: BenchmarkQuery,
    handler: async ({ query }) => listPublicBenchmarks(query.q),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/benchmarks/:id', summary: '裁量基准详情（阶次、情形、幅度）', tags: ['公开：裁量基准'], access: 'public', params: BenchmarkParams,
    handler: async ({ params }) => getPublicBenchmark(params.id),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/assist/library', summary: '法律法规库：条文与违法行为（违则、罚则、法定幅度）', tags: TAGS, access: 'user', query: LibraryQuery,
    handler: ({ query }) => library(ctx, query.q),
  });
  await app.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: ctx.config.importMaxBytes, files: 1, fields: 5 } });
    addRoute(scoped, ctx, {
      method: 'POST', url: '/api/v1/assist/library/import', summary: '导入法律条文与违法行为（multipart 字段 file：.xlsx；全部正确才导入）', tags: TAGS, access: 'user', scope: 'registry:write', status: 201,
      handler: async ({ actor, req }) => {
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
        return importLibrary(ctx, req, actor!, buf);
      },
    });
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/discretion', summary: '案件的裁量记录（违法行为、情形、阶次、幅度、调整适用、裁量说明）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params }) => getDiscretion(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/discretion/proposal', summary: '按情形建议裁量阶次与幅度（引用罚则与基准版本）', tags: TAGS, access: 'user', scope: READ, params: CaseId, body: ProposeInput,
    handler: ({ actor, params, body }) => propose(ctx, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/cases/:id/discretion', summary: '记录裁量（超出法定幅度的拒绝；超出阶次幅度的须批准调整适用）', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: DiscretionInput,
    handler: ({ actor, params, body, req }) => recordDiscretion(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/discretion/deviation-approval', summary: '主要负责人批准或集体讨论决定调整适用', tags: TAGS, access: 'user', scope: WRITE, params: CaseId, body: DeviationApproval, status: 201,
    handler: ({ actor, params, body, req }) => approveDeviation(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/suggestions', summary: '依事实建议违法行为（列出命中的词语，须人工确认）', tags: TAGS, access: 'user', scope: READ, params: CaseId, body: SuggestInput,
    handler: ({ actor, params, body }) => suggestForCase(ctx, actor!, params.id, body.text),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/similar', summary: '类案推送（BM25 与相同违法行为、阶次，附理由；限可查阅范围）', tags: TAGS, access: 'user', scope: READ, params: CaseId, query: SimilarQuery,
    handler: ({ actor, params, query }) => similarCases(ctx, actor!, params.id, query),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/precheck', summary: '案卷预检（缺少文书、超期环节、单人执法、应录未录）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params }) => precheck(ctx, actor!, params.id),
  });
  await registerBenchmarkPages(app, ctx);
}
