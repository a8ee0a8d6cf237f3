// Routes of the device register (R-R10) and named custodians (R-R05).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { AgencyQuery, CustodianInput, DeviceInput, DeviceQuery, DeviceStatusInput } from './schema.ts';
import * as devices from './service.ts';

const TAGS = ['执法记录设备和保管'];
const IdParams = z.object({ id: z.uuid('设备编号格式不正确') });

export async function registerDeviceRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/devices', summary: '执法记录设备登记簿（本机关或辖区，R-R10）', tags: TAGS, access: 'user', scope: 'cases:read', query: DeviceQuery,
    handler: ({ actor, query }) => devices.listDevices(ctx, actor!, query),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/devices', summary: '登记执法记录设备（执法记录仪、录音、照相摄像、移动执法终端、询问室和听证室固定录音录像）', tags: TAGS, access: 'user', scope: 'cases:write', status: 201, body: DeviceInput,
    handler: ({ actor, body, req }) => devices.addDevice(ctx, req, actor!, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/devices/:id', summary: '设备详情及其所作的全部记录（可追溯，R-R10）', tags: TAGS, access: 'user', scope: 'cases:read', params: IdParams,
    handler: ({ actor, params }) => devices.getDevice(ctx, actor!, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/devices/:id/status', summary: '变更设备状态（在用、维修中、报废停用）', tags: TAGS, access: 'user', scope: 'cases:write', params: IdParams, body: DeviceStatusInput,
    handler: ({ actor, params, body, req }) => devices.setDeviceStatus(ctx, req, actor!, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/custodians', summary: '本机关执法记录、台账和文书的保管人（R-R05）', tags: TAGS, access: 'user', scope: 'cases:read', query: AgencyQuery,
    handler: ({ actor, query }) => devices.listCustodians(ctx, actor!, query.agencyId),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/custodians', summary: '指定保管人（执法记录、台账或文书，R-R05）', tags: TAGS, access: 'user', scope: 'cases:write', status: 201, body: CustodianInput,
    handler: ({ actor, body, req }) => devices.nameCustodian(ctx, req, actor!, body),
  });
}
