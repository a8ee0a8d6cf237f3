// Complaints about enforcement (issue 12, R-S03). Filed on the portal (anonymous or real-name, with a
// tracking number to follow it) or entered by a supervisor for phone, letter, visit and 12345 leads.
// Routing: an agency's act → its supervising justice bureau (a government's or a bureau's own act → the
// bureau above); an officer's conduct → the officer's agency, watched by the bureau. Accept within the
// configured working days (clocks.ts), close within 30 days extendable once. The complainant's identity
// is read only by the bureau's supervisors; the public answer is status, dates and the reply.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { jurisdictionPrefix } from '../platform/jurisdiction.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { storeEvidence } from '../blobs/service.ts';
import { clocksFor } from './clocks.ts';
import { canAnswer, canSee, canSupervise, supervisionScope } from './policy.ts';
import type { ComplaintDecision, ComplaintInput, StaffComplaintInput } from './schema.ts';

export const COMPLAINT_STATUS_LABELS: Record<string, string> = {
  submitted: '已提交，待受理', accepted: '已受理，办理中', rejected: '不予受理', transferred: '已转办', guided: '已引导申请行政复议或提起诉讼', matter: '已立案监督', closed: '已办结',
};
export const CHANNEL_LABELS: Record<string, string> = { website: '网站', phone: '电话', letter: '信件', visit: '来访', hotline: '12345 热线' };

interface ComplaintRow {
  id: string; tracking_number: string; channel: string; subject_kind: string; subject_agency_id: string; subject_agency_name: string; subject_officer: string | null;
  region_code: string; bureau_id: string; bureau_name: string; handler_id: string; handler_name: string; summary: string; content: string; happened_on: string | null;
  real_name: boolean; complainant_name: string | null; complainant_phone: string | null; evidence: string[]; hotline_ticket: string | null; status: string;
  received_on: string; accept_by: string; accepted_on: string | null; close_by: string | null; extended: boolean; extension_reason: string | null;
  decision_reason: string | null; reply: string | null; closed_on: string | null; matter_id: string | null; created_at: Date;
}

const SELECT = `SELECT c.*, s.name AS subject_agency_name, b.name AS bureau_name, h.name AS handler_name
  FROM complaints c JOIN agencies s ON s.id = c.subject_agency_id JOIN agencies b ON b.id = c.bureau_id JOIN agencies h ON h.id = c.handler_id`;

// ---- throttle (public writes and look-ups, per address) ----
const hits = new Map<string, number[]>();
function throttle(key: string, limit: number, windowMs: number) {
  const now = Date.now();
  const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
  if (recent.length >= limit) throw new AppError('too_many_requests', { detail: '提交过于频繁，请稍后再试。' });
  recent.push(now);
  hits.set(key, recent);
  if (hits.size > 10_000) hits.clear();
}

// ---- routing ----
interface AgencyRow { id: string; name: string; kind: string; region_code: string }

/** The supervising justice bureau of an agency (or of a government or bureau: the one above it). */
export async function bureauFor(q: Queryable, subject: AgencyRow): Promise<AgencyRow | undefined> {
  const { rows } = await q.query<AgencyRow>(`SELECT id, name, kind, region_code FROM agencies WHERE kind = 'justice_bureau'`);
  const own = jurisdictionPrefix(subject.region_code);
  const above = subject.kind !== 'enforcement';
  return rows
    .map((b) => ({ b, p: jurisdictionPrefix(b.region_code) }))
    .filter(({ b, p }) => subject.region_code.startsWith(p) && b.id !== subject.id && (!above || p.length < own.length))
    .sort((x, y) => y.p.length - x.p.length)[0]?.b;
}

