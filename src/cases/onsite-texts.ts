// The texts of the summary procedure's documents (当场行政处罚决定书, 罚没款专用票据), written from what the
// case records, so that the officer in the street edits a draft instead of typing it on a phone. What 行政处罚法
// requires the decision to state (第五十二条: 违法行为、处罚依据、罚款数额、时间、地点、救济途径和期限、
// 行政机关名称、执法人员) is all known by then; what is not (the legal basis of the violation) is left for
// the officer and never invented. R-P09: the party is told the reason, the basis and the remedies; R-R02:
// the wording follows the standard decision format.
import { chineseDate, rmbUppercase } from './documents/index.ts';
import type { PrefillCase } from './document-prefill.ts';

const LAW = '《中华人民共和国行政处罚法》';
const ID_TYPES: Record<string, string> = { credit_code: '统一社会信用代码', id_card: '居民身份证号码', other: '证件号码' };

function partyLine(c: PrefillCase): string {
  const p = c.party;
  const id = p.idNumber ? `，${ID_TYPES[p.idType] ?? '证件号码'}：${p.idNumber}` : '';
  const address = p.address ? `，${p.type === 'citizen' ? '住址' : '住所'}：${p.address}` : '';
  return `${p.name}${id}${address}`;
}

const officersLine = (c: PrefillCase) => c.officers.map((o) => `${o.name}（执法证号：${o.certificateNumber}）`).join('、');

const yuan = (amount: number) => `人民币${amount}元（${rmbUppercase(amount)}）`;

function penaltyLine(facts: Record<string, unknown>): string {
  const amount = typeof facts.fineAmount === 'number' ? facts.fineAmount : 0;
  switch (facts.penaltyKind) {
    case 'warning':
      return '警告';
    case 'warning_and_fine':
      return `警告，并处罚款${yuan(amount)}`;
    case 'fine':
      return `罚款${yuan(amount)}`;
    default:
      return amount > 0 ? `罚款${yuan(amount)}` : '';
  }
}

/** The act, from the 案由: "涉嫌未明码标价案" → "未明码标价". */
const act = (title: string) => title.replace(/^涉嫌/, '').replace(/案$/, '');

/** Whether a fine can be collected on the spot whatever else holds: 第六十八条第一项 (一百元以下). */
export const collectableAnyway = (amount: number) => amount > 0 && amount <= 100;

function decision(c: PrefillCase, on: string): Record<string, unknown> {
  const amount = typeof c.facts.fineAmount === 'number' ? c.facts.fineAmount : 0;
  const penalty = penaltyLine(c.facts);
  const where = c.area ? `在${c.area}` : '';
  const lines = [
    `${chineseDate(on)}，本机关执法人员${officersLine(c) || '（执法人员）'}${where}依法检查时发现，当事人${act(c.title)}。以上事实有现场检查情况为证，违法事实确凿。`,
    `执法人员已向当事人出示执法证件，当场告知拟作出行政处罚的事实、理由和依据，以及当事人依法享有的陈述、申辩权利。`,
    `本机关依照${LAW}第五十一条、第五十二条的规定，当场决定给予当事人如下行政处罚：${penalty || '（处罚内容）'}。`,
    ...(amount > 0
      ? [
          `当事人应当自收到本决定书之日起十五日内缴纳罚款；依照${LAW}第六十八条的规定当场收缴的，由执法人员出具专用票据。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（${LAW}第七十二条）。`,
        ]
      : []),
    `当事人如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。`,
    `执法人员：${officersLine(c) || '　　　　'}`,
  ];
  return { party: partyLine(c), body: lines.join('\n') };
}

function receipt(c: PrefillCase, on: string): Record<string, unknown> {
  const amount = typeof c.facts.fineAmount === 'number' ? c.facts.fineAmount : 0;
  // R-R02: the receipt names the decision it collects for, by the 文号 the decision was given.
  const ground = collectableAnyway(amount) ? '第六十八条第一项（依法给予一百元以下罚款）' : c.facts.remoteArea === true ? '第六十九条' : '第六十八条第二项（不当场收缴事后难以执行）';
  const lines = [
    `交款人：${partyLine(c)}。`,
    `收缴事由：执行${c.decisionNumber ? `${c.decisionNumber}` : '本案'}当场行政处罚决定书，当场收缴罚款。`,
    `收缴金额：${yuan(amount)}。`,
    `收缴依据：${LAW}${ground}、第七十条。`,
    `收缴日期：${chineseDate(on)}。收缴执法人员：${officersLine(c) || '　　　　'}。`,
    `执法人员应当自收缴罚款之日起二日内将罚款交至本机关（${LAW}第七十一条）。`,
  ];
  return { party: c.party.name, body: lines.join('\n') };
}

/** Documents whose draft is a generated text rather than an empty form. */
export const GENERATED_TEXTS: Record<string, (c: PrefillCase, on: string) => Record<string, unknown>> = {
  onsite_penalty_decision: decision,
  fine_receipt: receipt,
};
