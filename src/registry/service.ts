// Registry use cases: agencies (R-P02), officers and certificates (R-P03, R-P08, R-S04),
// reviewers (R-L03). Every change is audited and committed to the ledger in its transaction.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, isUniqueViolation, notFound } from '../platform/errors.ts';
import { recordChange } from '../platform/changes.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registryRepo from './store.ts';
import * as policy from './policy.ts';
import { OfficerInput, type AgencyInput, type AgencyPatch, type OfficerPatch, type ReviewerInput, type ReviewerPatch } from './schema.ts';

export function agencyOut(r: registryRepo.AgencyRow) {
  return {
    id: r.id, name: r.name, creditCode: r.credit_code, kind: r.kind, level: r.level, regionCode: r.region_code, legalStatus: r.legal_status,
    entrustingAgencyId: r.entrusting_agency_id, entrustingAgencyName: r.entrusting_agency_name, fields: r.fields, duties: r.duties,
    legalBasis: r.legal_basis, parentId: r.parent_id, parentName: r.parent_name, reviewUnit: r.review_unit, address: r.address, phone: r.phone,
  };
}

export function officerOut(r: registryRepo.OfficerRow, withPersonal: boolean) {
  return {
    id: r.id, agencyId: r.agency_id, agencyName: r.agency_name, name: r.name, gender: r.gender,
    ...(withPersonal ? { idNumber: r.id_number } : {}),
    certificateNumber: r.certificate_number, issuerType: r.issuer_type, justiceRegistration: r.justice_registration, category: r.category,
    area: r.area, validFrom: r.valid_from, validTo: r.valid_to, status: r.status, effectiveStatus: r.effective_status,
    qualification: r.qualification, examPassedOn: r.exam_passed_on,
  };
}

const agencyRef = (r: { id: string; region_code: string }) => ({ id: r.id, region_code: r.region_code });

async function denied(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: string, subject?: string, attempt?: Record<string, unknown>): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { subject: subject ?? null, ...attempt } });
  throw new AppError('forbidden', { detail });
}

async function loadAgency(q: Queryable, id: string) {
  const a = await registryRepo.getAgency(q, id);
  if (!a) throw notFound('执法主体');
  return a;
}

// ---- agencies ----

export async function listAgencies(ctx: AppContext, actor: Actor, f: { q?: string; kind?: string; page: number; pageSize: number }) {
  const params: unknown[] = [];
  const conds = [policy.scopeSql(policy.readScope(actor), 'a', params)];
  if (f.q) {
    params.push('%' + registryRepo.escapeLike(f.q) + '%');
    conds.push(`(a.name LIKE $${params.length} OR a.credit_code LIKE $${params.length})`);
  }
  if (f.kind) {
    params.push(f.kind);
    conds.push(`a.kind = $${params.length}`);
  }
  const r = await registryRepo.listAgencies(ctx.db, conds.join(' AND '), params, f.pageSize, (f.page - 1) * f.pageSize);
  return { items: r.items.map(agencyOut), total: r.total };
}

export async function getAgency(ctx: AppContext, actor: Actor, id: string) {
  const a = await registryRepo.getAgency(ctx.db, id);
  // Out of scope looks the same as absent: nobody learns which ids exist elsewhere.
  if (!a || !policy.canReadAgency(actor, agencyRef(a))) throw notFound('执法主体');
  return agencyOut(a);
}

async function checkAgencyLinks(q: Queryable, input: AgencyInput) {
  for (const [field, id, label] of [['entrustingAgencyId', input.entrustingAgencyId, '委托机关'], ['parentId', input.parentId, '上级机关']] as const) {
    if (id && !(await registryRepo.getAgency(q, id))) {
      throw new AppError('validation', { detail: `${label}不存在。`, errors: [{ field, message: `${label}不存在` }] });
    }
  }
}

function duplicateCreditCode(err: unknown): never {
  if (isUniqueViolation(err, 'agencies_credit_code_key')) {
    throw new AppError('duplicate', { detail: '该统一社会信用代码已登记。', errors: [{ field: 'creditCode', message: '统一社会信用代码已存在' }] });
  }
  throw err;
}

