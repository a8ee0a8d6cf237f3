// The per-agency publicity rules page (R-P01): scope, channels and time limits of what the agency
// publishes, from the publication rule set in force (src/publicity), with the lists published before
// enforcement and the justice bureau to complain to about missing or wrong publicity.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { isUuid, todayInShanghai } from '../platform/validation.ts';
import { html, page } from '../portal/html.ts';
import { effectiveRules } from '../publicity/service.ts';

export async function registerPublicityRulesPage(app: FastifyInstance, ctx: AppContext) {
  app.get('/agencies/:id/publicity-rules', async (req, reply) => {
    const { id } = req.params as { id: string };
    const { rows } = isUuid(id) ? await ctx.db.query<{ id: string; name: string; region_code: string }>(`SELECT id, name, region_code FROM agencies WHERE id = $1`, [id]) : { rows: [] };
    const a = rows[0];
    if (!a) throw notFound('执法主体');
    const rules = await effectiveRules(ctx.db, a.id, todayInShanghai());
    // The bureau overseeing the agency: the justice bureau with the longest region prefix of its code.
    const bureaus = await ctx.db.query<{ name: string; phone: string; region_code: string }>(`SELECT name, phone, region_code FROM agencies WHERE kind = 'justice_bureau'`);
    const bureau = bureaus.rows.filter((b) => a.region_code.startsWith(b.region_code.replace(/0+$/, ''))).sort((x, y) => y.region_code.replace(/0+$/, '').length - x.region_code.replace(/0+$/, '').length)[0];
    reply.type('text/html; charset=utf-8');
    return page({
      title: `${a.name} 行政执法公示制度`, demo: ctx.demo,
      body: html`<h1>${a.name} 行政执法公示制度</h1>
<div class="card"><h2>事前公示</h2><ul><li><a href="/matters?agency=${a.id}">执法事项清单</a>（职责、依据、程序、救济途径，随法律和职责调整动态更新）</li><li><a href="/guides">办事服务指南</a></li><li><a href="/agencies/${a.id}">执法主体与执法人员</a></li><li><a href="/procedures">执法流程图</a></li><li><a href="/annual-reports">行政执法统计年报</a>（每年 1 月 31 日前公布上一年度数据）</li></ul></div>
<div class="card"><h2>事后公示：范围与时限</h2><p class="muted">现行规则：${rules.version === 0 ? '法定默认规则' : `本机关第 ${rules.version} 版规则`}</p>
<table class="responsive"><thead><tr><th>公示内容</th><th>是否公示</th><th>公示时限</th><th>公示期</th><th>依据</th></tr></thead><tbody>
${rules.body.items.map((i) => html`<tr><td data-label="内容">${i.label}</td><td data-label="公示">${i.publish ? '公示' : '不公示'}</td><td data-label="时限">作出决定之日起 ${i.deadlineWorkingDays} 个工作日内</td><td data-label="公示期">${i.periodMonths} 个月</td><td data-label="依据">${i.basis.join('；')}</td></tr>`)}
</tbody></table>
<p>决定被撤销、变更或确认违法的，${rules.body.withdrawalDays} 日内撤回并说明理由；当事人申请更正的，${rules.body.correctionWorkingDays} 个工作日内核查答复。</p></div>
<div class="card"><h2>公示渠道</h2><ul><li>本平台公示门户（<a href="/decisions">执法决定公示</a>，可订阅、可下载开放数据）</li><li>办事大厅窗口岗位信息公示牌</li></ul></div>
<div class="card"><h2>监督</h2><p>公示遗漏、逾期或内容错误的，可向${bureau ? html`<strong>${bureau.name}</strong>${bureau.phone ? html`（电话 ${bureau.phone}）` : ''}` : '同级司法行政机关'}反映，或通过<a href="/complaints">投诉举报</a>提出。</p></div>`,
    });
  });
}
