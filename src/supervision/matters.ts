// Supervision matters (监督事项) with the 《行政执法监督条例》's instruments and the provincial clocks
// (clocks.ts): open (from an alert, complaint, 12345 lead, review finding or own initiative) → the agency
// is notified and explains (10 days) → 督办函 / 监督意见书 / 监督决定书 (第27–29条; 文号, PDF, ledger) →
// correction report within 30 days, or an objection (第30条) answered in 15 days, extendable once →
// closed with the conclusion. A dispute already in 行政复议 or 行政诉讼 is not supervised twice (第33条).
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { getCalendar, type WorkingCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { storeEvidence } from '../blobs/service.ts';
import { agencyAbbreviation } from '../cases/abbreviation.ts';
import { chineseDate, nextDocumentNumber, renderComposedPdf, type ComposedDocument } from '../cases/documents/index.ts';
import { caseLabels } from '../cases/supervision-facts.ts';
import { clocksFor, type ClockRule } from './clocks.ts';
import { complaintForMatter, markComplaintAsMatter } from './complaints.ts';
import { canAnswer, canSee, canSupervise, supervisionScope } from './policy.ts';
import type { InstrumentInput, MatterInput } from './schema.ts';

export const INSTRUMENTS = {
  urging_letter: { name: '行政执法监督督办函', kind: '督', basis: '《行政执法监督条例》第二十七条' },
  opinion: { name: '行政执法监督意见书', kind: '意', basis: '《行政执法监督条例》第二十八条' },
  decision: { name: '行政执法监督决定书', kind: '决', basis: '《行政执法监督条例》第二十九条' },
} as const;
export const MATTER_STATUS_LABELS: Record<string, string> = {
  notified: '已通知，待说明', explained: '已说明，待处理', instrument_issued: '已发文书，待整改', objected: '异议复查中', corrected: '已报告整改，待审核', closed: '已办结',
};
export const MODE_LABELS: Record<string, string> = { routine: '日常监督', key: '重点监督', special: '专项监督' };
export const SOURCE_LABELS: Record<string, string> = { alert: '预警', complaint: '投诉举报', hotline: '12345 热线', review: '案卷评查', own: '主动监督' };

interface MatterRow {
  id: string; number: string; bureau_id: string; bureau_name: string; agency_id: string; agency_name: string; region_code: string; case_id: string | null;
  source: string; source_id: string | null; mode: string; listed: boolean; escalated: boolean; title: string; facts: string; status: string;
  instrument: string | null; instrument_number: string | null; opened_on: string; explanation_due: string | null; correction_due: string | null;
  objection_due: string | null; objection_extended: boolean; closed_on: string | null; conclusion: string | null;
}
interface StepRow { seq: number; action: string; on_date: string; actor_name: string; text: string; document_number: string | null; pdf_sha256: string | null }

const SELECT = `SELECT m.*, b.name AS bureau_name, a.name AS agency_name FROM supervision_matters m JOIN agencies b ON b.id = m.bureau_id JOIN agencies a ON a.id = m.agency_id`;

function due(cal: WorkingCalendar, from: string, rule: ClockRule): string {
  return rule.unit === 'working' ? cal.addWorkingDays(from, rule.days).deadline : cal.addCalendarDays(from, rule.days).deadline;
}

async function addStep(tx: Queryable, m: { id: string; agency_id: string }, actor: Actor, action: string, on: string, text: string, doc?: { number: string; sha256: string }) {
  const { rows } = await tx.query<{ n: number }>(`SELECT coalesce(max(seq), 0)::int + 1 AS n FROM supervision_matter_steps WHERE matter_id = $1`, [m.id]);
  const seq = rows[0]!.n;
  const { eventId } = await recordChange(tx, {
    kind: `supervision.matter_${action}`, agencyId: m.agency_id, subjectType: 'supervision_matter', subjectId: m.id, actorId: actor.kind === 'user' ? actor.id : null,
    data: { matterId: m.id, seq, action, on, text, ...(doc ? { documentNumber: doc.number, pdfSha256: doc.sha256 } : {}) },
    ...(doc ? { publicDigest: doc.sha256 } : {}),
  });
  await tx.query(
    `INSERT INTO supervision_matter_steps (matter_id, seq, action, on_date, actor_id, actor_name, text, document_number, pdf_sha256, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [m.id, seq, action, on, actor.kind === 'user' ? actor.id : null, actor.name, text, doc?.number ?? null, doc?.sha256 ?? null, eventId],
  );
}

async function bureauOf(q: Queryable, actor: Actor): Promise<{ id: string; name: string; region_code: string }> {
  const { rows } = await q.query<{ id: string; name: string; region_code: string }>(`SELECT id, name, region_code FROM agencies WHERE id = $1`, [actor.agencyId]);
  return rows[0]!;
}

export async function openMatter(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: MatterInput) {
  const { rows: ag } = await ctx.db.query<{ id: string; name: string; region_code: string }>(`SELECT id, name, region_code FROM agencies WHERE id = $1`, [input.agencyId]);
  const agency = ag[0];
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'system_admin')) {
    await audit(ctx.db, req, { action: 'supervision.matter_open', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw forbidden('只有执法监督人员可以立案监督。');
  }
  if (!agency || !canSupervise(actor, agency)) throw new AppError('validation', { detail: '被监督机关不存在或不在本辖区。', errors: [{ field: 'agencyId', message: '被监督机关不存在或不在本辖区' }] });
  // 第33条: a dispute already before a reconsideration body or a court is not supervised twice.
  if (input.disputeStatus !== 'none') {
    throw new AppError('invalid_state', {
      detail: `该事项已进入${input.disputeStatus === 'reconsideration' ? '行政复议' : '行政诉讼'}程序，依照《行政执法监督条例》第三十三条不重复监督；可待复议、诉讼结果作出后依法处理，或引导当事人依法维权。`,
    });
  }
  if (input.caseId) {
    const label = (await caseLabels(ctx.db, [input.caseId])).get(input.caseId);
    if (label?.agencyId !== agency.id) throw new AppError('validation', { detail: '所涉案件不属于被监督机关。', errors: [{ field: 'caseId', message: '案件不存在或不属于被监督机关' }] });
  }
  const today = todayInShanghai();
  const clocks = clocksFor(agency.region_code);
  const explanationDue = due(await getCalendar(ctx.db), today, clocks.explanation);
  const id = crypto.randomUUID();
  const bureau = actor.role === 'system_admin' ? agency : await bureauOf(ctx.db, actor);
  try {
    await ctx.db.transaction(async (tx) => {
      if (input.source === 'complaint') {
        if (!input.sourceId) throw new AppError('validation', { detail: '请指明来源投诉。', errors: [{ field: 'sourceId', message: '请指明来源投诉' }] });
        const c = await complaintForMatter(tx, actor, input.sourceId);
        if (c.status !== 'accepted') throw new AppError('invalid_state', { detail: '投诉受理后才能立案监督。' });
        await markComplaintAsMatter(tx, c.id, id, today);
      }
      const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int + 1 AS n FROM supervision_matters WHERE bureau_id = $1 AND opened_on >= $2::date`, [bureau.id, `${today.slice(0, 4)}-01-01`]);
      const number = `${agencyAbbreviation(bureau.name)}监〔${today.slice(0, 4)}〕${rows[0]!.n}号`;
      await tx.query(
        `INSERT INTO supervision_matters (id, number, bureau_id, agency_id, region_code, case_id, source, source_id, mode, listed, escalated, title, facts, status, opened_on, explanation_due, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'notified',$14,$15,$16)`,
        [id, number, bureau.id, agency.id, agency.region_code, input.caseId ?? null, input.source, input.sourceId ?? null, input.mode, input.listed, input.escalated, input.title, input.facts, today, explanationDue, actor.id],
      );
      await addStep(tx, { id, agency_id: agency.id }, actor, 'opened', today, `${SOURCE_LABELS[input.source]}；${MODE_LABELS[input.mode]}${input.listed ? '；挂牌督办' : ''}${input.escalated ? '；提级监督' : ''}。${clocks.notice.basis}；${clocks.explanation.basis}`);
    });
  } catch (e) {
    if (e instanceof Error && /supervision_matters_case_open/.test(e.message)) throw new AppError('invalid_state', { detail: '该案件已有正在办理的监督事项，不重复立案。' });
    throw e;
  }
  return getMatter(ctx, actor, id);
}

