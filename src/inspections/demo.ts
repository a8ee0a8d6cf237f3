// Demo data of 双随机一公开: a matter list, thousands of generated objects with credit classes, the
// inspector directory over the registry's officers, a year's plans for several agencies and one joint
// plan, tasks drawn with their reveals and inspected (several result codes, one finding transferred to a
// penalty case) and one task committed but not yet drawn. Everything goes through the services.
import crypto from 'node:crypto';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { createRng, fakeEnterprise } from '../registry/fake.ts';
import { startSequencer } from '../ledger/sequencer.ts';
import * as ceremony from './ceremony.ts';
import * as results from './results.ts';
import { ConflictInput, ObjectInput, ResultInput, TaskInput } from './schema.ts';
import * as svc from './service.ts';

export const DEMO_PARTIES = ['市纪委监委驻局纪检监察组', '演示市公证处'];
const REGIONS = ['330102', '330105', '330106', '330108', '330109', '330110', '330122', '330127'];
const TAGS = ['食品经营', '餐饮服务', '特种设备', '广告', '产品质量', '网络交易', '排污许可', '危险废物'];

/** A party's demo secret: in real use each party generates its own and hands over only the hash first. */
export const demoSecret = (taskId: string, party: string) => crypto.createHash('sha256').update(`sanxiang 演示秘密 ${taskId} ${party}`).digest('hex');
export const secretHash = (hex: string) => crypto.createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

const standIn = (agencyId: string, role: Actor['role'], id: string = crypto.randomUUID()): Actor => ({ kind: 'user', id, name: '演示', role, agencyId, jurisdiction: null, scopes: [] });

const ratios = (a: number, b: number, c: number, d: number, min = 1): TaskInput['ratios'] => ({
  A: { ratioBp: a, min, max: null }, B: { ratioBp: b, min, max: null }, C: { ratioBp: c, min, max: null }, D: { ratioBp: d, min, max: null },
});

export interface InspectionDemoOptions {
  /** Generated objects (the city market regulator gets most). */
  objects?: number;
  /** Open cases and record results for the first drawn task (slower: each is a real case). */
  inspect?: boolean;
}

