// Demo cases: for the city market regulator (which has an officer, a head and a reviewer among the
// demo users) one case stopped at every main step of every procedure, walked through the real use
// cases (documents with 文号 and PDFs, AV records, approvals, reviews, archive); for the other
// enforcement agencies a few cases at their first steps. Call after loadDemo: `loadCaseDemo(ctx, ids)`.
// `generateCases` (generate.ts) makes cases at scale for benchmarks.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor, Role } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { addDays, getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { storeEvidence } from '../blobs/service.ts';
import { giveOpinion, submitReview } from '../review/submissions.ts';
import { grantApproval } from './approvals.ts';
import { archiveCase } from './case-file.ts';
import { createCase } from './create-case.ts';
import { demoDocumentFields, type DemoCaseInfo } from './demo-content.ts';
import { definitionOf } from './definitions.ts';
import { performStep } from './perform-step.ts';
import { clockStatus, evaluate, listDefinitions, type ProcedureDefinition, type Refusal } from './procedures/index.ts';
import { addRecord } from './records.ts';
import { REVIEW_POINTS, type ReviewPoint } from './schema.ts';
import * as casesRepo from './store.ts';

export { generateCases } from './generate.ts';

import { ADVISER_PATH, PATHS, type Action, type Path, type Who } from './demo-paths.ts';

const PARTIES: DemoCaseInfo['party'][] = [
  { name: '演示某某食品贸易有限公司', type: 'organisation', idType: 'credit_code', idNumber: '91330106MA2H3K7Q4Q', address: '演示市西湖区文三路 100 号' },
  { name: '李某某', type: 'citizen', idType: 'id_card', idNumber: '330106198503122314', address: '演示市西湖区古荡街道某某小区 5 幢' },
];

/** A citizen where the path says so (简易程序的公民罚款限额), otherwise alternating. */
function partyFor(path: Path, n: number): DemoCaseInfo['party'] {
  const t = path.actions[0]!.facts?.partyType;
  if (t === 'citizen') return PARTIES[1]!;
  if (t === 'legal_person') return PARTIES[0]!;
  return PARTIES[n % PARTIES.length]!;
}

interface Crew {
  agencyId: string;
  actors: Record<Who, Actor>;
  officers: { id: string; name: string; certificateNumber: string }[];
  matter: { category: string; area: string };
}

/** Where the first action of a path falls: paths end no later than about a week ago. */
function startDate(today: string, path: Path): string {
  const last = Math.max(...path.actions.map((a) => a.day));
  return addDays(today, -(last + 10));
}

const checklist = (ok: boolean) => Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: ok || p !== 'evidence_sufficient', note: ok ? '' : '证据链不完整' }])) as Record<ReviewPoint, { ok: boolean; note: string }>;

const videoBytes = (label: string) => Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), crypto.createHash('sha256').update(label).digest(), Buffer.from(`演示录像：${label}`, 'utf8')]);

async function attachVideo(ctx: AppContext, crew: Crew, caseId: string, step: string, on: string) {
  const bytes = videoBytes(`${caseId}:${step}:${on}`);
  const stored = await storeEvidence(ctx, crew.actors.officer, { body: Readable.from([bytes]), mediaType: 'video/mp4', filename: `${step}-${on}.mp4`, declaredLength: bytes.length });
  await addRecord(ctx, null, crew.actors.officer, caseId, {
    kind: 'video', step, title: '执法记录仪录像', description: '执法人员出示证件、告知权利及执法过程全程录像，画面连续（演示数据）。', blobSha256: stored.sha256,
    deviceId: 'DSJ-演示-001', startedAt: `${on}T09:00:00+08:00`, endedAt: `${on}T09:45:00+08:00`, place: '当事人经营场所（演示）',
    officerIds: crew.officers.slice(0, 2).map((o) => o.id), custodian: '证据保管员（演示）',
  });
}

/** Runs one action; a refusal for a period still running (too_early) moves the date past it once. */
async function act(ctx: AppContext, crew: Crew, def: ProcedureDefinition, c: { id: string; number: string; title: string }, info: DemoCaseInfo, a: Action, on: string): Promise<string> {
  const today = todayInShanghai();
  for (let attempt = 0; attempt < 4; attempt++) {
    if (on > today) throw new AppError('invalid_state', { detail: '演示路径超过今天' });
    try {
      await runAction(ctx, crew, def, c, info, a, on);
      return on;
    } catch (err) {
      const refusals = (err instanceof AppError ? (err.extra?.refusals as Refusal[] | undefined) : undefined) ?? [];
      const early = refusals.filter((r) => r.code === 'too_early' && r.clock);
      if (!early.length || early.length !== refusals.length) throw err;
      const row = (await casesRepo.getCase(ctx.db, c.id))!;
      const clocks = clockStatus(def, row.state, on, await getCalendar(ctx.db));
      const step = def.steps.find((s) => s.key === a.step)!;
      let next = on;
      for (const r of early) {
        const dl = clocks.find((x) => x.key === r.clock)?.deadline ?? on;
        const same = step.notBefore.find((n) => n.clock === r.clock)?.sameDay ?? false;
        const d = same ? dl : addDays(dl, 1);
        if (d > next) next = d;
      }
      on = next;
    }
  }
  throw new AppError('internal', { detail: `演示环节「${a.step}」无法办理` });
}