async function agency(q: Queryable, id: string): Promise<AgencyRow | undefined> {
  const { rows } = await q.query<AgencyRow>(`SELECT id, name, kind, region_code FROM agencies WHERE id = $1`, [id]);
  return rows[0];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_RE = /^TS\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;
function trackingNumber(today: string): string {
  const bytes = crypto.randomBytes(8);
  return `TS${today.replaceAll('-', '')}${[...bytes].map((b) => CROCKFORD[b % 32]).join('')}`;
}

/** Anyone filing about the public: the uploader of its evidence, kept apart from staff accounts. */
const PUBLIC_UPLOADER = '00000000-0000-4000-8000-0000000c0a11';

interface NewComplaint extends Omit<ComplaintInput, 'evidence'> {
  channel: string;
  hotlineTicket?: string | null;
  evidence: { filename: string; mediaType: string; contentBase64: string }[];
}

async function file(ctx: AppContext, input: NewComplaint, createdBy: string | null) {
  const subject = await agency(ctx.db, input.agencyId);
  if (!subject || subject.kind === 'justice_bureau' && input.subjectKind === 'officer_conduct') {
    throw new AppError('validation', { detail: '被投诉的执法机关不存在。', errors: [{ field: 'agencyId', message: '执法机关不存在' }] });
  }
  const bureau = await bureauFor(ctx.db, subject);
  if (!bureau) throw new AppError('validation', { detail: '找不到该机关的执法监督机构。', errors: [{ field: 'agencyId', message: '无对应的执法监督机构' }] });
  const handler = input.subjectKind === 'officer_conduct' ? subject : bureau;
  const id = crypto.randomUUID();
  const today = todayInShanghai();
  const clocks = clocksFor(subject.region_code);
  const cal = await getCalendar(ctx.db);
  const acceptBy = cal.addWorkingDays(today, clocks.complaintAccept.days).deadline;
  // Evidence: stored and claimed for the bureau (R-R06: read through the complaint only, never by hash).
  const shas: string[] = [];
  const uploader: Actor = { kind: 'user', id: PUBLIC_UPLOADER, name: '投诉举报人', role: 'officer', agencyId: bureau.id, jurisdiction: null, scopes: [] };
  for (const e of input.evidence) {
    const bytes = Buffer.from(e.contentBase64, 'base64');
    const stored = await storeEvidence(ctx, uploader, { body: Readable.from([bytes]), mediaType: e.mediaType, filename: e.filename, declaredLength: bytes.length }, { attach: { agencyId: bureau.id, by: null, purpose: 'complaint' } });
    shas.push(stored.sha256);
  }
  const number = trackingNumber(today);
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO complaints (id, tracking_number, channel, subject_kind, subject_agency_id, subject_officer, region_code, bureau_id, handler_id, summary, content,
         happened_on, real_name, complainant_name, complainant_phone, evidence, hotline_ticket, status, received_on, accept_by, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,'submitted',$18,$19,$20)`,
      [id, number, input.channel, input.subjectKind, subject.id, input.officerName ?? null, subject.region_code, bureau.id, handler.id, input.summary, input.content,
        input.happenedOn ?? null, input.realName, input.realName ? input.name! : null, input.realName ? input.phone ?? null : null, shas, input.hotlineTicket ?? null, today, acceptBy, createdBy],
    );
    // The event holds no identity of the complainant: the log is for what happened, not who told.
    await recordChange(tx, {
      kind: 'supervision.complaint_received', agencyId: bureau.id, subjectType: 'complaint', subjectId: id, actorId: createdBy,
      data: { complaintId: id, channel: input.channel, subjectKind: input.subjectKind, subjectAgencyId: subject.id, handlerId: handler.id, receivedOn: today, acceptBy, evidence: shas },
    });
  });
  return { id, trackingNumber: number, status: 'submitted', acceptBy };
}

export async function fileComplaint(ctx: AppContext, req: FastifyRequest, input: ComplaintInput) {
  throttle(`post:${req.ip}`, 10, 10 * 60_000);
  const r = await file(ctx, { ...input, channel: 'website', evidence: input.evidence ?? [] }, null);
  return { trackingNumber: r.trackingNumber, status: r.status, acceptBy: r.acceptBy };
}

/** What the public sees of a complaint: status, dates and the reply, nothing else (no names, no notes). */
export async function trackComplaint(ctx: AppContext, req: FastifyRequest | null, trackingNumber: string) {
  if (req) throttle(`get:${req.ip}`, 60, 60_000);
  const { rows } = await ctx.db.query<ComplaintRow>(`${SELECT} WHERE c.tracking_number = $1`, [trackingNumber]);
  const c = rows[0];
  if (!c) throw notFound('投诉举报');
  const answered = ['closed', 'rejected', 'transferred', 'guided', 'matter'].includes(c.status);
  return {
    trackingNumber: c.tracking_number, status: c.status, statusLabel: COMPLAINT_STATUS_LABELS[c.status], receivedOn: c.received_on, acceptBy: c.accept_by,
    acceptedOn: c.accepted_on, closeBy: c.close_by, closedOn: c.closed_on, reply: answered ? (c.reply ?? c.decision_reason) : null,
  };
}

// ---- staff ----

export async function enterComplaint(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: StaffComplaintInput) {
  const subject = await agency(ctx.db, input.agencyId);
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'system_admin')) {
    await audit(ctx.db, req, { action: 'supervision.complaint_enter', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw forbidden('只有执法监督人员可以登记投诉举报。');
  }
  if (!subject || !canSee(actor, subject)) throw new AppError('validation', { detail: '被投诉的执法机关不在本辖区。', errors: [{ field: 'agencyId', message: '执法机关不存在或不在本辖区' }] });
  const r = await file(ctx, { ...input, evidence: [] }, actor.id);
  return getComplaint(ctx, actor, r.id);
}

function scopeSql(actor: Actor, params: unknown[]): string {
  const scope = supervisionScope(actor);
  if (!scope) throw forbidden('API 令牌无权访问执法监督数据。');
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'region') return `c.region_code LIKE $${params.push(scope.prefix)} || '%'`;
  // An agency sees the complaints it handles (an officer's conduct), never who complained.
  return `c.handler_id = $${params.push(scope.agencyId)}`;
}

const seesIdentity = (actor: Actor, c: ComplaintRow) => actor.kind === 'user' && (actor.role === 'system_admin' || (actor.role === 'supervisor' && canSupervise(actor, { id: c.subject_agency_id, region_code: c.region_code })));

function view(actor: Actor, c: ComplaintRow) {
  const identity = seesIdentity(actor, c);
  return {
    id: c.id, trackingNumber: c.tracking_number, channel: c.channel, channelLabel: CHANNEL_LABELS[c.channel], subjectKind: c.subject_kind,
    subjectAgency: { id: c.subject_agency_id, name: c.subject_agency_name }, subjectOfficer: c.subject_officer, bureau: { id: c.bureau_id, name: c.bureau_name },
    handler: { id: c.handler_id, name: c.handler_name }, summary: c.summary, content: c.content, happenedOn: c.happened_on, realName: c.real_name,
    // R-S03: a real-name complainant is known to the bureau only.
    complainant: c.real_name ? (identity ? { name: c.complainant_name, phone: c.complainant_phone } : { name: '（保密）', phone: null }) : null,
    evidence: identity ? c.evidence : c.evidence.map(() => '（保密）'), hotlineTicket: c.hotline_ticket, status: c.status, statusLabel: COMPLAINT_STATUS_LABELS[c.status],
    receivedOn: c.received_on, acceptBy: c.accept_by, acceptedOn: c.accepted_on, closeBy: c.close_by, extended: c.extended, extensionReason: c.extension_reason,
    decisionReason: c.decision_reason, reply: c.reply, closedOn: c.closed_on, matterId: c.matter_id,
    overdue: (c.status === 'submitted' && todayInShanghai() > c.accept_by) || (c.status === 'accepted' && !!c.close_by && todayInShanghai() > c.close_by),
  };
}

export async function listComplaints(ctx: AppContext, actor: Actor, q: { status?: string; agency?: string; limit: number; offset: number }) {
  const params: unknown[] = [];
  const conds = [scopeSql(actor, params)];
  if (q.status) conds.push(`c.status = $${params.push(q.status)}`);
  if (q.agency) conds.push(`c.subject_agency_id = $${params.push(q.agency)}`);
  const where = conds.join(' AND ');
  const [{ rows }, count] = await Promise.all([
    ctx.db.query<ComplaintRow>(`${SELECT} WHERE ${where} ORDER BY c.received_on DESC, c.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`, params),
    ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints c WHERE ${where}`, params),
  ]);
  return { items: rows.map((r) => view(actor, r)), total: count.rows[0]!.n };
}

