// The draw ceremony (R-D02, docs/DRAW.md): one commitment per task in the ledger before any randomness
// exists, the independent parties' reveals checked against the hashes committed with it, then the draw
// from the commitment's leaf hash and the reveals. There is no delete and no second commitment; a redo
// is a new task that names the old one and why.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { canonicalJson, recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, isUniqueViolation } from '../platform/errors.ts';
import * as registry from '../registry/service.ts';
import { ALGORITHM, CREDIT_CLASSES, canonicalCodes, classQuota, drawSeed, fromHex, merkleRoot, rankOfficers, toHex, type Sha256 } from './draw.ts';
import { keyHex } from './draw-kernel.js';
import { DrawWorkers, rankGroupsFast, selectObjectsFast } from './parallel.ts';
import * as policy from './policy.ts';
import { loadTask, SYSTEM_READER } from './service.ts';
import * as repo from './store.ts';

// crypto.hash (one call, no Hash object) is about twice as fast as createHash for these short inputs.
export const nodeSha256: Sha256 = (d) => crypto.hash('sha256', d, 'buffer');
const sha256Hex = (s: string) => crypto.hash('sha256', s, 'hex');
const actorId = (a: Actor) => (a.kind === 'user' ? a.id : null);
export const conflictDigest = (officerId: string, creditCode: string) => sha256Hex(`${officerId}\u001f${creditCode}`);

async function manageTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, action: string) {
  const t = await loadTask(ctx, actor, taskId);
  if (!policy.canManage(actor, { id: t.agency_id, region_code: t.agency_region })) await policy.refuse(ctx, req, actor, action, '只有本机关负责人或单位管理员可以主持抽取。', taskId);
  return t;
}

/** Candidates per class: the directory filtered by the task's committed predicates, class as of its fixed date, capped objects left out. */
async function candidates(ctx: AppContext, t: repo.TaskRow) {
  const params: unknown[] = [t.joint ? t.departments : [t.agency_id], t.class_as_of, t.year, t.yearly_cap];
  let where = 'o.agency_id = ANY($1::uuid[])';
  if (t.scope.regionPrefix) {
    params.push(t.scope.regionPrefix);
    where += ` AND o.region_code LIKE $${params.length} || '%'`;
  }
  if (t.scope.kinds?.length) {
    params.push(t.scope.kinds);
    where += ` AND o.kind = ANY($${params.length}::text[])`;
  }
  if (t.scope.tagsAny?.length) {
    params.push(t.scope.tagsAny);
    where += ` AND o.tags && $${params.length}::text[]`;
  }
  const { rows } = await ctx.db.query<{ credit_code: string; cls: string | null }>(
    `WITH capped AS (
       SELECT x.credit_code FROM (SELECT DISTINCT ia.task_id, ia.credit_code FROM inspection_assignments ia JOIN inspection_tasks t2 ON t2.id = ia.task_id JOIN inspection_plans p2 ON p2.id = t2.plan_id WHERE p2.year = $3) x
        GROUP BY x.credit_code HAVING count(*) >= $4)
     SELECT o.credit_code, (SELECT c.credit_class FROM inspection_object_classes c WHERE c.object_id = o.id AND c.set_on <= $2::date ORDER BY c.set_on DESC LIMIT 1) AS cls
       FROM inspection_objects o WHERE ${where} AND o.credit_code NOT IN (SELECT credit_code FROM capped)`,
    params,
  );
  const byClass = new Map<string, string[]>(CREDIT_CLASSES.map((c) => [c, []]));
  for (const r of rows) if (r.cls) byClass.get(r.cls)!.push(r.credit_code);
  return CREDIT_CLASSES.map((c) => ({ class: c, creditCodes: canonicalCodes(byClass.get(c)!) }));
}