function scopeSql(actor: Actor, params: unknown[]): string {
  const scope = supervisionScope(actor);
  if (!scope) throw forbidden('API 令牌无权访问执法监督数据。');
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'region') return `m.region_code LIKE $${params.push(scope.prefix)} || '%'`;
  return `m.agency_id = $${params.push(scope.agencyId)}`;
}

function view(m: MatterRow, today = todayInShanghai()) {
  const clock = (label: string, date: string | null, running: boolean) => (date ? { label, due: date, running, overdue: running && today > date } : null);
  return {
    id: m.id, number: m.number, bureau: { id: m.bureau_id, name: m.bureau_name }, agency: { id: m.agency_id, name: m.agency_name }, caseId: m.case_id,
    source: m.source, sourceLabel: SOURCE_LABELS[m.source], sourceId: m.source_id, mode: m.mode, modeLabel: MODE_LABELS[m.mode], listed: m.listed, escalated: m.escalated,
    title: m.title, facts: m.facts, status: m.status, statusLabel: MATTER_STATUS_LABELS[m.status], instrument: m.instrument,
    instrumentName: m.instrument ? INSTRUMENTS[m.instrument as keyof typeof INSTRUMENTS].name : null, instrumentNumber: m.instrument_number, openedOn: m.opened_on, closedOn: m.closed_on, conclusion: m.conclusion,
    clocks: [
      clock('书面说明', m.explanation_due, m.status === 'notified'),
      clock('整改报告', m.correction_due, m.status === 'instrument_issued'),
      clock('异议复查', m.objection_due, m.status === 'objected'),
    ].filter((c) => c !== null),
  };
}

