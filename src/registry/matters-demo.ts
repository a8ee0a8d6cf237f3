// Demo matter lists (R-P04): every demo enforcement agency's matters by its fields, with the legal bases
// written out, each drafted, reviewed and published by the agency's head; the city market regulator's
// food licence has a second version (a change of rules) so the portal shows a history.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import * as matters from './matters.ts';

type Template = Omit<matters.MatterInput, 'agencyId' | 'level' | 'effectiveFrom' | 'changeReason' | 'remedies' | 'duty'> & { duty: string };
const b = (law: string, article: string, paragraph?: string) => ({ law, article, ...(paragraph ? { paragraph } : {}) });
const FOOD = '中华人民共和国食品安全法';
const ENV = '中华人民共和国环境保护法';

const BY_FIELD: Record<string, Template[]> = {
  市场监管: [
    { code: 'SC-XK-001', name: '食品经营许可', kind: '许可', duty: '对本行政区域内食品经营者实施许可', legalBasis: [b(FOOD, '第三十五条', '第一款'), b('中华人民共和国行政许可法', '第二十九条')], procedureId: 'licensing' },
    { code: 'SC-CF-001', name: '对经营不符合食品安全标准的食品的行政处罚', kind: '处罚', duty: '查处经营不符合食品安全标准食品的违法行为', legalBasis: [b(FOOD, '第一百二十四条', '第一款')], procedureId: 'penalty-general' },
    { code: 'SC-CF-002', name: '对未取得食品经营许可从事食品经营活动的行政处罚', kind: '处罚', duty: '查处无证经营食品的违法行为', legalBasis: [b(FOOD, '第一百二十二条', '第一款')], procedureId: 'penalty-general' },
    { code: 'SC-CF-003', name: '违法事实确凿并有法定依据的当场处罚', kind: '处罚', duty: '对符合简易程序条件的违法行为当场作出处罚决定', legalBasis: [b('中华人民共和国行政处罚法', '第五十一条')], procedureId: 'penalty-summary' },
    { code: 'SC-QZ-001', name: '查封、扣押不符合食品安全标准的食品', kind: '强制', duty: '对有证据证明不符合食品安全标准的食品采取强制措施', legalBasis: [b(FOOD, '第一百一十条', '第一款'), b('中华人民共和国行政强制法', '第九条')], procedureId: 'coercion-seizure' },
    { code: 'SC-JC-001', name: '食品经营者监督检查', kind: '检查', duty: '对食品经营者进行现场检查、抽样检验', legalBasis: [b(FOOD, '第一百一十条', '第一款')], procedureId: 'inspection' },
  ],
  生态环境: [
    { code: 'HJ-XK-001', name: '排污许可', kind: '许可', duty: '对排污单位核发排污许可证', legalBasis: [b(ENV, '第四十五条'), b('排污许可管理条例', '第三条')], procedureId: 'licensing' },
    { code: 'HJ-CF-001', name: '对超过大气污染物排放标准排放大气污染物的行政处罚', kind: '处罚', duty: '查处超标排放大气污染物的违法行为', legalBasis: [b('中华人民共和国大气污染防治法', '第九十九条')], procedureId: 'penalty-general' },
    { code: 'HJ-QZ-001', name: '查封、扣押造成污染物排放的设施、设备', kind: '强制', duty: '对违法排放污染物造成或可能造成严重污染的设施设备采取强制措施', legalBasis: [b(ENV, '第二十五条')], procedureId: 'coercion-seizure' },
    { code: 'HJ-JC-001', name: '排污单位现场检查', kind: '检查', duty: '对排放污染物的企业事业单位进行现场检查', legalBasis: [b(ENV, '第二十四条')], procedureId: 'inspection' },
  ],
  交通运输: [
    { code: 'JT-XK-001', name: '道路旅客运输经营许可', kind: '许可', duty: '对申请从事道路客运经营的实施许可', legalBasis: [b('中华人民共和国道路运输条例', '第十条')], procedureId: 'licensing' },
    { code: 'JT-CF-001', name: '对未取得道路运输经营许可擅自从事道路运输经营的行政处罚', kind: '处罚', duty: '查处非法营运', legalBasis: [b('中华人民共和国道路运输条例', '第六十三条')], procedureId: 'penalty-general' },
    { code: 'JT-JC-001', name: '道路运输经营者监督检查', kind: '检查', duty: '对道路运输经营活动进行监督检查', legalBasis: [b('中华人民共和国道路运输条例', '第五十八条')], procedureId: 'inspection' },
  ],
  安全生产: [
    { code: 'AQ-CF-001', name: '对生产经营单位未按规定进行安全生产教育和培训的行政处罚', kind: '处罚', duty: '查处安全生产教育培训违法行为', legalBasis: [b('中华人民共和国安全生产法', '第九十七条')], procedureId: 'penalty-general' },
    { code: 'AQ-JC-001', name: '生产经营单位安全生产监督检查', kind: '检查', duty: '对生产经营单位执行安全生产法律法规的情况进行监督检查', legalBasis: [b('中华人民共和国安全生产法', '第六十五条', '第一款')], procedureId: 'inspection' },
  ],
  综合行政执法: [
    { code: 'ZH-CF-001', name: '对在城市建筑物、设施上乱涂乱画的行政处罚', kind: '处罚', duty: '查处违反市容环境卫生管理规定的行为', legalBasis: [b('城市市容和环境卫生管理条例', '第三十四条'), b('中华人民共和国行政处罚法', '第十八条', '第一款')], procedureId: 'penalty-general' },
    { code: 'ZH-JC-001', name: '市容环境卫生监督检查', kind: '检查', duty: '对责任区市容环境卫生进行巡查和检查', legalBasis: [b('城市市容和环境卫生管理条例', '第三十四条')], procedureId: 'inspection' },
  ],
};
BY_FIELD['食品安全'] = [];
BY_FIELD['知识产权'] = [];
BY_FIELD['市容环境'] = BY_FIELD['综合行政执法']!;