/** The officer pool per department, with what eligibility needs, as committed. */
async function officerPool(ctx: AppContext, t: repo.TaskRow): Promise<repo.PoolDocument> {
  const departments = t.joint ? t.departments : [t.agency_id];
  const out: repo.PoolDocument = { departments: [], conflicts: [], recent: {} };
  for (const d of departments) {
    const reg = await registry.listOfficers(ctx, SYSTEM_READER, { agencyId: d, status: 'valid', page: 1, pageSize: 10_000 });
    // R-P08: a certificate valid on the inspection date.
    const valid = new Map(reg.items.filter((o) => o.status === 'valid' && (o.validFrom as string) <= t.inspection_date && (o.validTo as string) >= t.inspection_date).map((o) => [o.id as string, o]));
    const { rows } = await ctx.db.query<{ officer_id: string; categories: string[]; areas: string[]; unit: string; available: boolean; workload_cap: number; load: number }>(
      `SELECT i.officer_id, i.categories, i.areas, i.unit, i.available, i.workload_cap,
         (SELECT count(*)::int FROM inspection_assignments ia JOIN inspection_tasks t2 ON t2.id = ia.task_id JOIN inspection_plans p2 ON p2.id = t2.plan_id
           WHERE ia.officer_id = i.officer_id AND ia.replaced_by IS NULL AND p2.year = $2) AS load
         FROM inspectors i WHERE i.agency_id = $1 ORDER BY i.officer_id`,
      [d, t.year],
    );
    const officers = rows.filter((r) => valid.has(r.officer_id)).map((r) => ({
      officerId: r.officer_id, certificateNumber: valid.get(r.officer_id)!.certificateNumber as string, categories: r.categories, areas: r.areas, unit: r.unit,
      available: r.available, workloadCap: r.workload_cap, load: r.load,
    }));
    out.departments.push({ departmentId: d, officers });
  }
  const ids = out.departments.flatMap((d) => d.officers.map((o) => o.officerId));
  const { rows: conflicts } = await ctx.db.query<{ officer_id: string; credit_code: string }>(`SELECT officer_id, credit_code FROM inspector_conflicts WHERE officer_id = ANY($1::uuid[])`, [ids]);
  out.conflicts = conflicts.map((c) => conflictDigest(c.officer_id, c.credit_code)).sort();
  const { rows: recent } = await ctx.db.query<{ officer_id: string; credit_code: string }>(
    `SELECT DISTINCT officer_id, credit_code FROM inspection_assignments WHERE officer_id = ANY($1::uuid[]) AND inspection_date > $2::date - $3::int AND inspection_date <= $2::date`,
    [ids, t.inspection_date, t.rotation_days],
  );
  for (const r of recent) (out.recent[r.officer_id] ??= []).push(r.credit_code);
  for (const k of Object.keys(out.recent)) out.recent[k]!.sort();
  return out;
}

/**
 * Commit (R-D02 B): candidates per class as Merkle roots and counts, quotas, the officer pool, the
 * parties' secret hashes and the algorithm, in the ledger before anything random is known.
 */
