// Publishing rules as data (DESIGN §3): an agency administrator publishes a new version of the
// AV-record list (R-R03/R-R04), of the major-decision catalog (R-L04, adjusted dynamically) or of an
// adapted procedure; earlier versions stay, cases keep the version that decided for them (R-L09).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { catalogProblems, DEFAULT_CATALOG } from '../review/catalog.ts';
import { actorUserId, denied } from './access.ts';
import { avRuleKeys, avRuleProblems, completeRule, defaultAvRules, strict001Rules, weakerThanProvince } from './av-rules.ts';
import { adaptDefinition, getDefinition, type Adaptation } from './procedures/index.ts';
import * as policy from './policy.ts';
import * as rulesRepo from './rules-store.ts';
import type { AdaptationInput, AvRule, AvRuleSetInput, CatalogEntry, CatalogInput, ProvinceAvListInput } from './schema.ts';

/** Anyone who may read the agency's cases may read its rules (they are also meant for publication). */
async function readableAgency(ctx: AppContext, actor: Actor, agencyId: string) {
  try {
    const a = await registry.getAgency(ctx, { ...actor, kind: 'user' }, agencyId);
    if (!policy.canReadCase({ ...actor, kind: 'user' }, { id: a.id, region_code: a.regionCode })) throw notFound('执法主体');
    return a;
  } catch {
    throw notFound('执法主体');
  }
}

const versionOut = <T>(r: rulesRepo.RuleSetRow<T>, today: string, current: string | undefined) => ({
  id: r.id, version: r.version, effectiveFrom: r.effective_from, note: r.note, createdAt: r.created_at, inForce: r.id === current, future: r.effective_from > today, body: r.body,
});

export async function listAvRuleSets(ctx: AppContext, actor: Actor, agencyId: string) {
  const agency = await readableAgency(ctx, actor, agencyId);
  const today = todayInShanghai();
  const current = await rulesRepo.effective<Record<string, AvRule>>(ctx.db, 'av_rule_sets', agencyId, today);
  const versions = await rulesRepo.list<Record<string, AvRule>>(ctx.db, 'av_rule_sets', agencyId);
  const province = await rulesRepo.provinceEffective(ctx.db, agency.regionCode.slice(0, 2), today);
  return {
    agencyId,
    keys: [...avRuleKeys().values()],
    defaults: defaultAvRules(),
    /** Built-in starting points: 001's stricter set (R-R04) and the province's unified list in force (R-R10). */
    presets: { strict_001: strict001Rules() },
    province: province ? provinceOut(province, today, province.id) : null,
    items: versions.map((v) => versionOut(v, today, current?.id)),
  };
}

const completeAll = (body: Record<string, unknown>) => {
  const keys = avRuleKeys();
  return Object.fromEntries(Object.entries(body).map(([k, r]) => [k, completeRule(k, keys.get(k)?.minimum ?? 'optional', r as Partial<AvRule>)]));
};

const provinceOut = (r: rulesRepo.ProvinceListRow, today: string, current: string | undefined) => ({
  id: r.id, province: r.province, version: r.version, effectiveFrom: r.effective_from, note: r.note, createdAt: r.created_at, inForce: r.id === current, future: r.effective_from > today,
  body: completeAll(r.body),
});

function refuseProblems(what: string, problems: { field: string; message: string }[]) {
  if (problems.length) throw new AppError('validation', { detail: `${what}有 ${problems.length} 处问题：${problems.map((p) => p.message).join('；')}`, errors: problems });
}

export async function publishAvRuleSet(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: AvRuleSetInput) {
  if (!policy.canManageRules(actor, input.agencyId)) await denied(ctx, req, actor, 'cases.av_rules_publish', '只有本机关管理员可以发布音像记录事项清单。', input.agencyId);
  const agency = await readableAgency(ctx, actor, input.agencyId);
  refuseProblems('音像记录事项清单', avRuleProblems(input.rules));
  // R-R10: the province's list in force on the effective date is the floor of every agency's list.
  const province = await rulesRepo.provinceEffective(ctx.db, agency.regionCode.slice(0, 2), input.effectiveFrom);
  if (input.base === 'province' && !province) {
    throw new AppError('validation', { detail: '本省尚未发布全省统一的音像记录事项清单，不能以其为起点。', errors: [{ field: 'base', message: '本省尚无统一清单' }] });
  }
  // Keys the agency does not list keep the chosen starting point; the published list names them all.
  const start = input.base === 'strict_001' ? strict001Rules() : input.base === 'province' ? { ...defaultAvRules(), ...completeAll(province!.body) } : defaultAvRules();
  const rules = { ...start, ...input.rules };
  if (province) refuseProblems('音像记录事项清单低于全省统一清单，', weakerThanProvince(rules, completeAll(province.body)));
  return publish(ctx, actor, 'av_rule_sets', 'cases.av_rule_set_published', input.agencyId, input.effectiveFrom, input.note, rules);
}

/** The province's justice department (a supervisor over the two-digit code) or the system administrator. */
const canPublishProvince = (actor: Actor, province: string) =>
  actor.kind === 'user' && (actor.role === 'system_admin' || (actor.role === 'supervisor' && actor.jurisdiction === province));

