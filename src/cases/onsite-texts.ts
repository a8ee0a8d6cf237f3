// What the summary procedure's on-site documents (当场行政处罚决定书, 罚没款专用票据) can say from what the
// case records, so that the officer in the street checks a draft instead of typing it on a phone. What
// 行政处罚法第五十二条 requires the decision to state and the case knows (the act, the penalty and amount,
// the payment, the officers) is filled in; what it does not know (the provision violated, the basis, what
// the party said, whether the reasons and rights were told on the spot, R-P09) is left for the officer
// and never invented. R-R02: the fields are those of the form (documents/forms.ts).
import type { PrefillCase } from './document-prefill.ts';

/** The act, from the 案由: "涉嫌未明码标价案" → "未明码标价". */
const act = (title: string) => title.replace(/^涉嫌/, '').replace(/案$/, '');

const amountOf = (c: PrefillCase) => (typeof c.facts.fineAmount === 'number' ? c.facts.fineAmount : 0);

/** Whether a fine can be collected on the spot whatever else holds: 第六十八条第一项 (一百元以下). */
export const collectableAnyway = (amount: number) => amount > 0 && amount <= 100;

function penalties(c: PrefillCase): { kind: '警告' | '罚款'; amount?: number }[] | undefined {
  const amount = amountOf(c);
  switch (c.facts.penaltyKind) {
    case 'warning':
      return [{ kind: '警告' }];
    case 'warning_and_fine':
      return [{ kind: '警告' }, { kind: '罚款', amount }];
    default:
      return amount > 0 ? [{ kind: '罚款', amount }] : undefined;
  }
}

function decision(c: PrefillCase, on: string): Record<string, unknown> {
  const ps = penalties(c);
  return {
    ...(c.area ? { place: c.area } : {}),
    facts: `${on.slice(0, 4)}年${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日，执法人员依法检查时发现，当事人${act(c.title)}。以上事实有现场检查情况为证，违法事实确凿。`,
    ...(ps ? { penalties: ps } : {}),
    ...(ps?.some((p) => p.kind === '罚款')
      ? { payment: { deadlineDays: 15, method: '到指定银行或者通过电子支付系统缴纳罚款；依照《中华人民共和国行政处罚法》第六十八条的规定当场收缴的，由执法人员出具专用票据' } }
      : {}),
  };
}

function receipt(c: PrefillCase, on: string): Record<string, unknown> {
  const amount = amountOf(c);
  // R-R02: the receipt names the decision it collects for, by the 文号 the decision was given.
  const ground = collectableAnyway(amount) ? '第六十八条第一项（依法给予一百元以下罚款）' : c.facts.remoteArea === true ? '第六十九条' : '第六十八条第二项（不当场收缴事后难以执行）';
  return {
    payer: c.party.name,
    ...(c.decisionNumber ? { decisionNumber: c.decisionNumber } : {}),
    ...(amount > 0 ? { amount } : {}),
    ground: `《中华人民共和国行政处罚法》${ground}、第七十条`,
    collectedOn: on,
  };
}

/** Documents whose draft says more than the generic prefill: the summary procedure's on-site texts. */
export const GENERATED_TEXTS: Record<string, (c: PrefillCase, on: string) => Record<string, unknown>> = {
  onsite_penalty_decision: decision,
  fine_receipt: receipt,
};