export async function commitTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, input: { sources: { source: string; hash: string }[] }) {
  const t = await manageTask(ctx, req, actor, taskId, 'inspections.commit');
  if (t.plan_status !== 'published') throw new AppError('invalid_state', { detail: '抽查计划尚未公布：计划须在抽取前向社会公布。' });
  if (t.status !== 'planned') throw new AppError('duplicate', { detail: '该任务已有抽取承诺，不能再次承诺或重新抽取；如确需重新抽取，请新建任务并写明理由。' });
  const named = new Map(input.sources.map((s) => [s.source, s.hash]));
  if (named.size !== input.sources.length || named.size !== t.parties.length || !t.parties.every((p) => named.has(p))) {
    throw new AppError('validation', { detail: `须由计划中指定的各方（${t.parties.join('、')}）各提交一个秘密值的哈希。`, errors: [{ field: 'sources', message: '与计划指定的随机数提供方不一致' }] });
  }
  const sources = t.parties.map((p) => ({ source: p, hash: named.get(p)! }));
  const lists = await candidates(ctx, t);
  const classes = lists.map((c) => {
    const r = t.ratios[c.class as 'A']!;
    return { class: c.class, count: c.creditCodes.length, quota: classQuota(c.creditCodes.length, r.ratioBp, r.min, r.max, t.rounding), root: toHex(merkleRoot(nodeSha256, c.creditCodes)) };
  });
  const pool = await officerPool(ctx, t);
  // R-D02, 行政处罚法第四十二条: at least two officers per object (per department in a joint task); refuse before committing if a department cannot field a team at all.
  for (const d of pool.departments) {
    const fit = d.officers.filter((o) => o.available && o.categories.includes(t.matter_category));
    if (fit.length < t.team_size) {
      throw new AppError('invalid_state', {
        detail: `部门 ${d.departmentId} 符合条件的执法检查人员只有 ${fit.length} 名（执法证在检查日有效 ${d.officers.length} 名，其中在岗且执法类别涵盖“${t.matter_category}”的 ${fit.length} 名），少于每组 ${t.team_size} 名，不能抽取。`,
      });
    }
  }
  const document: repo.CommitmentDocument = {
    algorithm: ALGORITHM, task: t.id, classes, sources, matterCategory: t.matter_category, inspectionDate: t.inspection_date, teamSize: t.team_size, rotationDays: t.rotation_days,
    pool: sha256Hex(canonicalJson(pool)),
  };
  try {
    await ctx.db.transaction(async (tx) => {
      const { eventId } = await recordChange(tx, {
        kind: 'inspections.draw_committed', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor),
        data: { document, candidates: lists, pool }, publicDigest: sha256Hex(canonicalJson(document)),
      });
      const { rows } = await tx.query<{ commitment: Buffer }>(`SELECT commitment FROM events WHERE id = $1`, [eventId]);
      await tx.query(`INSERT INTO inspection_commitments (task_id, document, candidates, pool, event_id, commitment) VALUES ($1,$2,$3,$4,$5,$6)`,
        [t.id, JSON.stringify(document), JSON.stringify(lists), JSON.stringify(pool), eventId, rows[0]!.commitment]);
      const u = await tx.query(`UPDATE inspection_tasks SET status = 'committed' WHERE id = $1 AND status = 'planned'`, [t.id]);
      if (u.affectedRows === 0) throw new AppError('duplicate', { detail: '该任务已有抽取承诺。' });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('duplicate', { detail: '该任务已有抽取承诺，不能再次承诺。' });
    throw err;
  }
  return { taskId: t.id, document };
}

/** A party reveals its secret: refused unless SHA-256(value) is the hash committed for it. */
export async function reveal(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, input: { source: string; value: string }) {
  const t = await manageTask(ctx, req, actor, taskId, 'inspections.reveal');
  const c = await repo.getCommitment(ctx.db, t.id);
  if (!c) throw new AppError('invalid_state', { detail: '任务尚未承诺，不能揭示秘密值。' });
  const committed = c.document.sources.find((s) => s.source === input.source);
  if (!committed) throw new AppError('validation', { detail: `“${input.source}”不是承诺中的随机数提供方。`, errors: [{ field: 'source', message: '不是承诺中的提供方' }] });
  if (toHex(nodeSha256(fromHex(input.value))) !== committed.hash) {
    throw new AppError('validation', { detail: `揭示值与“${input.source}”承诺的哈希不符，已拒绝。`, errors: [{ field: 'value', message: '与承诺的哈希不符' }] });
  }
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO inspection_reveals (task_id, source, value) VALUES ($1,$2,$3)`, [t.id, input.source, input.value]);
      await recordChange(tx, { kind: 'inspections.secret_revealed', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: { ...input }, publicDigest: sha256Hex(`${input.source}\n${input.value}`) });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('duplicate', { detail: `“${input.source}”已揭示。` });
    throw err;
  }
  return { ok: true };
}

export interface ObjectInfo {
  region: string;
}

/** Eligible officers of one department for one object, lowest key first (R-D02 E). */
export function eligibleRanked(seed: Uint8Array, creditCode: string, obj: ObjectInfo, dept: repo.PoolDocument['departments'][number], pool: repo.PoolDocument, c: repo.CommitmentDocument, load: Map<string, number>, conflicts: Set<string>) {
  const reasons = { unavailable: 0, category: 0, area: 0, conflict: 0, rotation: 0, workload: 0 };
  const eligible = dept.officers.filter((o) => {
    if (!o.available) return reasons.unavailable++, false;
    if (!o.categories.includes(c.matterCategory)) return reasons.category++, false;
    if (!o.areas.some((a) => obj.region.startsWith(a))) return reasons.area++, false;
    if (conflicts.has(conflictDigest(o.officerId, creditCode))) return reasons.conflict++, false;
    if (pool.recent[o.officerId]?.includes(creditCode)) return reasons.rotation++, false;
    if ((load.get(o.officerId) ?? o.load) >= o.workloadCap) return reasons.workload++, false;
    return true;
  });
  const byCert = new Map(eligible.map((o) => [o.certificateNumber, o]));
  // The officer id in the key is the certificate number (执法证号): public, so anyone can re-rank a team.
  const ranked = rankOfficers(nodeSha256, seed, creditCode, eligible.map((o) => o.certificateNumber)).map((r) => ({ officer: byCert.get(r.officerId)!, get key() { return r.key; } }));
  return { ranked, reasons };
}

const REASON_LABELS = { unavailable: '不在岗', category: '执法类别不涵盖', area: '区域不符', conflict: '须回避', rotation: '轮换期内检查过', workload: '达到工作量上限' };

/** Ranked officers kept per object and department beyond the team, for those a per-pair rule then leaves out. */
const SPARE = 6;

/**
 * Teams (R-D02 E, docs/DRAW.md §5), the same as ranking each object's eligible officers with
 * eligibleRanked: an officer's key does not depend on the rules, so the officers who pass the rules that
 * do not depend on the object (available, category) or depend only on its region (area) are ranked once
 * per object in worker threads, keeping the team size plus SPARE lowest; then, in selection order (the
 * workload counts the teams already drawn), the first of them that pass the per-pair rules (conflict,
 * rotation, workload) form the team. When the kept ones do not suffice, that object is ranked in full
 * with eligibleRanked, which also gives the reasons if the team cannot be formed.
 */
export async function assignTeams(seed: Uint8Array, selected: { creditCode: string }[], objects: Map<string, ObjectInfo>, pool: repo.PoolDocument, c: repo.CommitmentDocument, workers: DrawWorkers) {
  const load = new Map<string, number>();
  const conflicts = new Set(pool.conflicts);
  const officers = pool.departments.flatMap((d) => d.officers);
  const officerIds = officers.map((o) => o.certificateNumber);
  let base = 0;
  const fit = pool.departments.map((d) => {
    const at = base;
    base += d.officers.length;
    return d.officers.map((o, i) => ({ o, i: at + i })).filter(({ o }) => o.available && o.categories.includes(c.matterCategory));
  });
  const groups: Int32Array[] = [];
  const groupIds = new Map<string, number>();
  const groupOf = new Int32Array(selected.length * pool.departments.length);
  selected.forEach((s, i) => {
    const region = objects.get(s.creditCode)!.region;
    pool.departments.forEach((_, d) => {
      const key = `${d}\u001f${region}`;
      let g = groupIds.get(key);
      if (g === undefined) {
        groupIds.set(key, (g = groups.length));
        groups.push(Int32Array.from(fit[d]!.filter(({ o }) => o.areas.some((a) => region.startsWith(a))).map(({ i: ix }) => ix)));
      }
      groupOf[i * pool.departments.length + d] = g;
    });
  });
  const k = c.teamSize + SPARE;
  const codes = selected.flatMap((s) => pool.departments.map(() => s.creditCode));
  const ranked = await rankGroupsFast(workers, seed, officerIds, groups, codes, groupOf, k);
  return selected.map((s, i) => ({
    creditCode: s.creditCode,
    departments: pool.departments.map((d, dIx) => {
      const item = i * pool.departments.length + dIx;
      let team: { officer: repo.PoolOfficer; key: string }[] = [];
      for (let j = 0; j < k && team.length < c.teamSize; j++) {
        const o = ranked.idx[item * k + j]!;
        if (o < 0) break;
        const officer = officers[o]!;
        if (conflicts.has(conflictDigest(officer.officerId, s.creditCode)) || pool.recent[officer.officerId]?.includes(s.creditCode) || (load.get(officer.officerId) ?? officer.load) >= officer.workloadCap) continue;
        team.push({ officer, key: keyHex(ranked.keys, (item * k + j) * 8) });
      }
      if (team.length < c.teamSize) {
        const full = eligibleRanked(seed, s.creditCode, objects.get(s.creditCode)!, d, pool, c, load, conflicts);
        if (full.ranked.length < c.teamSize) {
          const why = Object.entries(full.reasons).filter(([, n]) => n > 0).map(([r, n]) => `${REASON_LABELS[r as keyof typeof REASON_LABELS]} ${n} 名`).join('，');
          throw new AppError('invalid_state', { detail: `检查对象 ${s.creditCode} 在部门 ${d.departmentId} 只有 ${full.ranked.length} 名符合条件的执法检查人员（${why || '无人员'}），少于 ${c.teamSize} 名，不能组成检查组。` });
        }
        team = full.ranked.slice(0, c.teamSize).map((m) => ({ officer: m.officer, key: m.key }));
      }
      for (const m of team) load.set(m.officer.officerId, (load.get(m.officer.officerId) ?? m.officer.load) + 1);
      return { departmentId: d.departmentId, officers: team.map((m) => ({ officerId: m.officer.officerId, certificateNumber: m.officer.certificateNumber, key: m.key })) };
    }),
  }));
}

/**
 * Selection and teams from the committed data (R-D02 C–E), in worker threads when the draw is large;
 * the pure part of runDraw, which the bench measures.
 */
export async function computeDraw(seed: Uint8Array, c: { document: repo.CommitmentDocument; candidates: { class: string; creditCodes: string[] }[]; pool: repo.PoolDocument }, regionsOf: (codes: string[]) => Promise<Map<string, ObjectInfo>>, opts: { threads?: number; minHashes?: number } = {}) {
  const quotas = new Map(c.document.classes.map((k) => [k.class, k.quota]));
  const candidates = c.candidates.reduce((n, k) => n + k.creditCodes.length, 0);
  const teamWork = c.document.classes.reduce((n, k) => n + k.quota, 0) * c.pool.departments.reduce((n, d) => n + d.officers.length, 0);
  // The officer work is bounded by selected objects × pool size; the area rule usually cuts it far below.
  const workers = DrawWorkers.forWork(candidates + teamWork, opts);
  try {
    const selected = await selectObjectsFast(workers, seed, c.candidates.map((k) => ({ cls: k.class, quota: quotas.get(k.class) ?? 0, creditCodes: k.creditCodes })));
    const objects = await regionsOf(selected.map((s) => s.creditCode));
    const teams = await assignTeams(seed, selected, objects, c.pool, c.document, workers);
    return { selected, teams };
  } finally {
    await workers.close();
  }
}

/** The draw (R-D02 C–F): seed from the commitment's leaf and the reveals, objects per class, teams, all into the ledger. */
export async function runDraw(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string) {
  const t = await manageTask(ctx, req, actor, taskId, 'inspections.draw');
  if (t.status === 'drawn') throw new AppError('duplicate', { detail: '该任务已经抽取，结果不能重抽。' });
  const c = await repo.getCommitment(ctx.db, t.id);
  if (!c) throw new AppError('invalid_state', { detail: '任务尚未承诺。' });
  const reveals = new Map((await repo.getReveals(ctx.db, t.id)).map((r) => [r.source, r.value]));
  const missing = c.document.sources.filter((s) => !reveals.has(s.source)).map((s) => s.source);
  if (missing.length) throw new AppError('invalid_state', { detail: `尚待揭示秘密值：${missing.join('、')}。` });
  const leaf = await repo.ledgerEntryOf(ctx.db, c.commitment);
  if (!leaf) throw new AppError('invalid_state', { detail: '抽取承诺尚未写入存证日志，请稍候再抽取。' });
  const leafHash = Buffer.from(leaf.leaf_hash);
  const seed = drawSeed(nodeSha256, leafHash, c.document.sources.map((s) => fromHex(reveals.get(s.source)!)));
  const { selected, teams } = await computeDraw(seed, c, async (codes) => {
    const { rows } = await ctx.db.query<{ credit_code: string; region_code: string }>(`SELECT credit_code, region_code FROM inspection_objects WHERE credit_code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((o) => [o.credit_code, { region: o.region_code }]));
  });
  const result = { id: t.id, algorithm: ALGORITHM, leafHash: toHex(leafHash), ledgerIndex: leaf.idx, seed: toHex(seed), selected, teams: teams.map((x) => ({ creditCode: x.creditCode, officers: x.departments.flatMap((d) => d.officers.map((o) => ({ certificateNumber: o.certificateNumber }))) })) };
  await ctx.db.transaction(async (tx) => {
    const u = await tx.query(`UPDATE inspection_tasks SET status = 'drawn' WHERE id = $1 AND status = 'committed'`, [t.id]);
    if (u.affectedRows === 0) throw new AppError('duplicate', { detail: '该任务已经抽取。' });
    await tx.query(`INSERT INTO inspection_draws (task_id, leaf_hash, ledger_index, seed, selected, teams) VALUES ($1,$2,$3,$4,$5,$6)`,
      [t.id, toHex(leafHash), leaf.idx, toHex(seed), JSON.stringify(selected), JSON.stringify(teams)]);
    const rows = teams.flatMap((x) => x.departments.flatMap((d) => d.officers.map((o, i) => [x.creditCode, o.officerId, d.departmentId, i])));
    if (rows.length) {
      await tx.query(`INSERT INTO inspection_assignments (task_id, credit_code, officer_id, department_id, rank, inspection_date)
        SELECT $1, credit_code, officer_id, department_id, rank, $6 FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::int[]) AS x(credit_code, officer_id, department_id, rank)`,
        [t.id, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), t.inspection_date]);
    }
    await tx.query(`INSERT INTO inspection_results (task_id, credit_code) SELECT $1, unnest($2::text[])`, [t.id, selected.map((s) => s.creditCode)]);
    await recordChange(tx, { kind: 'inspections.drawn', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: { ...result, teams }, publicDigest: sha256Hex(canonicalJson(result)) });
  });
  return result;
}

