// HTTP of the accountability account (R-L09): JSON and PDF, same access as the case.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { addRoute } from '../platform/http/route.ts';
import { accountabilityPdf, caseAccountability } from './accountability.ts';

const TAGS = ['案件：办案、文书、记录、审核、归档'];
const CaseId = z.object({ id: z.uuid('案件编号格式不正确') });

export async function registerAccountabilityRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/accountability', summary: '执法决定责任追溯（R-L09）：各环节承办与批准人员、法制审核各轮意见、集体讨论、适用的规则版本及账本位置', tags: TAGS, access: 'user', scope: 'cases:read', params: CaseId,
    handler: ({ actor, params }) => caseAccountability(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/accountability/pdf', summary: '执法决定责任追溯表 PDF（R-L09）', tags: TAGS, access: 'user', scope: 'cases:read', params: CaseId,
    query: z.object({ disposition: z.enum(['inline', 'attachment'], 'disposition 应为 inline 或 attachment').default('attachment') }),
    handler: async ({ actor, params, query, reply }) => {
      const p = await accountabilityPdf(ctx, actor!, params.id);
      const disposition = query.disposition === 'inline' ? 'inline' : `attachment; filename="accountability.pdf"; filename*=UTF-8''${encodeURIComponent(p.filename)}`;
      return reply.type('application/pdf').header('cache-control', 'private, no-store').header('content-disposition', disposition).send(p.pdf);
    },
  });
}