export async function loadInspectionDemo(ctx: AppContext, ids: Map<string, string>, opts: InspectionDemoOptions = {}) {
  const total = opts.objects ?? 3000;
  const userId = async (username: string) => (await ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username])).rows[0]?.id;
  const scjg = ids.get('city_scjg')!;
  const sthj = ids.get('city_sthj')!;
  const xs = ids.get('xs_scjg')!;
  const heads = new Map<string, Actor>([
    [scjg, standIn(scjg, 'agency_head', await userId('scjg_head'))],
    [sthj, standIn(sthj, 'agency_head')],
    [xs, standIn(xs, 'agency_head')],
  ]);
  const head = (a: string) => heads.get(a)!;
  const officer = standIn(scjg, 'officer', await userId('scjg_officer'));

  // R-P05: the matter list.
  const matter = async (agencyId: string, code: string, name: string, category: string, legalBasis: string, kind: 'general' | 'key' = 'general') =>
    (await svc.createMatter(ctx, null, head(agencyId), { agencyId, code, name, category, legalBasis, objectType: '企业', method: '现场检查', kind })).id;
  const mPublicity = await matter(scjg, 'SJ-2026-01', '企业公示信息抽查', '市场监管', '《企业信息公示暂行条例》第十四条');
  const mFood = await matter(scjg, 'SJ-2026-02', '食品经营者监督检查', '市场监管', '《食品生产经营监督检查管理办法》第五条、第二十一条', 'key');
  const mEnv = await matter(sthj, 'HJ-2026-01', '排污单位执法检查', '生态环境', '《排污许可管理条例》第二十九条');
  const mXs = await matter(xs, 'SJ-XS-2026-01', '广告发布行为检查', '市场监管', '《中华人民共和国广告法》第四十九条');

  // R-D01: the object directory, generated.
  const rng = createRng('sanxiang-inspections');
  const pickClass = () => {
    const x = rng.next();
    return x < 0.55 ? 'A' : x < 0.85 ? 'B' : x < 0.97 ? 'C' : 'D';
  };
  const objects: ObjectInput[] = [];
  for (let i = 0; i < total; i++) {
    const agencyId = i % 10 < 7 ? scjg : i % 10 < 9 ? sthj : xs;
    const region = agencyId === xs ? '330109' : REGIONS[i % REGIONS.length]!;
    const e = fakeEnterprise(rng, region, 50_000 + i);
    const tags = [TAGS[agencyId === sthj ? 6 + (i % 2) : i % 6]!];
    objects.push(ObjectInput.parse({ creditCode: e.creditCode, name: e.name, regionCode: region, agencyId, tags, creditClass: pickClass(), classSetOn: '2026-01-15' }));
  }
  await ctx.db.transaction((tx) => svc.insertObjects(tx, head(scjg), objects));

  // R-D01: the inspector directory over the registry's valid officers.
  for (const agencyId of [scjg, sthj, xs]) {
    const category = agencyId === sthj ? '生态环境' : '市场监管';
    const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_to >= '2026-12-31' ORDER BY certificate_number LIMIT 40`, [agencyId]);
    for (const [i, o] of rows.entries()) {
      await svc.upsertInspector(ctx, null, head(agencyId), { officerId: o.id, categories: [category], areas: ['3301'], unit: `第${(i % 4) + 1}检查组`, available: i % 13 !== 5, workloadCap: 40 });
    }
    // Declared conflicts (回避): a relative works at the first object of the agency.
    const first = objects.find((x) => x.agencyId === agencyId)!;
    if (rows[0]) await svc.declareConflict(ctx, null, head(agencyId), rows[0].id, ConflictInput.parse({ creditCode: first.creditCode, reason: 'relative', note: '配偶在该企业任职', declaredOn: '2026-02-10' }));
  }

  // Plans: one per agency and one joint plan (部门联合双随机), published before any draw.
  const plan = async (agencyId: string, title: string, departments: string[] = []) =>
    (await svc.createPlan(ctx, null, head(agencyId), { agencyId, year: 2026, title, departments, parties: DEMO_PARTIES })).id;
  const task = async (planId: string, agencyId: string, input: Partial<TaskInput> & Pick<TaskInput, 'matterId' | 'title' | 'ratios' | 'inspectionDate'>) =>
    (await svc.createTask(ctx, null, head(agencyId), planId, TaskInput.parse({ classAsOf: '2026-06-30', rounding: 'ceil', ...input }))).id;

  const pScjg = await plan(scjg, '演示市市场监督管理局 2026 年度双随机抽查工作计划');
  const tPublicity = await task(pScjg, scjg, { matterId: mPublicity, title: '2026 年第一批企业公示信息抽查（西湖区）', scope: { regionPrefix: '330106' }, ratios: ratios(100, 200, 500, 2000), inspectionDate: '2026-09-15' });
  const tFood = await task(pScjg, scjg, { matterId: mFood, title: '2026 年第二批食品经营者监督检查', batch: 2, scope: { tagsAny: ['食品经营', '餐饮服务'] }, ratios: ratios(300, 500, 1500, 5000), inspectionDate: '2026-12-10' });
  await svc.publishPlan(ctx, null, head(scjg), pScjg);
  const pSthj = await plan(sthj, '演示市生态环境局 2026 年度双随机抽查工作计划');
  const tEnv = await task(pSthj, sthj, { matterId: mEnv, title: '2026 年排污单位执法检查', ratios: ratios(200, 500, 1500, 5000), inspectionDate: '2026-10-20' });
  await svc.publishPlan(ctx, null, head(sthj), pSthj);
  const pXs = await plan(xs, '演示市萧山区市场监督管理局 2026 年度双随机抽查工作计划');
  const tXs = await task(pXs, xs, { matterId: mXs, title: '2026 年广告发布行为检查', ratios: ratios(300, 500, 1000, 3000), inspectionDate: '2026-11-05' });
  await svc.publishPlan(ctx, null, head(xs), pXs);
  const pJoint = await plan(scjg, '2026 年餐饮业“一业一查”部门联合抽查计划', [sthj]);
  const tJoint = await task(pJoint, scjg, { matterId: mFood, title: '餐饮业“一业一查”联合抽查', scope: { tagsAny: ['餐饮服务'], regionPrefix: '33010' }, ratios: ratios(50, 100, 300, 1000), inspectionDate: '2026-11-12' });
  // The joint team's officers must cover the food matter in both departments.
  const { rows: envInspectors } = await ctx.db.query<{ officer_id: string }>(`SELECT officer_id FROM inspectors WHERE agency_id = $1`, [sthj]);
  for (const r of envInspectors) await ctx.db.query(`UPDATE inspectors SET categories = categories || '{市场监管}'::text[] WHERE officer_id = $1`, [r.officer_id]);
  await svc.publishPlan(ctx, null, head(scjg), pJoint);

  const commit = (taskId: string, agencyId: string) =>
    ceremony.commitTask(ctx, null, head(agencyId), taskId, { sources: DEMO_PARTIES.map((p) => ({ source: p, hash: secretHash(demoSecret(taskId, p)) })) });
  const drawn = [[tPublicity, scjg], [tEnv, sthj], [tXs, xs], [tJoint, scjg]] as const;
  for (const [t, a] of drawn) await commit(t, a);
  await commit(tFood, scjg);
  // The draw's seed includes the commitment's ledger leaf: wait until the log has integrated it.
  const seq = startSequencer(ctx, { intervalMs: 20 });
  await seq.flush(120_000);
  await seq.stop();
  for (const [t, a] of drawn) {
    for (const p of DEMO_PARTIES) await ceremony.reveal(ctx, null, head(a), t, { source: p, value: demoSecret(t, p) });
    await ceremony.runDraw(ctx, null, head(a), t);
  }

  if (opts.inspect !== false) {
    // The first task inspected: each object a case, results of several codes, one finding transferred.
    await results.openInspectionCases(ctx, null, officer, tPublicity);
    const { rows } = await ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM inspection_results WHERE task_id = $1 ORDER BY credit_code`, [tPublicity]);
    const plans: Omit<ResultInput, 'creditCode'>[] = [
      { resultCodes: ['1'], inspectedOn: '2026-09-16', followUp: 'none', note: '' },
      { resultCodes: ['A', 'B'], inspectedOn: '2026-09-16', followUp: 'transfer', note: '未按规定公示年度报告中的股东出资信息，发现案件线索，移送办案机构。' },
      { resultCodes: ['E'], inspectedOn: '2026-09-17', followUp: 'rectify', note: '责令当场改正，已改正。' },
      { resultCodes: ['F'], inspectedOn: '2026-09-17', followUp: 'none', note: '' },
      { resultCodes: ['6'], inspectedOn: '2026-09-18', followUp: 'notify', noticeTo: '演示市西湖区税务局', note: '通过登记的住所无法联系。' },
    ];
    for (const [i, r] of rows.entries()) {
      if (i >= plans.length + 2) break;
      await results.recordResult(ctx, null, officer, tPublicity, ResultInput.parse({ creditCode: r.credit_code, ...plans[i % plans.length]!, ...(i >= plans.length ? { resultCodes: ['1'], followUp: 'none', noticeTo: undefined } : {}) }));
    }
  }
  return { tasks: { publicity: tPublicity, food: tFood, env: tEnv, xs: tXs, joint: tJoint }, plans: { scjg: pScjg, sthj: pSthj, xs: pXs, joint: pJoint } };
}