const LEVEL: Record<string, matters.MatterInput['level']> = { province: '省级', city: '市级', county: '县级', township: '乡镇级' };

export const headOf = (agencyId: string, name = '演示负责人'): Actor => ({ kind: 'user', id: crypto.randomUUID(), name, role: 'agency_head', agencyId, jurisdiction: null, scopes: [] });

async function publishOne(ctx: AppContext, head: Actor, input: matters.MatterInput, responsible: string) {
  const v = await matters.createDraft(ctx, null, head, input);
  await matters.submitForReview(ctx, null, head, v.id);
  await matters.publish(ctx, null, head, v.id, { responsible });
  return v.id;
}

export async function loadMattersDemo(ctx: AppContext): Promise<void> {
  const { rows } = await ctx.db.query<{ id: string; name: string; level: string; fields: string[] }>(`SELECT id, name, level, fields FROM agencies WHERE kind = 'enforcement' ORDER BY name`);
  for (const a of rows) {
    const head = headOf(a.id);
    const seen = new Set<string>();
    for (const t of a.fields.flatMap((f) => BY_FIELD[f] ?? [])) {
      if (seen.has(t.code)) continue;
      seen.add(t.code);
      await publishOne(ctx, head, { ...t, agencyId: a.id, level: LEVEL[a.level] ?? '县级', effectiveFrom: '2024-01-01', changeReason: '', remedies: ['行政复议', '行政诉讼'] }, `${a.name.replace(/^演示/, '')}负责人`);
    }
    if (a.name === '演示市市场监督管理局') {
      const t = BY_FIELD['市场监管']![0]!;
      await publishOne(ctx, head, {
        ...t, agencyId: a.id, level: '市级', remedies: ['行政复议', '行政诉讼'], effectiveFrom: '2026-01-01',
        legalBasis: [...t.legalBasis, b('食品经营许可和备案管理办法', '第三条')],
        changeReason: '《食品经营许可和备案管理办法》自2023年12月1日起施行，补充法律依据并调整申请材料',
      }, '市市场监督管理局负责人');
    }
  }
}
