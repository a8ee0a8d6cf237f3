// Supervision routes (issue 12). Permission and scope are decided in the services (policy.ts).
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { answerAlert, getAlertDetail, listAlerts, recomputeFor, resolveAlert, ALERT_RULES } from './alerts.ts';
import { ALERT_KIND_LABELS } from './rules.ts';
import { AlertListQuery, AnswerBody, IdParams, RecomputeBody, ResolveBody } from './schema.ts';

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
}
