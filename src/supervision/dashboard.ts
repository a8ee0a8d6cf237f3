// The home page of each role: the figures that person acts on first.
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { readScope, scopeSql } from '../registry/policy.ts';
import { reviewerRatio } from '../registry/service.ts';

interface Card {
  key: string;
  label: string;
  value: number | string;
  hint?: string;
  status?: 'ok' | 'warn' | 'bad';
}

export async function dashboard(ctx: AppContext, actor: Actor) {
  const today = todayInShanghai();
  const params: unknown[] = [today];
  const where = scopeSql(readScope(actor), 'a', params);
  const { rows } = await ctx.db.query<{ agencies: number; valid: number; expiring: number; inactive: number }>(
    `SELECT count(DISTINCT a.id)::int AS agencies,
        count(o.id) FILTER (WHERE o.status = 'valid' AND o.valid_to >= $1::date)::int AS valid,
        count(o.id) FILTER (WHERE o.status = 'valid' AND o.valid_to >= $1::date AND o.valid_to < $1::date + 90)::int AS expiring,
        count(o.id) FILTER (WHERE o.status <> 'valid' OR o.valid_to < $1::date)::int AS inactive
       FROM agencies a LEFT JOIN officers o ON o.agency_id = a.id WHERE ${where}`,
    params,
  );
  const s = rows[0]!;
  const ratio = await reviewerRatio(ctx, actor);
  const below = ratio.items.filter((r) => !r.meetsFloor).length;
  const cards: Card[] = [
    { key: 'agencies', label: actor.role === 'supervisor' ? '辖区执法主体' : '执法主体', value: s.agencies },
    { key: 'validOfficers', label: '持有效执法证人员', value: s.valid },
    { key: 'expiring', label: '90 天内到期的执法证', value: s.expiring, status: s.expiring ? 'warn' : 'ok', hint: '请及时组织换证' },
    { key: 'inactive', label: '暂扣、吊销或过期的执法证', value: s.inactive },
    { key: 'reviewerFloor', label: '法制审核人员不足 5% 的机关', value: below, status: below ? 'bad' : 'ok', hint: 'R-L03：法制审核人员原则上不少于执法人员总数的 5%' },
  ];
  const tasks: { label: string; href: string }[] = [];
  if (['agency_admin', 'supervisor', 'system_admin'].includes(actor.role)) tasks.push({ label: '登记执法人员', href: '/admin/officers/new' }, { label: '批量导入', href: '/admin/imports' });
  if (below) tasks.push({ label: '查看法制审核人员配备', href: '/admin/reviewers' });
  tasks.push({ label: '查询执法人员', href: '/admin/officers' });
  return { role: actor.role, cards, tasks };
}

export async function registerDashboardRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/dashboard', summary: '按角色的首页指标', tags: ['监督'], access: 'user',
    handler: ({ actor }) => dashboard(ctx, actor!),
  });
}