export async function listProvinceAvLists(ctx: AppContext, actor: Actor, province: string) {
  void actor; // published for every agency of the province to adopt: any signed-in user reads it
  const today = todayInShanghai();
  const current = await rulesRepo.provinceEffective(ctx.db, province, today);
  return { province, items: (await rulesRepo.provinceList(ctx.db, province)).map((r) => provinceOut(r, today, current?.id)) };
}

export async function publishProvinceAvList(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: ProvinceAvListInput) {
  if (!canPublishProvince(actor, input.province)) await denied(ctx, req, actor, 'cases.av_province_publish', '全省统一的音像记录事项清单由省级司法行政机关（或系统管理员）发布（R-R10）。', input.province);
  refuseProblems('全省统一音像记录事项清单', avRuleProblems(input.rules));
  const rules = { ...(input.base === 'strict_001' ? strict001Rules() : defaultAvRules()), ...input.rules };
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.av_province_list_published', agencyId: null, subjectType: 'province', subjectId: input.province, actorId: actorUserId(actor),
      data: { id, province: input.province, effectiveFrom: input.effectiveFrom, note: input.note, body: rules },
    });
    await rulesRepo.insertProvinceVersion(tx, { id, province: input.province, effectiveFrom: input.effectiveFrom, note: input.note, body: rules, createdBy: actorUserId(actor), eventId });
  });
  return (await listProvinceAvLists(ctx, actor, input.province)).items.find((x) => x.id === id)!;
}

export async function listCatalogs(ctx: AppContext, actor: Actor, agencyId: string) {
  await readableAgency(ctx, actor, agencyId);
  const today = todayInShanghai();
  const current = await rulesRepo.effective<CatalogEntry[]>(ctx.db, 'major_decision_catalogs', agencyId, today);
  const versions = await rulesRepo.list<CatalogEntry[]>(ctx.db, 'major_decision_catalogs', agencyId);
  return { agencyId, defaults: DEFAULT_CATALOG, items: versions.map((v) => versionOut(v, today, current?.id)) };
}

export async function publishCatalog(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CatalogInput) {
  if (!policy.canManageRules(actor, input.agencyId)) await denied(ctx, req, actor, 'cases.catalog_publish', '只有本机关管理员可以发布重大执法决定法制审核目录清单。', input.agencyId);
  await readableAgency(ctx, actor, input.agencyId);
  const problems = catalogProblems(input.entries);
  if (problems.length) throw new AppError('validation', { detail: `目录清单有 ${problems.length} 处问题：${problems.map((p) => p.message).join('；')}`, errors: problems });
  return publish(ctx, actor, 'major_decision_catalogs', 'cases.catalog_published', input.agencyId, input.effectiveFrom, input.note, input.entries);
}

async function publish(ctx: AppContext, actor: Actor, table: 'av_rule_sets' | 'major_decision_catalogs', kind: string, agencyId: string, effectiveFrom: string, note: string, body: unknown) {
  const id = crypto.randomUUID();
  const version = await ctx.db.transaction(async (tx) => {
    await rulesRepo.lockVersions(tx, table, agencyId);
    const version = await rulesRepo.nextVersion(tx, table, agencyId);
    const { eventId } = await recordChange(tx, { kind, agencyId, subjectType: 'agency', subjectId: agencyId, actorId: actorUserId(actor), data: { id, agencyId, version, effectiveFrom, note, body } });
    await rulesRepo.insertVersion(tx, table, { id, agencyId, version, effectiveFrom, note, body, createdBy: actorUserId(actor), eventId });
    return version;
  });
  const row = (await rulesRepo.byId(ctx.db, table, id))!;
  const current = await rulesRepo.effective(ctx.db, table, agencyId, todayInShanghai());
  return versionOut(row, todayInShanghai(), current?.id);
}

// ---- an agency's own version of a procedure ----

export async function publishAdaptation(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: AdaptationInput) {
  if (!policy.canManageRules(actor, input.agencyId)) await denied(ctx, req, actor, 'cases.adaptation_publish', '只有本机关管理员可以发布本机关的程序版本。', input.agencyId);
  await readableAgency(ctx, actor, input.agencyId);
  const base = getDefinition(input.baseId);
  const id = `${base.id}.${input.agencyId.toLowerCase()}`;
  const current = await rulesRepo.getAdaptation(ctx.db, id);
  const a = { ...input, id, version: (current?.version ?? 0) + 1 } as unknown as Adaptation;
  const r = adaptDefinition(base, a);
  if (!r.ok) throw new AppError('validation', { detail: `程序调整不符合法律要求：${r.problems.map((p) => p.reason).join('；')}`, errors: r.problems.map((p) => ({ field: p.path ?? '(根)', message: p.reason })) });
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.adaptation_published', agencyId: input.agencyId, subjectType: 'agency', subjectId: input.agencyId, actorId: actorUserId(actor),
      data: { id, version: r.definition.version, base: { id: base.id, version: base.version }, definition: r.definition },
    });
    await rulesRepo.insertAdaptation(tx, { id, version: r.definition.version, agencyId: input.agencyId, baseId: base.id, baseVersion: base.version, definition: r.definition, createdBy: actorUserId(actor), eventId });
  });
  return { id, version: r.definition.version, name: r.definition.name, basedOn: { id: base.id, version: base.version } };
}