async function runAction(ctx: AppContext, crew: Crew, def: ProcedureDefinition, c: { id: string; number: string; title: string }, info: DemoCaseInfo, a: Action, on: string) {
  const { officer, head, reviewer } = crew.actors;
  const stepDef = def.steps.find((s) => s.key === a.step)!;
  if (a.approve) await grantApproval(ctx, null, head, c.id, { purpose: 'step', step: a.step, on, opinion: '同意。' });
  if (a.av) await attachVideo(ctx, crew, c.id, a.step, on);
  if (a.step === 'archive') {
    await archiveCase(ctx, null, officer, c.id, { on });
    return;
  }
  if (a.step === 'legal_review') {
    const adviser = a.adviser
      ? (await ctx.db.query<{ id: string }>(`SELECT id FROM reviewers WHERE shared AND active AND user_id IS NOT NULL AND agency_id <> $1 ORDER BY name LIMIT 1`, [crew.agencyId])).rows[0]?.id
      : undefined;
    // R-L07: a resubmission answers each problem of the last round.
    const last = (await casesRepo.listReviews(ctx.db, c.id)).at(-1);
    const sub = await submitReview(ctx, null, officer, c.id, {
      ...(adviser ? { reviewerId: adviser } : {}),
      answers: last?.opinion_result === 'problems' ? (last.problems ?? []).map((_, i) => ({ problem: i, answer: '已补充调查取证，完善证据链（演示数据）。' })) : [],
      on, summary: `${c.title}：案件事实、证据及拟处理意见（演示数据）。`, proposedDecision: '依法作出处理决定（演示数据）', declaration: true,
      materials: [
        ...(['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'] as const).map((kind) => ({ kind, note: '见案卷（演示数据）', documentIds: [] as string[], recordIds: [] as string[] })),
        ...(await hearingMaterial(ctx, c.id)),
      ],
    });
    if (a.review === 'pending') return;
    await giveOpinion(ctx, null, reviewer, c.id, sub.id, {
      on, result: a.review ?? 'passed', checklist: checklist(a.review !== 'problems'),
      opinion: a.review === 'problems' ? '证据不足，退回补正。' : '主体合法、程序合法、事实清楚、证据充分、适用法律正确，同意。', problems: a.review === 'problems' ? ['证据链不完整'] : [],
    });
    return;
  }
  const row = (await casesRepo.getCase(ctx.db, c.id))!;
  const facts = { ...Object.fromEntries(def.facts.filter((f) => f.default !== undefined).map((f) => [f.key, f.default!])), ...row.state.facts, ...(a.facts ?? {}), ...stepDef.assigns };
  const types = stepDef.produces.filter((p) => !p.when || evaluate(p.when, facts) === true).map((p) => p.document);
  const officerIds = crew.officers.slice(0, a.presider ? 3 : 2).map((o) => o.id);
  await performStep(ctx, null, a.by === 'head' ? head : officer, c.id, {
    step: a.step, on, officerIds, facts: a.facts ?? {}, documentIds: [],
    documents: types.map((type) => ({ type, fields: demoDocumentFields(type, on, { ...info, facts }, def.documents) })),
    ...(a.presider ? { presidedBy: crew.officers[2]!.id } : {}),
    ...(stepDef.clocks.pause.some((p) => !p.reason) ? { pauseReason: def.clocks.find((k) => k.key === stepDef.clocks.pause[0]!.clock)?.pause?.reasons[0] } : {}),
  });
}

async function hearingMaterial(ctx: AppContext, caseId: string) {
  const docs = await casesRepo.listDocuments(ctx.db, caseId);
  const hr = docs.find((d) => d.type === 'hearing_record' && d.status === 'final');
  return hr ? [{ kind: 'hearing_record' as const, note: '听证笔录', documentIds: [hr.id], recordIds: [] as string[] }] : [];
}

/** Walks `path` until `stop` actions are done (all of them when undefined). */
async function walk(ctx: AppContext, crew: Crew, path: Path, stop: number, party: DemoCaseInfo['party']): Promise<string> {
  const { id, number } = await createCase(ctx, null, crew.actors.officer, {
    procedureId: path.procedure, agencyId: crew.agencyId, title: path.title, matter: crew.matter,
    party: { ...party }, profile: { penaltyKinds: [], flags: [], ...(path.profile ?? {}) }, facts: {},
  });
  const row = (await casesRepo.getCase(ctx.db, id))!;
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const info: DemoCaseInfo = { number, title: path.title, party, officers: crew.officers.map((o) => ({ name: o.name, certificateNumber: o.certificateNumber })) };
  let on = startDate(todayInShanghai(), path);
  const start = on;
  for (const a of path.actions.slice(0, stop)) {
    const planned = addDays(start, a.day);
    on = await act(ctx, crew, def, { id, number, title: path.title }, info, a, planned > on ? planned : on);
  }
  return id;
}