export async function listMatters(ctx: AppContext, actor: Actor, q: { status?: string; agency?: string; limit: number; offset: number }) {
  const params: unknown[] = [];
  const conds = [scopeSql(actor, params)];
  if (q.status) conds.push(`m.status = $${params.push(q.status)}`);
  if (q.agency) conds.push(`m.agency_id = $${params.push(q.agency)}`);
  const where = conds.join(' AND ');
  const [{ rows }, count] = await Promise.all([
    ctx.db.query<MatterRow>(`${SELECT} WHERE ${where} ORDER BY m.opened_on DESC, m.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`, params),
    ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_matters m WHERE ${where}`, params),
  ]);
  return { items: rows.map((r) => view(r)), total: count.rows[0]!.n };
}

async function load(q: Queryable, actor: Actor, id: string, forUpdate = false): Promise<MatterRow> {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const { rows } = await q.query<MatterRow>(`${SELECT} WHERE m.id = $1${forUpdate ? ' FOR UPDATE OF m' : ''}`, [id]);
  const m = rows[0];
  if (!m || !canSee(actor, { id: m.agency_id, region_code: m.region_code })) throw notFound('监督事项');
  return m;
}

export async function getMatter(ctx: AppContext, actor: Actor, id: string) {
  const m = await load(ctx.db, actor, id);
  const { rows } = await ctx.db.query<StepRow>(`SELECT seq, action, on_date, actor_name, text, document_number, pdf_sha256 FROM supervision_matter_steps WHERE matter_id = $1 ORDER BY seq`, [id]);
  const label = m.case_id ? (await caseLabels(ctx.db, [m.case_id])).get(m.case_id) : undefined;
  const caseLabel = label ? { number: label.number, title: label.title } : null;
  return { ...view(m), case: caseLabel, steps: rows.map((s) => ({ seq: s.seq, action: s.action, on: s.on_date, by: s.actor_name, text: s.text, documentNumber: s.document_number, pdfSha256: s.pdf_sha256 })) };
}

type Side = 'bureau' | 'agency';
async function act(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, side: Side, action: string, fn: (tx: Queryable, m: MatterRow, today: string, cal: WorkingCalendar) => Promise<{ text: string; doc?: { number: string; sha256: string; pdf: Buffer } }>) {
  const pre = await load(ctx.db, actor, id);
  const ref = { id: pre.agency_id, region_code: pre.region_code };
  if (!(side === 'bureau' ? canSupervise(actor, ref) : canAnswer(actor, ref))) {
    await audit(ctx.db, req, { action: `supervision.matter_${action}`, outcome: 'denied', ...actorAudit(actor), detail: { matterId: id } });
    throw forbidden(side === 'bureau' ? '只有本辖区的执法监督人员可以办理。' : '只有被监督机关的负责人或管理员可以答复。');
  }
  let pdf: { pdf: Buffer; agencyId: string; number: string } | null = null;
  // Loaded before the transaction: a calendar query inside it would wait on PGlite's one connection.
  const cal = await getCalendar(ctx.db);
  await ctx.db.transaction(async (tx) => {
    const m = await load(tx, actor, id, true);
    const today = todayInShanghai();
    const r = await fn(tx, m, today, cal);
    await addStep(tx, m, actor, action, today, r.text, r.doc);
    if (r.doc) pdf = { pdf: r.doc.pdf, agencyId: m.bureau_id, number: r.doc.number };
  });
  // The instrument's PDF into the evidence store, attached to the bureau (read through the matter only).
  if (pdf) {
    const p = pdf as { pdf: Buffer; agencyId: string; number: string };
    await storeEvidence(ctx, actor, { body: Readable.from([p.pdf]), mediaType: 'application/pdf', filename: `${p.number}.pdf`, declaredLength: p.pdf.length }, { attach: { agencyId: p.agencyId, by: actor.id, purpose: 'document' } });
  }
  return getMatter(ctx, actor, id);
}

const need = (m: MatterRow, ...states: string[]) => {
  if (!states.includes(m.status)) throw new AppError('invalid_state', { detail: `监督事项当前状态为「${MATTER_STATUS_LABELS[m.status]}」，不能办理此操作。` });
};

export const explainMatter = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string) =>
  act(ctx, req, actor, id, 'agency', 'explained', async (tx, m) => {
    need(m, 'notified');
    await tx.query(`UPDATE supervision_matters SET status = 'explained', updated_at = now() WHERE id = $1`, [m.id]);
    return { text };
  });

/** 第26–29条: the instrument with its 文号, rendered to PDF; the decision is issued in the government's name. */
export const issueInstrument = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: InstrumentInput) =>
  act(ctx, req, actor, id, 'bureau', 'instrument_issued', async (tx, m, today, cal) => {
    if (input.kind === 'decision') need(m, 'notified', 'explained', 'instrument_issued', 'corrected');
    else need(m, 'notified', 'explained');
    const def = INSTRUMENTS[input.kind];
    let issuer = { id: m.bureau_id, name: m.bureau_name };
    if (input.kind === 'decision') {
      const { rows } = await tx.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE kind = 'government' AND region_code = (SELECT region_code FROM agencies WHERE id = $1) LIMIT 1`, [m.bureau_id]);
      if (!rows[0]) throw new AppError('invalid_state', { detail: '监督决定书以本级人民政府名义作出，本级人民政府尚未登记。' });
      issuer = rows[0];
    }
    const year = Number(today.slice(0, 4));
    const { number } = await nextDocumentNumber(tx, { agencyId: issuer.id, agencyAbbreviation: agencyAbbreviation(issuer.name), kindAbbreviation: `执监${def.kind}`, year });
    const correctionDue = due(cal, today, clocksFor(m.region_code).correction);
    const composed = {
      type: 'supervision_instrument', layout: 'letter', title: def.name, agencyName: issuer.name, headingLines: [issuer.name, def.name], numberLine: { text: number, align: 'center' },
      issuedOn: today,
      blocks: [
        { kind: 'para', text: `${m.agency_name}：` },
        { kind: 'para', indent: true, text: `本机关在${MODE_LABELS[m.mode]}中发现：${input.findings}` },
        { kind: 'para', indent: true, text: `依照${def.basis}，现要求你单位：${input.requirements}` },
        { kind: 'para', indent: true, text: `请于${chineseDate(correctionDue)}前将整改情况书面报告本机关。对本${def.name.slice(6)}有异议的，可以自收到之日起向本机关提出。` },
        { kind: 'seal', agency: issuer.name, date: chineseDate(today) },
      ],
    } as unknown as ComposedDocument; // not a case document type: the renderer only draws the blocks
    const pdf = await renderComposedPdf(composed);
    const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
    await tx.query(`UPDATE supervision_matters SET status = 'instrument_issued', instrument = $2, instrument_number = $3, correction_due = $4, updated_at = now() WHERE id = $1`, [m.id, input.kind, number, correctionDue]);
    return { text: `${def.name}：${input.findings}　要求：${input.requirements}`, doc: { number, sha256, pdf } };
  });