export async function createAgency(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: AgencyInput) {
  if (!policy.canCreateAgency(actor, { region_code: input.regionCode, kind: input.kind })) await denied(ctx, req, actor, 'registry.agency_create', '只有系统管理员或上级司法行政机关可以在其辖区内登记执法主体。');
  const id = crypto.randomUUID();
  await ctx.db
    .transaction(async (tx) => {
      await checkAgencyLinks(tx, input);
      await registryRepo.insertAgency(tx, id, input);
      await recordChange(tx, { kind: 'registry.agency_created', agencyId: id, subjectType: 'agency', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: { id, ...input } });
      await audit(tx, req, { action: 'registry.agency_create', outcome: 'success', ...actorAudit(actor), detail: { agencyId: id } });
    })
    .catch(duplicateCreditCode);
  return getAgency(ctx, { ...actor, role: 'system_admin' }, id);
}

export async function updateAgency(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, patch: AgencyPatch) {
  const current = await loadAgency(ctx.db, id);
  if (!policy.canReadAgency(actor, agencyRef(current))) throw notFound('执法主体');
  if (!policy.canEditAgency(actor, agencyRef(current))) await denied(ctx, req, actor, 'registry.agency_update', '无权修改该执法主体。', id);
  const merged: AgencyInput = { ...(agencyOut(current) as unknown as AgencyInput), ...patch };
  // Region, level and kind decide who oversees whom: only the system administrator or the bureau above may change them.
  const before = { regionCode: current.region_code, level: current.level, kind: current.kind };
  const after = { regionCode: merged.regionCode, level: merged.level, kind: merged.kind };
  const placed = policy.JURISDICTION_FIELDS.filter((f) => after[f] !== before[f]);
  const hasSupervisors = placed.length > 0 && (await ctx.db.query(`SELECT 1 FROM users WHERE agency_id = $1 AND role = 'supervisor' LIMIT 1`, [id])).rows.length > 0;
  if (placed.length && !policy.canPlaceAgency(actor, { region_code: after.regionCode, kind: after.kind, hasSupervisors }, { id, region_code: before.regionCode, kind: before.kind, hasSupervisors })) {
    await denied(ctx, req, actor, 'registry.agency_place', '行政区划、层级和机关类型决定监督范围，只能由系统管理员或上级司法行政机关变更（不含本机关）。', id, { fields: placed, before, after });
  }
  if (merged.legalStatus !== 'entrusted') merged.entrustingAgencyId = patch.entrustingAgencyId ?? null;
  await ctx.db
    .transaction(async (tx) => {
      await checkAgencyLinks(tx, merged);
      await registryRepo.updateAgency(tx, id, merged);
      const actorId = actor.kind === 'user' ? actor.id : null;
      await recordChange(tx, { kind: 'registry.agency_updated', agencyId: id, subjectType: 'agency', subjectId: id, actorId, data: { id, ...merged } });
      if (placed.length) await recordChange(tx, { kind: 'registry.agency_placed', agencyId: id, subjectType: 'agency', subjectId: id, actorId, data: { id, fields: placed, before, after } });
      await audit(tx, req, { action: 'registry.agency_update', outcome: 'success', ...actorAudit(actor), detail: { agencyId: id, fields: Object.keys(patch) } });
    })
    .catch(duplicateCreditCode);
  return getAgency(ctx, actor, id);
}

// ---- officers and certificates ----

export async function listOfficers(ctx: AppContext, actor: Actor, f: registryRepo.OfficerSearch & { page: number; pageSize: number }) {
  const params: unknown[] = [todayInShanghai()];
  const where = policy.scopeSql(policy.readScope(actor), 'a', params);
  const r = await registryRepo.searchOfficers(ctx.db, where, params, f, f.pageSize, (f.page - 1) * f.pageSize);
  return { items: r.items.map((o) => officerOut(o, policy.canSeePersonalData(actor, { id: o.agency_id, region_code: o.agency_region }))), total: r.total };
}

/** R-P03: valid certificates of the actor's own agency that expire within `days` (the administrator's desk, issue 9). */
export async function expiringCertificates(ctx: AppContext, actor: Actor, days: number) {
  const { rows } = await ctx.db.query<{ id: string; name: string; certificate_number: string; valid_to: string }>(
    `SELECT id, name, certificate_number, valid_to::text FROM officers
      WHERE agency_id = $1 AND status = 'valid' AND valid_to >= $2::date AND valid_to <= $2::date + $3::int ORDER BY valid_to, name LIMIT 50`,
    [actor.agencyId, todayInShanghai(), days],
  );
  return rows.map((o) => ({ id: o.id, name: o.name, certificateNumber: o.certificate_number, validTo: o.valid_to }));
}

async function loadOfficerFor(ctx: AppContext, actor: Actor, id: string) {
  const o = await registryRepo.getOfficer(ctx.db, todayInShanghai(), id);
  const ref = o && { id: o.agency_id, region_code: o.agency_region };
  if (!o || !policy.canReadOfficers(actor, ref!)) throw notFound('执法人员');
  return { o, ref: ref! };
}