async function load(q: Queryable, actor: Actor, id: string, forUpdate = false): Promise<ComplaintRow> {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const { rows } = await q.query<ComplaintRow>(`${SELECT} WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`, [id]);
  const c = rows[0];
  const visible = c && (canSee(actor, { id: c.subject_agency_id, region_code: c.region_code }) && (actor.role === 'supervisor' || actor.role === 'system_admin' || c.handler_id === actor.agencyId));
  if (!visible) throw notFound('投诉举报');
  return c;
}

export async function getComplaint(ctx: AppContext, actor: Actor, id: string) {
  return view(actor, await load(ctx.db, actor, id));
}

/** The bureau's supervisors handle every complaint; the officer's agency (head, administrator) those about its officers. */
const canHandle = (actor: Actor, c: ComplaintRow) =>
  canSupervise(actor, { id: c.subject_agency_id, region_code: c.region_code }) || (c.subject_kind === 'officer_conduct' && canAnswer(actor, { id: c.handler_id, region_code: c.region_code }));

async function act(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, action: string, fn: (tx: Queryable, c: ComplaintRow, today: string) => Promise<Record<string, unknown>>) {
  const pre = await load(ctx.db, actor, id);
  if (!canHandle(actor, pre)) {
    await audit(ctx.db, req, { action: `supervision.complaint_${action}`, outcome: 'denied', ...actorAudit(actor), detail: { complaintId: id } });
    throw forbidden('无权办理此投诉举报。');
  }
  await ctx.db.transaction(async (tx) => {
    const c = await load(tx, actor, id, true);
    const data = await fn(tx, c, todayInShanghai());
    await recordChange(tx, { kind: `supervision.complaint_${action}`, agencyId: c.bureau_id, subjectType: 'complaint', subjectId: id, actorId: actor.id, data: { complaintId: id, ...data } });
  });
  return getComplaint(ctx, actor, id);
}

