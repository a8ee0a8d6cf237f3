// Demo of publicity (issue 8): the decisions the case demo served become drafts through the real hook;
// here the heads confirm most of them, natural-person decisions with ID numbers, phones and home addresses
// in their text show the redaction, one is withdrawn after a 复议 revocation, one is changed (two
// versions), one has a pending correction request, and one draft stays overdue.
import type { Actor, Role } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { addDays, getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { idCheckDigit } from './redact.ts';
import { confirmAndPublish, draftFromDecision, recordRemedy, submitCorrection, type DecisionInput } from './service.ts';

const id18 = (first17: string) => first17 + idCheckDigit(first17);

async function actorOf(ctx: AppContext, agencyId: string, role: Role): Promise<Actor | null> {
  const { rows } = await ctx.db.query<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE agency_id = $1 AND role = $2 AND NOT disabled ORDER BY username LIMIT 1`, [agencyId, role]);
  return rows[0] ? { kind: 'user', id: rows[0].id, name: rows[0].display_name, role, agencyId, jurisdiction: null, scopes: [] } : null;
}

/** A natural person's penalty decision as served, with the personal data redaction must take out. */
export function citizenDecision(o: { number: string; agency: string; name: string; id: string; phone: string; address: string; plate?: string; witness: string; facts: string; fine: number; on: string }): string {
  return [
    o.agency, '行政处罚决定书', o.number,
    `当事人：${o.name}`, `身份证号码：${o.id}`, `住址：${o.address}`, `联系电话：${o.phone}`,
    `经查，${o.facts}${o.plate ? `当事人驾驶的${o.plate}号车辆停放于现场。` : ''}证人${o.witness}证实上述情况。`,
    '上述事实，有现场检查笔录、询问笔录、现场照片等证据证明。',
    `本机关认为：当事人的上述行为违反了有关法律规定。依据有关规定，本机关决定对当事人作出如下行政处罚：罚款人民币${o.fine}元。`,
    `当事人应当自收到本决定书之日起十五日内缴纳罚款。如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，也可以在六个月内依法提起行政诉讼。`,
    o.agency, o.on,
  ].join('\n');
}

export async function loadPublicityDemo(ctx: AppContext): Promise<void> {
  const { rows: agencies } = await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE name = '演示市市场监督管理局' OR name = '演示市西湖区综合行政执法局' ORDER BY name`);
  const scjg = agencies.find((a) => a.name === '演示市市场监督管理局');
  if (!scjg) return;
  const head = await actorOf(ctx, scjg.id, 'agency_head');
  const officer = await actorOf(ctx, scjg.id, 'officer');
  if (!head || !officer) return;
  const today = todayInShanghai();
  const cal = await getCalendar(ctx.db);

  // Natural-person decisions (redaction visible on the portal).
  const people = [
    { name: '王建国', id: id18('33010619850315231'), phone: '13857112345', address: '浙江省杭州市西湖区文三路 123 号 5 幢 301 室', plate: '浙A·D1234', witness: '李明华', facts: '当事人在其经营的流动摊点销售超过保质期的预包装食品（风味酸奶 12 瓶）。', fine: 3000, number: '演示市监罚〔2026〕9001号', days: 20 },
    { name: '欧阳晓燕', id: id18('33010219900708452'), phone: '0571-87654321', address: '浙江省杭州市上城区解放路 88 号 2 单元 502 室', witness: '张伟', facts: '当事人未取得食品经营许可从事食品经营活动，经营额 8600 元。', fine: 50000, number: '演示市监罚〔2026〕9002号', days: 16 },
    { name: '陈志强', id: id18('33012219780211003'), phone: '15988776655', address: '浙江省杭州市桐庐县富春江镇幸福村 12 号', witness: '刘芳', facts: '当事人销售掺杂掺假的散装白酒 60 斤，货值 3600 元，并通过银行卡号 6222021202041234567 收取货款。', fine: 20000, number: '演示市监罚〔2026〕9003号', days: 12 },
  ];
  const made: string[] = [];
  for (const p of people) {
    const on = addDays(today, -p.days);
    const input: DecisionInput = {
      agencyId: scjg.id, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: on, documentNumber: p.number, title: `${p.name}销售不合格食品案`,
      text: citizenDecision({ ...p, agency: scjg.name, on }), party: { name: p.name, type: 'citizen', idNumber: p.id },
      penaltyKinds: ['罚款'], fineAmount: p.fine, violation: '违反《中华人民共和国食品安全法》有关规定', content: `罚款${p.fine}元`, basis: '《中华人民共和国食品安全法》',
      exchange: { fine: p.fine, confiscated: 0, documentTitle: '行政处罚决定书' }, actorId: officer.id,
    };
    made.push((await ctx.db.transaction((tx) => draftFromDecision(tx, cal, input))).id);
  }

  // The heads confirm every draft but the oldest one, which stays overdue.
  const { rows: drafts } = await ctx.db.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM publications WHERE status = 'draft' ORDER BY deadline, created_at`);
  const heads = new Map<string, Actor | null>();
  for (const [i, d] of drafts.entries()) {
    if (i === 0) continue;
    if (!heads.has(d.agency_id)) heads.set(d.agency_id, await actorOf(ctx, d.agency_id, 'agency_head'));
    const h = heads.get(d.agency_id);
    if (h) await confirmAndPublish(ctx, null, h, d.id, { redactions: [] });
  }
  const published = made.filter((id) => drafts.some((d, i) => i > 0 && d.id === id));
  // 复议 revokes the first natural-person decision: withdrawn with notice.
  if (published[0]) await recordRemedy(ctx, null, officer, published[0], { kind: 'reconsideration', outcome: 'revoked', decidedOn: addDays(today, -2), body: '演示市人民政府', note: '认定事实不清' });
  // The second is changed by the court: a new version pointing at the old, confirmed by the head.
  if (published[1]) {
    const { rows } = await ctx.db.query<{ source_text: string }>(`SELECT source_text FROM publications WHERE id = $1`, [published[1]]);
    const changed = rows[0]!.source_text.replace('罚款人民币50000元', '罚款人民币30000元');
    const r = await recordRemedy(ctx, null, officer, published[1], { kind: 'litigation', outcome: 'changed', decidedOn: addDays(today, -3), body: '演示市西湖区人民法院', note: '罚款数额变更为三万元', changedText: changed });
    if (r.newVersionId) await confirmAndPublish(ctx, null, head, r.newVersionId, { redactions: [] });
  }
  // A pending correction request on the third.
  if (published[2]) await submitCorrection(ctx, null, published[2], { contact: '当事人委托代理人（演示）', text: '公示的违法行为类型表述有误，经营额应为 3600 元，附销售台账复印件。' });
}
