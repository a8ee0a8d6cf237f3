// Standard wording (规范用语): Chinese dates and amounts, and what each notice and decision tells the
// party (R-P09: reasons, basis, rights and deadlines; R-R09: decisions state their reasons).
import { describe, expect, it } from 'vitest';
import { chineseDate, chineseNumber, composeDocument, rmbFigures, rmbUppercase, textDateTime, type ComposedDocument } from './content.ts';
import { sampleDocument, sampleFields } from './samples.ts';

const wording = (c: ComposedDocument) =>
  c.blocks
    .map((b) => (b.kind === 'para' ? b.text : b.kind === 'field' ? `${b.label}：${b.value}` : b.kind === 'seal' ? `${b.agency}${b.date}` : ''))
    .join('\n');

describe('Chinese forms', () => {
  it('dates as on 成文日期', () => {
    expect(chineseDate('2026-11-23')).toBe('二〇二六年十一月二十三日');
    expect(chineseDate('2030-01-01')).toBe('二〇三〇年一月一日');
    expect(chineseDate('2026-10-10')).toBe('二〇二六年十月十日');
    expect(chineseDate('2026-12-31')).toBe('二〇二六年十二月三十一日');
    expect(chineseNumber(15)).toBe('十五');
    expect(chineseNumber(60)).toBe('六十');
    expect(textDateTime('2026-11-23T09:05')).toBe('2026年11月23日9时05分');
  });

  it('amounts in capitals and figures', () => {
    expect(rmbUppercase(50000)).toBe('伍万元整');
    expect(rmbUppercase(48)).toBe('肆拾捌元整');
    expect(rmbUppercase(100005)).toBe('壹拾万零伍元整');
    expect(rmbUppercase(1234.56)).toBe('壹仟贰佰叁拾肆元伍角陆分');
    expect(rmbUppercase(1000.05)).toBe('壹仟元零伍分');
    expect(rmbUppercase(100000001)).toBe('壹亿零壹元整');
    expect(rmbUppercase(10010000)).toBe('壹仟零壹万元整');
    expect(rmbUppercase(0.5)).toBe('伍角');
    expect(rmbFigures(50000)).toBe('¥50,000.00');
  });
});

describe('what documents tell the party', () => {
  it('R-P09: a prior notice states facts, evidence, reasons, basis, the proposed penalty and the rights with deadlines', () => {
    const text = wording(composeDocument(sampleDocument('prior_notice')));
    expect(text).toContain('经查，当事人于2026年10月12日');
    expect(text).toContain('以上事实，有下列证据证明：');
    expect(text).toContain('本机关认为：');
    expect(text).toContain('违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定');
    expect(text).toContain('依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，本机关拟对当事人作出如下行政处罚：');
    expect(text).toContain('（二）罚款人民币伍万元整（¥50,000.00）；');
    expect(text).toContain('裁量情况：');
    expect(text).toContain('当事人享有陈述、申辩和要求听证的权利');
    expect(text).toContain('自收到本告知书之日起五个工作日内向本机关提出陈述、申辩意见');
    expect(text).toContain('要求听证的，应当自收到本告知书之日起五日内向本机关提出');
    expect(text).toContain('逾期未提出陈述、申辩或者未要求听证的，视为放弃上述权利');
    expect(text).toContain('不因当事人陈述、申辩而给予更重的处罚');
  });

  it('R-P09: without a hearing right the notice does not mention one', () => {
    const fields = { ...sampleFields('prior_notice'), proposedPenalties: [{ kind: '警告' as const }], hearingApplicable: false, statementDeadlineDays: 3 };
    const text = wording(composeDocument({ ...sampleDocument('prior_notice'), fields }));
    expect(text).toContain('当事人享有陈述、申辩的权利');
    expect(text).toContain('三个工作日内');
    expect(text).not.toContain('听证');
  });

  it('R-R09: a penalty decision states reasons, the response to the defence, discretion, payment and remedies', () => {
    const text = wording(composeDocument(sampleDocument('penalty_decision')));
    expect(text).toContain('本机关认为：当事人作为食品经营者');
    expect(text).toContain('本机关对当事人意见的采纳情况及理由：');
    expect(text).toContain('裁量情况：');
    expect(text).toContain('当事人应当自收到本决定书之日起十五日内');
    expect(text).toContain('每日按罚款数额的百分之三加处罚款');
    expect(text).toContain('可以在收到本决定书之日起六十日内向杭州市西湖区人民政府申请行政复议，也可以在六个月内依法向杭州市西湖区人民法院提起行政诉讼');
    expect(text).toContain('杭州市西湖区市场监督管理局二〇二六年十一月二十三日');
  });

  it('a seizure decision states the period in days and the remedies', () => {
    const text = wording(composeDocument(sampleDocument('seizure_decision')));
    expect(text).toContain('扣押期限自2026年10月16日起至2026年11月14日止，共三十日');
    expect(text).toContain('六十日内');
    expect(text).toContain('六个月内');
  });

  it('a no-penalty decision states the ground and the remedies', () => {
    const text = wording(composeDocument(sampleDocument('no_penalty_decision')));
    expect(text).toContain('当事人的情形属于初次违法且危害后果轻微并及时改正');
    expect(text).toContain('本机关决定对当事人不予行政处罚');
    expect(text).toContain('六十日内');
  });

  it('letters carry the agency and title as heading and the 文号 under it; records the 案号', () => {
    const d = composeDocument(sampleDocument('penalty_decision'));
    expect(d.headingLines).toEqual(['杭州市西湖区市场监督管理局', '行政处罚决定书']);
    expect(d.numberLine).toEqual({ text: '西湖市监处罚〔2026〕12号', align: 'center' });
    const r = composeDocument(sampleDocument('inquiry_record'));
    expect(r.headingLines).toEqual(['询问笔录']);
    expect(r.numberLine).toEqual({ text: '案号：西湖市监立〔2026〕58号', align: 'right' });
    expect(r.pageFooter).toMatch(/^被询问人签名/);
  });
});
