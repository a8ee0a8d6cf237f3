// HTTP of the desk: GET /api/v1/me/work (issue 9). Who sees what is decided in service.ts.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { addRoute } from '../platform/http/route.ts';
import { myWork } from './service.ts';

export async function registerDeskRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/me/work', summary: '我的工作台：等待本人办理的事项（案件期限、待办环节、待定稿文书、退回补正、待批准、待审核、证件到期等），每项附办理入口', tags: ['工作台'], access: 'user',
    handler: ({ actor, reply }) => {
      reply.header('cache-control', 'private, no-store');
      return myWork(ctx, actor!);
    },
  });
}