async function crewOf(ctx: AppContext, agencyId: string, users: Map<Role, Actor>): Promise<Crew | null> {
  const system: Actor = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'system', role: 'system_admin', agencyId: '', jurisdiction: null, scopes: [] };
  const list = await registry.listOfficers(ctx, system, { agencyId, status: 'valid', page: 1, pageSize: 50 });
  const today = todayInShanghai();
  const officers = list.items.filter((o) => o.validFrom <= addDays(today, -120) && o.validTo > addDays(today, 60)).slice(0, 3);
  const officer = users.get('officer');
  if (officers.length < 3 || !officer) return null;
  const stand = (role: Role, name: string): Actor => users.get(role) ?? { ...officer, id: crypto.createHash('sha256').update(`${agencyId}:${role}`).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5'), name, role };
  return {
    agencyId,
    actors: { officer, head: stand('agency_head', '演示负责人'), reviewer: stand('reviewer', '演示法制审核员') },
    officers: officers.map((o) => ({ id: o.id, name: o.name, certificateNumber: o.certificateNumber })),
    matter: { category: officers[0]!.category, area: officers[0]!.area },
  };
}

async function usersOf(ctx: AppContext, agencyId: string): Promise<Map<Role, Actor>> {
  const { rows } = await ctx.db.query<{ id: string; display_name: string; role: Role }>(`SELECT id, display_name, role FROM users WHERE agency_id = $1 AND NOT disabled ORDER BY username`, [agencyId]);
  const out = new Map<Role, Actor>();
  for (const r of rows) if (!out.has(r.role)) out.set(r.role, { kind: 'user', id: r.id, name: r.display_name, role: r.role, agencyId, jurisdiction: null, scopes: [] });
  return out;
}

export interface CaseDemoResult {
  cases: number;
  byProcedure: Record<string, number>;
  stoppedAt: Record<string, string[]>;
}

/**
 * The demo cases. `ids` is the Map from agency key to id that loadDemo returns. For the city market
 * regulator: a case stopped after every main step of every scripted path that first reaches that step,
 * so every step of every procedure has a case standing on it; for other enforcement agencies, a couple.
 */
export async function loadCaseDemo(ctx: AppContext, ids: Map<string, string>): Promise<CaseDemoResult> {
  const result: CaseDemoResult = { cases: 0, byProcedure: {}, stoppedAt: {} };
  const main = ids.get('city_scjg');
  if (main) {
    const users = await usersOf(ctx, main);
    const crew = await crewOf(ctx, main, users);
    if (crew) {
      const defs = new Map(listDefinitions().map((d) => [d.id, d]));
      const covered = new Set<string>();
      let n = 0;
      for (const path of PATHS) {
        const def = defs.get(path.procedure)!;
        for (let k = 1; k <= path.actions.length; k++) {
          const a = path.actions[k - 1]!;
          const s = def.steps.find((x) => x.key === a.step)!;
          const key = `${path.procedure}:${a.step}`;
          if (s.kind !== 'main' || covered.has(key)) continue;
          covered.add(key);
          await walk(ctx, crew, path, k, partyFor(path, n++));
          result.cases++;
          result.byProcedure[path.procedure] = (result.byProcedure[path.procedure] ?? 0) + 1;
          (result.stoppedAt[path.procedure] ??= []).push(a.step);
        }
      }
      await walk(ctx, crew, ADVISER_PATH, ADVISER_PATH.actions.length, partyFor(ADVISER_PATH, n++));
      result.cases++;
      result.byProcedure[ADVISER_PATH.procedure] = (result.byProcedure[ADVISER_PATH.procedure] ?? 0) + 1;
    }
  }
  // The other enforcement agencies: a case just registered and one inspection under way.
  for (const [key, agencyId] of ids) {
    if (key === 'city_scjg') continue;
    const { rows } = await ctx.db.query<{ kind: string }>(`SELECT kind FROM agencies WHERE id = $1`, [agencyId]);
    if (rows[0]?.kind !== 'enforcement') continue;
    const users = await usersOf(ctx, agencyId);
    if (!users.has('officer')) {
      const stand: Actor = { kind: 'user', id: crypto.createHash('sha256').update(`${agencyId}:officer`).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5'), name: '演示执法人员', role: 'officer', agencyId, jurisdiction: null, scopes: [] };
      users.set('officer', stand);
    }
    const crew = await crewOf(ctx, agencyId, users);
    if (!crew) continue;
    const picks: [Path, number][] = [[PATHS.find((p) => p.procedure === 'penalty-general')!, 1], [PATHS.find((p) => p.procedure === 'inspection')!, 2]];
    for (const [path, stop] of picks) {
      await walk(ctx, crew, { ...path, title: path.title.replace(/（.*$/, '') }, stop, partyFor(path, result.cases));
      result.cases++;
      result.byProcedure[path.procedure] = (result.byProcedure[path.procedure] ?? 0) + 1;
    }
  }
  return result;
}