/**
 * A later replacement (a declared 回避, leave): the next eligible officer by key takes the place, and the
 * replacement is logged with its reason (R-D02 E). The draw itself never changes.
 */
export async function replaceOfficer(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, input: { creditCode: string; officerId: string; reason: string }) {
  const t = await manageTask(ctx, req, actor, taskId, 'inspections.replace');
  const c = await repo.getCommitment(ctx.db, t.id);
  const d = await repo.getDraw(ctx.db, t.id);
  if (!c || !d) throw new AppError('invalid_state', { detail: '任务尚未抽取。' });
  const { rows: team } = await ctx.db.query<{ officer_id: string; department_id: string; replaced_by: string | null }>(
    `SELECT officer_id, department_id, replaced_by FROM inspection_assignments WHERE task_id = $1 AND credit_code = $2`, [t.id, input.creditCode]);
  const leaving = team.find((m) => m.officer_id === input.officerId && !m.replaced_by);
  if (!leaving) throw new AppError('validation', { detail: '该执法人员不在此检查对象的检查组中。', errors: [{ field: 'officerId', message: '不在检查组中' }] });
  const dept = c.pool.departments.find((x) => x.departmentId === leaving.department_id)!;
  const region = (await ctx.db.query<{ region_code: string }>(`SELECT region_code FROM inspection_objects WHERE credit_code = $1`, [input.creditCode])).rows[0]!.region_code;
  const conflicts = new Set(c.pool.conflicts);
  // A replacement for a declared conflict must not pick anyone else who has declared one since.
  const { rows: declared } = await ctx.db.query<{ officer_id: string }>(`SELECT officer_id FROM inspector_conflicts WHERE credit_code = $1`, [input.creditCode]);
  for (const x of declared) conflicts.add(conflictDigest(x.officer_id, input.creditCode));
  const { ranked } = eligibleRanked(fromHex(d.seed), input.creditCode, { region }, dept, c.pool, c.document, new Map(), conflicts);
  const taken = new Set(team.map((m) => m.officer_id));
  const next = ranked.find((r) => !taken.has(r.officer.officerId));
  if (!next) throw new AppError('invalid_state', { detail: '没有符合条件的替补执法检查人员。' });
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE inspection_assignments SET replaced_by = $4, replace_reason = $5 WHERE task_id = $1 AND credit_code = $2 AND officer_id = $3`, [t.id, input.creditCode, input.officerId, next.officer.officerId, input.reason]);
    const rank = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_assignments WHERE task_id = $1 AND credit_code = $2 AND department_id = $3`, [t.id, input.creditCode, leaving.department_id])).rows[0]!.n;
    await tx.query(`INSERT INTO inspection_assignments (task_id, credit_code, officer_id, department_id, rank, inspection_date) VALUES ($1,$2,$3,$4,$5,$6)`, [t.id, input.creditCode, next.officer.officerId, leaving.department_id, rank, t.inspection_date]);
    await recordChange(tx, { kind: 'inspections.officer_replaced', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: { ...input, replacement: next.officer.officerId, key: next.key } });
  });
  return { replacement: { officerId: next.officer.officerId, certificateNumber: next.officer.certificateNumber, key: next.key } };
}