export async function getOfficer(ctx: AppContext, actor: Actor, id: string) {
  const { o, ref } = await loadOfficerFor(ctx, actor, id);
  return officerOut(o, policy.canSeePersonalData(actor, ref));
}

function duplicateCertificate(err: unknown): never {
  if (isUniqueViolation(err, 'officers_certificate_number_key')) {
    throw new AppError('duplicate', { detail: '该执法证号已被登记。', errors: [{ field: 'certificateNumber', message: '执法证号已存在' }] });
  }
  throw err;
}

/** What the ledger commits to for an officer: everything but the ID number, which is salted away with the rest. */
const officerChange = (id: string, o: Omit<OfficerInput, 'agencyId'> & { agencyId?: string }) => ({ id, ...o });

export async function createOfficer(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: OfficerInput) {
  const agency = await loadAgency(ctx.db, input.agencyId);
  if (!policy.canReadAgency(actor, agencyRef(agency))) throw new AppError('validation', { detail: '所属机关不存在。', errors: [{ field: 'agencyId', message: '所属机关不存在' }] });
  if (!policy.canWriteOfficers(actor, agencyRef(agency))) await denied(ctx, req, actor, 'registry.officer_create', '无权为该机关登记执法人员。', input.agencyId);
  const id = crypto.randomUUID();
  await ctx.db
    .transaction(async (tx) => {
      await registryRepo.insertOfficer(tx, id, input);
      await recordChange(tx, { kind: 'registry.officer_created', agencyId: input.agencyId, subjectType: 'officer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: officerChange(id, input) });
      await audit(tx, req, { action: 'registry.officer_create', outcome: 'success', ...actorAudit(actor), detail: { officerId: id } });
    })
    .catch(duplicateCertificate);
  return getOfficer(ctx, actor, id);
}

export async function updateOfficer(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, patch: OfficerPatch) {
  const { o, ref } = await loadOfficerFor(ctx, actor, id);
  if (!policy.canWriteOfficers(actor, ref)) await denied(ctx, req, actor, 'registry.officer_update', '无权修改该执法人员。', id);
  const current = officerOut(o, true) as unknown as OfficerInput;
  const merged = { ...current, ...patch };
  const check = OfficerInput.safeParse(merged);
  if (!check.success) throw new AppError('validation', { detail: check.error.issues.map((i) => i.message).join('；'), errors: check.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
  await ctx.db
    .transaction(async (tx) => {
      await registryRepo.updateOfficer(tx, id, check.data);
      await recordChange(tx, { kind: 'registry.officer_updated', agencyId: o.agency_id, subjectType: 'officer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: officerChange(id, check.data) });
      await audit(tx, req, { action: 'registry.officer_update', outcome: 'success', ...actorAudit(actor), detail: { officerId: id, fields: Object.keys(patch) } });
    })
    .catch(duplicateCertificate);
  return getOfficer(ctx, actor, id);
}

/** Suspend, revoke or reinstate a certificate; the public verification page shows the new status at once (R-P08). */
export async function setOfficerStatus(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, status: string, reason: string) {
  const { o, ref } = await loadOfficerFor(ctx, actor, id);
  if (!policy.canWriteOfficers(actor, ref)) await denied(ctx, req, actor, 'registry.officer_status', '无权变更该执法证状态。', id);
  if (o.status === 'revoked') throw new AppError('invalid_state', { detail: '已吊销的执法证不能恢复或变更，请重新核发新证。' });
  await ctx.db.transaction(async (tx) => {
    await registryRepo.setOfficerStatus(tx, id, status);
    await recordChange(tx, { kind: 'registry.certificate_status_changed', agencyId: o.agency_id, subjectType: 'officer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: { id, certificateNumber: o.certificate_number, from: o.status, to: status, reason } });
    await audit(tx, req, { action: 'registry.officer_status', outcome: 'success', ...actorAudit(actor), detail: { officerId: id, from: o.status, to: status } });
  });
  return getOfficer(ctx, actor, id);
}

export async function listTraining(ctx: AppContext, actor: Actor, officerId: string) {
  await loadOfficerFor(ctx, actor, officerId);
  const { rows } = await ctx.db.query<{ id: string; title: string; held_on: string; hours: string }>(
    `SELECT id, title, held_on, hours FROM training_records WHERE officer_id = $1 ORDER BY held_on DESC`,
    [officerId],
  );
  return { items: rows.map((r) => ({ id: r.id, title: r.title, heldOn: r.held_on, hours: Number(r.hours) })) };
}

export async function addTraining(ctx: AppContext, req: FastifyRequest | null, actor: Actor, officerId: string, t: { title: string; heldOn: string; hours: number }) {
  const { o, ref } = await loadOfficerFor(ctx, actor, officerId);
  if (!policy.canWriteOfficers(actor, ref)) await denied(ctx, req, actor, 'registry.training_add', '无权登记该人员的培训记录。', officerId);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO training_records (id, officer_id, title, held_on, hours) VALUES ($1,$2,$3,$4,$5)`, [id, officerId, t.title, t.heldOn, t.hours]);
    await recordChange(tx, { kind: 'registry.training_recorded', agencyId: o.agency_id, subjectType: 'officer', subjectId: officerId, actorId: actor.kind === 'user' ? actor.id : null, data: { id, officerId, ...t } });
  });
  return { id, ...t };
}

// ---- reviewers roster (R-L03) ----

export interface RosterEntry {
  id: string;
  agencyId: string;
  agencyName: string;
  name: string;
  role: string;
  qualification: string;
  phone: string;
  shared: boolean;
  active: boolean;
  userId: string | null;
  username: string | null;
}

const ROSTER_SELECT = `SELECT r.id, r.agency_id AS "agencyId", a.name AS "agencyName", r.name, r.role, r.qualification, r.phone, r.shared, r.active,
    r.user_id AS "userId", u.username, a.region_code
  FROM reviewers r JOIN agencies a ON a.id = r.agency_id LEFT JOIN users u ON u.id = r.user_id`;

export async function listReviewers(ctx: AppContext, actor: Actor, agencyId?: string) {
  const params: unknown[] = [];
  const conds = [policy.scopeSql(policy.readScope(actor), 'a', params)];
  if (agencyId) {
    params.push(agencyId);
    conds.push(`r.agency_id = $${params.length}`);
  }
  const { rows } = await ctx.db.query<RosterEntry & { region_code: string }>(`${ROSTER_SELECT} WHERE ${conds.join(' AND ')} ORDER BY a.name, r.name`, params);
  // Which account signs as an entry is for those who keep the roster; the others learn only whether one does.
  return {
    items: rows.map(({ region_code, ...r }) => {
      const keeper = policy.canWriteOfficers(actor, { id: r.agencyId, region_code });
      return { ...r, bound: r.userId !== null, userId: keeper ? r.userId : null, username: keeper ? r.username : null };
    }),
  };
}

/**
 * R-L03: the entries a submission of `agencyId` may be assigned to: its own active entries with an
 * account, then the shared ones of other units. The cases domain decides who may ask.
 */
export async function assignableReviewers(q: Queryable, agencyId: string) {
  const { rows } = await q.query<{ id: string; name: string; role: string; agency_name: string; shared: boolean; own: boolean }>(
    `SELECT r.id, r.name, r.role, a.name AS agency_name, r.shared, r.agency_id = $1 AS own
       FROM reviewers r JOIN agencies a ON a.id = r.agency_id
      WHERE r.active AND r.user_id IS NOT NULL AND (r.agency_id = $1 OR r.shared)
      ORDER BY (r.agency_id = $1) DESC, a.name, r.name`,
    [agencyId],
  );
  return rows.map((r) => ({ rosterId: r.id, name: r.name, role: r.role, agencyName: r.agency_name, shared: r.shared, own: r.own }));
}

/** A roster entry by id, whatever the caller's scope: the cases domain decides what it may be used for. */
async function oneEntry(q: Queryable, where: string, param: string): Promise<RosterEntry | undefined> {
  const row = (await q.query<RosterEntry & { region_code: string }>(`${ROSTER_SELECT} WHERE ${where} = $1`, [param])).rows[0];
  if (!row) return undefined;
  const { region_code: _region, ...entry } = row;
  return entry;
}

export async function rosterEntry(q: Queryable, id: string): Promise<RosterEntry | undefined> {
  return oneEntry(q, 'r.id', id);
}

/** The signer's own roster entry (R-L07: an opinion is attributed to it and to no other). */
export async function rosterEntryOfUser(q: Queryable, userId: string): Promise<RosterEntry | undefined> {
  return oneEntry(q, 'r.user_id', userId);
}

/** A roster entry signs as one account: a reviewer of the same unit (the role that may give opinions). */
async function checkRosterUser(q: Queryable, agencyId: string, userId: string | null) {
  if (!userId) return;
  const { rows } = await q.query<{ agency_id: string; role: string }>(`SELECT agency_id, role FROM users WHERE id = $1`, [userId]);
  if (rows[0]?.agency_id !== agencyId || rows[0].role !== 'reviewer') {
    throw new AppError('validation', { detail: '绑定的账号须为本单位的法制审核人员账号。', errors: [{ field: 'userId', message: '不是本单位的法制审核人员账号' }] });
  }
}

function duplicateRosterUser(err: unknown): never {
  if (isUniqueViolation(err, 'reviewers_user')) throw new AppError('duplicate', { detail: '该账号已绑定其他名单条目。', errors: [{ field: 'userId', message: '账号已绑定其他名单条目' }] });
  throw err;
}

export async function addReviewer(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: ReviewerInput) {
  const agency = await loadAgency(ctx.db, input.agencyId);
  if (!policy.canReadAgency(actor, agencyRef(agency))) throw new AppError('validation', { detail: '所属单位不存在。', errors: [{ field: 'agencyId', message: '所属单位不存在' }] });
  if (!policy.canWriteOfficers(actor, agencyRef(agency))) await denied(ctx, req, actor, 'registry.reviewer_add', '无权登记该单位的法制审核人员。', input.agencyId);
  const id = crypto.randomUUID();
  await ctx.db
    .transaction(async (tx) => {
      await checkRosterUser(tx, input.agencyId, input.userId);
      await tx.query(`INSERT INTO reviewers (id, agency_id, name, role, qualification, phone, shared, user_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [id, input.agencyId, input.name, input.role, input.qualification, input.phone, input.shared, input.userId]);
      await recordChange(tx, { kind: 'registry.reviewer_added', agencyId: input.agencyId, subjectType: 'reviewer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: { id, ...input } });
    })
    .catch(duplicateRosterUser);
  return (await rosterEntry(ctx.db, id))!;
}

/** Binds an entry to its account, shares it or withdraws it; the change is recorded with what it was. */
export async function updateReviewer(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, patch: ReviewerPatch) {
  const current = await rosterEntry(ctx.db, id);
  const agency = current && (await loadAgency(ctx.db, current.agencyId));
  if (!current || !agency || !policy.canReadAgency(actor, agencyRef(agency))) throw notFound('法制审核人员');
  if (!policy.canWriteOfficers(actor, agencyRef(agency))) await denied(ctx, req, actor, 'registry.reviewer_update', '无权修改该单位的法制审核人员名单。', id);
  const next = { userId: current.userId, shared: current.shared, active: current.active, ...patch };
  await ctx.db
    .transaction(async (tx) => {
      await checkRosterUser(tx, current.agencyId, next.userId);
      await tx.query(`UPDATE reviewers SET user_id = $2, shared = $3, active = $4 WHERE id = $1`, [id, next.userId, next.shared, next.active]);
      await recordChange(tx, {
        kind: 'registry.reviewer_updated', agencyId: current.agencyId, subjectType: 'reviewer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null,
        data: { id, before: { userId: current.userId, shared: current.shared, active: current.active }, after: next },
      });
    })
    .catch(duplicateRosterUser);
  return (await rosterEntry(ctx.db, id))!;
}

/** R-L03: legal reviewers number at least 5% of an agency's enforcement officers (rounded up). */
export const REVIEWER_FLOOR = 0.05;

export async function reviewerRatio(ctx: AppContext, actor: Actor) {
  const params: unknown[] = [todayInShanghai()];
  const where = policy.scopeSql(policy.readScope(actor), 'a', params);
  const { rows } = await ctx.db.query<{ id: string; name: string; officers: number; reviewers: number }>(
    `SELECT a.id, a.name,
        (SELECT count(*)::int FROM officers o WHERE o.agency_id = a.id AND o.status = 'valid' AND o.valid_to >= $1::date) AS officers,
        (SELECT count(*)::int FROM reviewers r WHERE r.agency_id = a.id AND r.role = 'reviewer' AND r.active) AS reviewers
       FROM agencies a WHERE a.kind = 'enforcement' AND ${where} ORDER BY a.region_code, a.name`,
    params,
  );
  return {
    items: rows.map((r) => {
      const required = Math.ceil(r.officers * REVIEWER_FLOOR);
      return { agencyId: r.id, agencyName: r.name, officers: r.officers, reviewers: r.reviewers, ratio: r.officers ? r.reviewers / r.officers : null, required, meetsFloor: r.reviewers >= required };
    }),
  };
}