export const reportCorrection = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string) =>
  act(ctx, req, actor, id, 'agency', 'corrected', async (tx, m) => {
    need(m, 'instrument_issued');
    await tx.query(`UPDATE supervision_matters SET status = 'corrected', updated_at = now() WHERE id = $1`, [m.id]);
    return { text };
  });

/** 第30条: the agency objects; the bureau answers within the province's limit. */
export const objectToInstrument = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string) =>
  act(ctx, req, actor, id, 'agency', 'objected', async (tx, m, today, cal) => {
    need(m, 'instrument_issued');
    const objectionDue = due(cal, today, clocksFor(m.region_code).objectionReview);
    await tx.query(`UPDATE supervision_matters SET status = 'objected', objection_due = $2, updated_at = now() WHERE id = $1`, [m.id, objectionDue]);
    return { text };
  });

export const extendObjectionReview = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string) =>
  act(ctx, req, actor, id, 'bureau', 'objection_extended', async (tx, m, _today, cal) => {
    need(m, 'objected');
    if (m.objection_extended) throw new AppError('invalid_state', { detail: '异议复查期限只能延长一次。' });
    const objectionDue = due(cal, m.objection_due!, clocksFor(m.region_code).objectionReview);
    await tx.query(`UPDATE supervision_matters SET objection_due = $2, objection_extended = true, updated_at = now() WHERE id = $1`, [m.id, objectionDue]);
    return { text };
  });

