// R-P14: each redaction rule on its own, with real-looking text that it must catch and text it must leave.
import { describe, expect, it } from 'vitest';
import { RULES, applyRedactions, countyPrefix, findRedactions, idCheckDigit, idCheckDigitValid, maskedName, withAddedSafe } from './redact.test-helpers.ts';

const citizen = { partyType: 'citizen' as const, partyName: '王建国' };
const org = { partyType: 'organisation' as const, partyName: '杭州某某食品有限公司', publicNames: ['赵德胜'] };
const rule = (id: string) => RULES.find((r) => r.id === id)!;
const hits = (id: string, text: string, c: Parameters<(typeof RULES)[number]['find']>[1] = citizen) => rule(id).find(text, c).map((s) => text.slice(s.start, s.end));

const ID = '33010619850315231' + idCheckDigit('33010619850315231');

describe('R-P14 redaction rules, one by one', () => {
  it('18-digit ID number with a valid check digit (GB 11643)', () => {
    expect(idCheckDigitValid(ID)).toBe(true);
    expect(hits('id18', `当事人王建国，身份证号码：${ID}，男。`)).toEqual([ID]);
    expect(hits('id18', `身份证号 ${ID.slice(0, 17)}x 签名`).length).toBe(ID.endsWith('X') ? 1 : 0);
    // Wrong check digit, an impossible date, a credit code and a longer number stay.
    const wrong = ID.slice(0, 17) + ((Number(ID[17]) + 1) % 10);
    expect(hits('id18', `号码${wrong}。`)).toEqual([]);
    expect(hits('id18', '号码330106198513452316。')).toEqual([]);
    expect(hits('id18', '统一社会信用代码91330106MA2H3K7Q4Q。')).toEqual([]);
    expect(hits('id18', `流水号1${ID}9`)).toEqual([]);
  });

  it('15-digit ID number', () => {
    expect(hits('id15', '旧身份证号330106850315231，')).toEqual(['330106850315231']);
    expect(hits('id15', '编号330106851315231，')).toEqual([]);
    expect(hits('id15', '订单号3301068503152311')).toEqual([]);
  });

  it('mobile numbers, with or without +86 and separators', () => {
    expect(hits('mobile', '联系电话：13857112345；')).toEqual(['13857112345']);
    expect(hits('mobile', '电话+86 138-5711-2345。')).toEqual(['+86 138-5711-2345']);
    expect(hits('mobile', '罚款12857112345元')).toEqual([]);
    expect(hits('mobile', '案号20261385711234')).toEqual([]);
  });

  it('landline numbers with an area code', () => {
    expect(hits('landline', '电话0571-87654321转')).toEqual(['0571-87654321']);
    expect(hits('landline', '电话（010）62345678。')).toEqual(['（010）62345678']);
    expect(hits('landline', '于2026-11-23作出')).toEqual([]);
    expect(hits('landline', '货值87654321元')).toEqual([]);
  });

  it('bank accounts: after a label (an organisation’s too), or a card number passing Luhn', () => {
    expect(hits('bank_account', '缴款账号：1202 0260 0900 0123 456，')).toEqual(['1202 0260 0900 0123 456']);
    expect(hits('bank_account', '通过6222021202041234569收款')).toEqual(['6222021202041234569']);
    expect(hits('bank_account', '通过6222021202041234567收款')).toEqual([]);
    expect(hits('bank_account', '罚款人民币50000元（¥50,000.00）')).toEqual([]);
  });

  it('licence plates keep the province, the letter and the last two characters', () => {
    const t = '当事人驾驶浙A·D1234号小型汽车，另一辆沪B12345。';
    expect(hits('plate', t)).toEqual(['浙A·D1234', '沪B12345']);
    expect(applyRedactions(t, findRedactions(t, org))).toContain('浙A***34');
    expect(hits('plate', '浙江省杭州市')).toEqual([]);
    expect(hits('plate', '浙食药监罚字')).toEqual([]);
  });

  it('e-mail addresses', () => {
    expect(hits('email', '邮箱wjg.1985@163.com。')).toEqual(['wjg.1985@163.com']);
    expect(hits('email', '见附件@第2页')).toEqual([]);
  });

  it('a natural person’s home address is kept down to the county', () => {
    expect(countyPrefix('浙江省杭州市西湖区文三路123号')).toBe('浙江省杭州市西湖区');
    expect(countyPrefix('北京市朝阳区建国路1号')).toBe('北京市朝阳区');
    expect(countyPrefix('浙江省杭州市桐庐县富春江镇幸福村12号')).toBe('浙江省杭州市桐庐县');
    const t = '住址：浙江省杭州市西湖区文三路 123 号 5 幢 301 室，联系';
    expect(applyRedactions(t, rule('home_address').find(t, citizen).map((s) => ({ ...s, rule: 'home_address', label: '', by: 'rule' })))).toBe('住址：浙江省杭州市西湖区［详细地址已隐去］，联系');
    // An organisation's registered 住所 is public.
    expect(hits('home_address', '住所：浙江省杭州市西湖区文三路100号', org)).toEqual([]);
    expect(hits('home_address', '住址：浙江省杭州市西湖区', citizen)).toEqual([]);
  });

  it('names of natural persons other than the party: after a cue word or tagged as a person name', () => {
    expect(hits('other_person', '证人李明华称其在该店购买。')).toEqual(['李明华']);
    expect(hits('other_person', '消费者刘芳投诉该店。')).toEqual(['刘芳']);
    const t = '证人李明华称，当事人王建国在场。';
    expect(applyRedactions(t, findRedactions(t, citizen))).toBe('证人李某称，当事人王某某在场。');
    // The party and public names (the organisation's legal representative) stay.
    expect(hits('other_person', '法定代表人赵德胜签收。', org)).toEqual([]);
    expect(hits('other_person', '本机关认为当事人违反食品安全法。')).toEqual([]);
  });

  it('a natural-person party is surname + 某某, compound surnames included; an organisation keeps its name', () => {
    expect(maskedName('王建国')).toBe('王某某');
    expect(maskedName('欧阳晓燕')).toBe('欧阳某某');
    expect(hits('party_name', '当事人王建国，王建国签收。')).toEqual(['王建国', '王建国']);
    expect(hits('party_name', '当事人王建国', { ...citizen, fullName: true })).toEqual([]);
    expect(hits('party_name', '当事人杭州某某食品有限公司', org)).toEqual([]);
  });

  it('the confirmer adds spans; rule spans stay whatever is sent', () => {
    const t = `当事人王建国，身份证号码${ID}，经营地点：某某菜市场 12 号摊位。`;
    const spans = findRedactions(t, citizen);
    const added = withAddedSafe(t, spans, [{ text: '某某菜市场 12 号摊位' }], 'head');
    expect(added.filter((s) => s.by === 'rule').length).toBe(spans.length);
    expect(applyRedactions(t, added)).toBe('当事人王某某，身份证号码［身份证号码已隐去］，经营地点：［已隐去］。');
  });

  it('the case record is not touched: redaction returns a new string', () => {
    const t = `当事人王建国，身份证号码${ID}`;
    const copy = String(t);
    applyRedactions(t, findRedactions(t, citizen));
    expect(t).toBe(copy);
  });
});