const needState = (c: ComplaintRow, ...states: string[]) => {
  if (!states.includes(c.status)) throw new AppError('invalid_state', { detail: `投诉举报当前状态为「${COMPLAINT_STATUS_LABELS[c.status]}」，不能办理此操作。` });
};

export async function decideComplaint(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, d: ComplaintDecision) {
  return act(ctx, req, actor, id, d.action === 'accept' ? 'accepted' : 'decided', async (tx, c, today) => {
    needState(c, 'submitted');
    if (d.action === 'accept') {
      const closeBy = (await getCalendar(ctx.db)).addCalendarDays(today, clocksFor(c.region_code).complaintClose.days).deadline;
      await tx.query(`UPDATE complaints SET status = 'accepted', accepted_on = $2, close_by = $3, updated_at = now() WHERE id = $1`, [id, today, closeBy]);
      return { action: d.action, on: today, closeBy };
    }
    const status = { reject: 'rejected', transfer: 'transferred', guide: 'guided' }[d.action];
    await tx.query(`UPDATE complaints SET status = $2, decision_reason = $3, closed_on = $4, updated_at = now() WHERE id = $1`, [id, status, d.reason, today]);
    return { action: d.action, on: today, reason: d.reason };
  });
}

export async function extendComplaint(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, reason: string) {
  return act(ctx, req, actor, id, 'extended', async (tx, c) => {
    needState(c, 'accepted');
    if (c.extended) throw new AppError('invalid_state', { detail: '办理期限只能延长一次。' });
    const closeBy = (await getCalendar(ctx.db)).addCalendarDays(c.close_by!, clocksFor(c.region_code).complaintExtension.days).deadline;
    await tx.query(`UPDATE complaints SET extended = true, extension_reason = $2, close_by = $3, updated_at = now() WHERE id = $1`, [id, reason, closeBy]);
    return { closeBy, reason };
  });
}

export async function closeComplaint(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, reply: string) {
  return act(ctx, req, actor, id, 'closed', async (tx, c, today) => {
    needState(c, 'accepted');
    await tx.query(`UPDATE complaints SET status = 'closed', reply = $2, closed_on = $3, updated_at = now() WHERE id = $1`, [id, reply, today]);
    return { on: today };
  });
}

/** Used by matters.ts: the complaint becomes a supervision matter. */
export async function markComplaintAsMatter(tx: Queryable, id: string, matterId: string, today: string) {
  await tx.query(`UPDATE complaints SET status = 'matter', matter_id = $2, closed_on = $3, decision_reason = coalesce(decision_reason, '已立案开展执法监督'), updated_at = now() WHERE id = $1`, [id, matterId, today]);
}

export async function complaintForMatter(q: Queryable, actor: Actor, id: string) {
  return load(q, actor, id, true);
}
