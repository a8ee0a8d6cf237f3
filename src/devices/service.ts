// The device register (R-R10) and named custodians (R-R05). An AV record names the device that made it;
// the register refuses a record from an unknown device, another agency's device or a retired one, and
// shows which records each device made, so a doubtful device can be traced to every record it made.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import * as registry from '../registry/service.ts';
import { recordsByDevice } from '../cases/records.ts';
import * as policy from './policy.ts';
import * as repo from './store.ts';
import { CUSTODY_KIND_LABELS, CUSTODY_KINDS, DEVICE_KIND_LABELS, DEVICE_STATUS_LABELS, type CustodianInput, type DeviceInput, type DeviceStatusInput } from './schema.ts';

const userId = (a: Actor) => (a.kind === 'user' ? a.id : null);

async function denied(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: string, subject: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { subject } });
  throw new AppError('forbidden', { detail });
}

/** The agency if the actor may read its register; out of scope looks the same as absent. */
async function readableAgency(ctx: AppContext, actor: Actor, agencyId: string) {
  try {
    const a = await registry.getAgency(ctx, { ...actor, kind: 'user' }, agencyId);
    if (policy.canRead(actor, { id: a.id, region_code: a.regionCode })) return a;
  } catch {
    /* same answer as out of scope */
  }
  throw notFound('执法主体');
}

export function deviceOut(d: repo.DeviceRow & { records?: number }) {
  return {
    id: d.id, agencyId: d.agency_id, agencyName: d.agency_name, kind: d.kind, kindLabel: DEVICE_KIND_LABELS[d.kind], serial: d.serial, name: d.name,
    configuration: d.configuration, custodian: d.custodian, status: d.status, statusLabel: DEVICE_STATUS_LABELS[d.status], createdAt: d.created_at, updatedAt: d.updated_at,
    ...(d.records === undefined ? {} : { records: d.records }),
  };
}

export async function addDevice(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: DeviceInput) {
  await readableAgency(ctx, actor, input.agencyId);
  if (!policy.canManage(actor, input.agencyId)) await denied(ctx, req, actor, 'devices.add', '只有本机关管理员或负责人可以登记本机关的执法记录设备。', input.agencyId);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.insertDevice(tx, { id, ...input, createdBy: userId(actor) }))) {
      throw new AppError('duplicate', { detail: `本机关已登记编号为 ${input.serial} 的设备。`, errors: [{ field: 'serial', message: '设备编号已登记' }] });
    }
    await recordChange(tx, { kind: 'devices.registered', agencyId: input.agencyId, subjectType: 'device', subjectId: id, actorId: userId(actor), data: { id, ...input } });
  });
  return deviceOut((await repo.getDevice(ctx.db, id))!);
}

export async function setDeviceStatus(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: DeviceStatusInput) {
  const d = await loadDevice(ctx, actor, id);
  if (!policy.canManage(actor, d.agency_id)) await denied(ctx, req, actor, 'devices.status', '只有本机关管理员或负责人可以变更设备状态。', id);
  await ctx.db.transaction(async (tx) => {
    const cur = (await repo.getDevice(tx, id, { forUpdate: true }))!;
    // A retired device stays retired: its records keep pointing at it, a new device gets a new entry.
    if (cur.status === 'retired') throw new AppError('invalid_state', { detail: '设备已报废停用，不能再变更状态；新设备请另行登记。' });
    const custodian = input.custodian ?? cur.custodian;
    await repo.setStatus(tx, id, input.status, custodian);
    await recordChange(tx, { kind: 'devices.status_changed', agencyId: cur.agency_id, subjectType: 'device', subjectId: id, actorId: userId(actor), data: { id, from: cur.status, to: input.status, reason: input.reason, custodian } });
  });
  return getDevice(ctx, actor, id);
}

async function loadDevice(ctx: AppContext, actor: Actor, id: string) {
  const d = await repo.getDevice(ctx.db, id);
  if (!d || !policy.canRead(actor, { id: d.agency_id, region_code: d.region_code })) throw notFound('设备');
  return d;
}

export async function listDevices(ctx: AppContext, actor: Actor, f: { agencyId?: string; status?: string; kind?: string }) {
  const params: unknown[] = [];
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) throw new AppError('forbidden', { detail: '令牌没有 cases:read 权限。' });
  const where = policy.scopeSql(policy.readScope(actor), 'a', params);
  return { items: (await repo.listDevices(ctx.db, where, params, f)).map(deviceOut) };
}

/** The device with every record it made (R-R10: a doubtful device is traced to its records). */
export async function getDevice(ctx: AppContext, actor: Actor, id: string) {
  const d = await loadDevice(ctx, actor, id);
  const records = await recordsByDevice(ctx.db, d.agency_id, d.serial);
  return { ...deviceOut(d), records };
}

/**
 * The serial an AV record of this agency may name (R-R10). An agency that has not registered any device
 * yet is not checked (the register is being set up); once it has one, every AV record names one of its
 * own devices that is not retired.
 */
export async function deviceForRecord(q: Queryable, agencyId: string, ref: string): Promise<string> {
  const { own, elsewhere, registered } = await repo.findForRecord(q, agencyId, ref);
  const refuse = (message: string) => new AppError('validation', { detail: message, errors: [{ field: 'deviceId', message }], extra: { refusals: [{ code: 'device_not_usable', reason: message }] } });
  if (own?.status === 'retired') throw refuse(`设备 ${own.serial} 已报废停用，不能作为记录设备（R-R10）`);
  if (own) return own.serial;
  if (registered === 0) return ref;
  if (elsewhere) throw refuse(`设备 ${ref} 登记在其他执法主体名下，不能作为本机关的记录设备（R-R10）`);
  throw refuse(`本机关设备登记簿中没有设备 ${ref}，请先登记该设备或选择已登记的设备（R-R10）`);
}

// ---- custodians (R-R05) ----

export async function listCustodians(ctx: AppContext, actor: Actor, agencyId: string) {
  await readableAgency(ctx, actor, agencyId);
  const rows = await repo.listCustodians(ctx.db, agencyId);
  const out = (r: repo.CustodianRow) => ({ id: r.id, kind: r.kind, kindLabel: CUSTODY_KIND_LABELS[r.kind], name: r.name, phone: r.phone, storage: r.storage, since: r.since, createdAt: r.created_at });
  return {
    agencyId,
    current: CUSTODY_KINDS.map((k) => {
      const r = rows.find((x) => x.kind === k);
      return { kind: k, kindLabel: CUSTODY_KIND_LABELS[k], custodian: r ? out(r) : null };
    }),
    history: rows.map(out),
  };
}

export async function nameCustodian(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CustodianInput) {
  await readableAgency(ctx, actor, input.agencyId);
  if (!policy.canManage(actor, input.agencyId)) await denied(ctx, req, actor, 'devices.custodian', '只有本机关管理员或负责人可以指定保管人。', input.agencyId);
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, { kind: 'devices.custodian_named', agencyId: input.agencyId, subjectType: 'agency', subjectId: input.agencyId, actorId: userId(actor), data: input });
    await repo.insertCustodian(tx, { ...input, createdBy: userId(actor), eventId });
  });
  return listCustodians(ctx, actor, input.agencyId);
}
