// HTTP of the review domain's own routes (R-L02, R-L03, R-L07, R-L08). The submission and opinion
// routes stay where they were (src/cases/routes.ts) with the same paths and keys.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { addRoute } from '../platform/http/route.ts';
import { getReviewBody, listReviewRules, publishReviewRules, setReviewBody } from './bodies.ts';
import { assignReview, raiseCoordination, reviewRounds, settleCoordination } from './rounds.ts';
import { AssignInput, CoordinationOutcome, CoordinationRaise, ReviewBodyInput, ReviewRuleSetInput } from './schema.ts';

const TAGS = ['法制审核：审核机构、审核规则、轮次、分歧协调'];
const uuid = (label: string) => z.uuid(`${label}格式不正确`);
const AgencyId = z.object({ id: uuid('执法主体编号') });
const CaseId = z.object({ id: uuid('案件编号') });
const READ = 'cases:read';
const WRITE = 'cases:write';

export async function registerReviewRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/agencies/:id/review-body', summary: '该机关执法决定的法制审核机构及路由（R-L02）', tags: TAGS, access: 'user', scope: READ, params: AgencyId,
    handler: ({ params }) => getReviewBody(ctx, params.id),
  });
  addRoute(app, ctx, {
    method: 'PUT', url: '/api/v1/agencies/:id/review-body', summary: '登记法制审核机构（司法行政部门登记，R-L02）', tags: TAGS, access: 'user', scope: WRITE, params: AgencyId, body: ReviewBodyInput,
    handler: ({ actor, params, body, req }) => setReviewBody(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/agencies/:id/review-rules', summary: '法制审核规则（时限、送审材料、意见格式，版本化，R-L08）', tags: TAGS, access: 'user', scope: READ, params: AgencyId,
    handler: ({ params }) => listReviewRules(ctx, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/agencies/:id/review-rules', summary: '发布法制审核规则新版本（R-L08）', tags: TAGS, access: 'user', scope: WRITE, params: AgencyId, body: ReviewRuleSetInput, status: 201,
    handler: ({ actor, params, body, req }) => publishReviewRules(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/cases/:id/review-rounds', summary: '法制审核各轮次对照（差异、问题与逐项整改说明、审核时限，R-L07）', tags: TAGS, access: 'user', scope: READ, params: CaseId,
    handler: ({ actor, params }) => reviewRounds(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/reviews/:reviewId/assign', summary: '审核机构负责人分派审核人员（R-L03）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('案件编号'), reviewId: uuid('报送编号') }), body: AssignInput, status: 201,
    handler: ({ actor, params, body, req }) => assignReview(ctx, req, actor!, params.id, params.reviewId, body.rosterId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/reviews/:reviewId/coordination', summary: '提请分歧协调（承办机构或审核机构，R-L08）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('案件编号'), reviewId: uuid('报送编号') }), body: CoordinationRaise, status: 201,
    handler: ({ actor, params, body, req }) => raiseCoordination(ctx, req, actor!, params.id, params.reviewId, body),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/cases/:id/coordinations/:coordinationId/outcome', summary: '负责人作出协调结论（集体讨论、专家意见，结论入卷，R-L08）', tags: TAGS, access: 'user', scope: WRITE,
    params: z.object({ id: uuid('案件编号'), coordinationId: uuid('协调编号') }), body: CoordinationOutcome, status: 201,
    handler: ({ actor, params, body, req }) => settleCoordination(ctx, req, actor!, params.id, params.coordinationId, body),
  });
}