/** Upheld: the instrument is withdrawn and the matter closes; rejected: correction is due again in full. */
export const decideObjection = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, upheld: boolean, text: string) =>
  act(ctx, req, actor, id, 'bureau', upheld ? 'objection_upheld' : 'objection_rejected', async (tx, m, today, cal) => {
    need(m, 'objected');
    if (upheld) {
      await tx.query(`UPDATE supervision_matters SET status = 'closed', closed_on = $2, conclusion = $3, updated_at = now() WHERE id = $1`, [m.id, today, `异议成立，撤回${INSTRUMENTS[m.instrument as keyof typeof INSTRUMENTS].name}：${text}`]);
    } else {
      const correctionDue = due(cal, today, clocksFor(m.region_code).correction);
      await tx.query(`UPDATE supervision_matters SET status = 'instrument_issued', correction_due = $2, updated_at = now() WHERE id = $1`, [m.id, correctionDue]);
    }
    return { text };
  });

export const closeMatter = (ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string) =>
  act(ctx, req, actor, id, 'bureau', 'closed', async (tx, m, today) => {
    need(m, 'notified', 'explained', 'corrected');
    await tx.query(`UPDATE supervision_matters SET status = 'closed', closed_on = $2, conclusion = $3, updated_at = now() WHERE id = $1`, [m.id, today, text]);
    return { text };
  });
