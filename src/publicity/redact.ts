// Redaction (R-P14, 政府信息公开条例 第15条、第37条, 个人信息保护法): rules, each tested on its own
// (redact.test.ts), find spans of the decision text; the public text replaces each span. The case
// record is never touched: redaction works on a copy. A confirmer may add spans, never remove a rule's.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export interface Span {
  start: number;
  end: number;
  rule: string;
  label: string;
  replacement: string;
  /** 'rule' (made by a rule, cannot be removed) or the user id of whoever added it. */
  by: string;
}

let jieba: Jieba | null = null;
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 check digit of the first 17 digits of a citizen ID number. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function idCheckDigitValid(id: string): boolean {
  return /^\d{17}[\dXx]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17]!.toUpperCase();
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Luhn check: how payment card numbers end. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '西门', '南宫', '独孤', '呼延', '万俟'];
export function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length) ?? name.slice(0, 1);
}
/** A natural-person party as published: surname + 某某. */
export function maskedName(name: string): string {
  return `${surnameOf(name)}某某`;
}

export interface RedactContext {
  partyType: 'citizen' | 'organisation';
  partyName: string;
  /** The party's full name is published (the rule set says so). */
  fullName?: boolean;
  /** Names that are public and stay: a legal representative of an organisation, enforcement officers. */
  publicNames?: string[];
}

interface Rule {
  id: string;
  label: string;
  find(text: string, c: RedactContext): { start: number; end: number; replacement: string }[];
}

function matches(re: RegExp, text: string, keep: (m: RegExpExecArray) => string | null, group = 0): { start: number; end: number; replacement: string }[] {
  const out: { start: number; end: number; replacement: string }[] = [];
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    const r = keep(m as RegExpExecArray);
    if (r === null) continue;
    const start = m.index! + (group ? m[0].indexOf(m[group]!) : 0);
    out.push({ start, end: start + (group ? m[group]!.length : m[0].length), replacement: r });
  }
  return out;
}

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const NOT_NAME_END = /[法局院会处科部厅所店司市区县省条款项证号规例章书罚]$/;
const NAME_CUES = '证人|见证人|委托代理人|代理人|举报人|投诉人|消费者|顾客|员工|雇员|店员|收银员|经手人|驾驶人|驾驶员|同住人|家属|其妻|其夫|其子|其女|配偶';

/** The rules, in the order they run; each one has its own positive and negative tests. */
export const RULES: Rule[] = [
  {
    id: 'id18',
    label: '18位身份证号码',
    find: (t) =>
      matches(/(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}\d{4}\d{3}[\dXx](?![0-9A-Za-z])/g, t, (m) => {
        const id = m[0];
        if (!validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))) || !idCheckDigitValid(id)) return null;
        return '［身份证号码已隐去］';
      }),
  },
  {
    id: 'id15',
    label: '15位身份证号码',
    find: (t) =>
      matches(/(?<![0-9A-Za-z])[1-9]\d{5}\d{2}\d{4}\d{3}(?![0-9A-Za-z])/g, t, (m) => {
        const id = m[0];
        return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12))) ? '［身份证号码已隐去］' : null;
      }),
  },
  {
    id: 'bank_account',
    label: '银行账号',
    find: (t) => [
      // After a label (账号、账户、卡号): any 10–30 digits, an organisation's account too (国发〔2014〕6号).
      ...matches(/(?:账号|账户|卡号|帐号|帐户)(?:[：:为是\s]|（[^）]{0,10}）)*((?:\d[ -]?){9,29}\d)/g, t, () => '［银行账号已隐去］', 1),
      // Without a label: 16–19 digits that pass the Luhn check (payment cards).
      ...matches(/(?<![0-9A-Za-z])(?:\d[ ]?){15,18}\d(?![0-9A-Za-z])/g, t, (m) => {
        const d = m[0].replace(/ /g, '');
        return d.length >= 16 && d.length <= 19 && /^[3-6]/.test(d) && luhn(d) ? '［银行账号已隐去］' : null;
      }),
    ],
  },
  {
    id: 'mobile',
    label: '手机号码',
    find: (t) => matches(/(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])/g, t, () => '［手机号码已隐去］'),
  },
  {
    id: 'landline',
    label: '固定电话号码',
    find: (t) => matches(/(?:[（(]0\d{2,3}[)）]\s?|(?<![0-9A-Za-z-])0\d{2,3}-)[2-9]\d{6,7}(?:-\d{1,5})?(?![0-9A-Za-z])/g, t, () => '［电话号码已隐去］'),
  },
  {
    id: 'email',
    label: '电子邮箱',
    find: (t) => matches(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, t, () => '［电子邮箱已隐去］'),
  },
  {
    id: 'plate',
    label: '机动车号牌',
    find: (t) =>
      matches(new RegExp(`[${PROVINCES}][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳](?:[A-HJ-NP-Z0-9](?![A-Za-z0-9]))?(?![A-Za-z0-9])`, 'g'), t, (m) => `${m[0].slice(0, 2)}***${m[0].slice(-2)}`),
  },
  {
    id: 'home_address',
    label: '家庭住址（保留至县级）',
    find: (t, c) => {
      const out: { start: number; end: number; replacement: string }[] = [];
      // A natural person's 住址 keeps province, city and county; an organisation's 住所 is public.
      const labels = c.partyType === 'citizen' ? '家庭住址|现住址|住址|户籍地|户籍所在地|居住地|现住|住所' : '家庭住址|现住址|住址|户籍地|户籍所在地|居住地|现住';
      for (const m of t.matchAll(new RegExp(`(?:${labels})[：:\\s]*([^，。；;\\n　]{4,80})`, 'g'))) {
        const addr = m[1]!;
        const keep = countyPrefix(addr).length;
        if (keep >= addr.length) continue;
        const at = m.index! + m[0].length - addr.length + keep;
        out.push({ start: at, end: m.index! + m[0].length, replacement: '［详细地址已隐去］' });
      }
      return out;
    },
  },
  {
    id: 'party_name',
    label: '自然人当事人姓名（姓＋某某）',
    find: (t, c) => {
      if (c.partyType !== 'citizen' || c.fullName || c.partyName.length < 2) return [];
      const out: { start: number; end: number; replacement: string }[] = [];
      for (let i = t.indexOf(c.partyName); i >= 0; i = t.indexOf(c.partyName, i + c.partyName.length)) out.push({ start: i, end: i + c.partyName.length, replacement: maskedName(c.partyName) });
      return out;
    },
  },
  {
    id: 'other_person',
    label: '当事人以外自然人姓名',
    find: (t, c) => {
      const keep = new Set([c.partyName, ...(c.publicNames ?? [])]);
      const out: { start: number; end: number; replacement: string }[] = [];
      const seen = new Set<number>();
      const add = (start: number, name: string) => {
        if (keep.has(name) || name.length < 2 || name.length > 4 || seen.has(start)) return;
        seen.add(start);
        out.push({ start, end: start + name.length, replacement: `${surnameOf(name)}某` });
      };
      // A name after a cue word (证人、消费者…): two to three characters before punctuation or a verb.
      for (const m of t.matchAll(new RegExp(`(?:${NAME_CUES})[：:\\s]*([\\u4e00-\\u9fa5]{2,3})(?=[，。；、（(：:\\s]|称|证实|陈述|向|在|于|的|反映|投诉|举报|购买|驾驶|签字|签名|确认|$)`, 'g'))) {
        add(m.index! + m[0].length - m[1]!.length, m[1]!);
      }
      // Person names the segmenter tags (nr), for names without a cue.
      let pos = 0;
      for (const w of segmenter().tag(t, true)) {
        const at = t.indexOf(w.word, pos);
        if (at < 0) continue;
        pos = at + w.word.length;
        // The segmenter also tags law and office words as names (安全法); those end in a telling character.
        if (w.tag === 'nr' && /^[\u4e00-\u9fa5]{2,3}$/.test(w.word) && !NOT_NAME_END.test(w.word) && !c.partyName.includes(w.word)) add(at, w.word);
      }
      return out;
    },
  },
];

/** The address down to the county (区/县/旗/县级市); what follows is the home and is hidden. */
export function countyPrefix(addr: string): string {
  const m = /^(?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区|特别行政区))?(?:[\u4e00-\u9fa5]{2,9}?(?:自治州|地区|盟|市))?(?:[\u4e00-\u9fa5]{1,9}?(?:自治县|区|县|旗|市))?/.exec(addr);
  return m?.[0] ?? '';
}

/** Every rule's spans, overlaps resolved (the earlier, then the longer, span wins). */
export function findRedactions(text: string, c: RedactContext): Span[] {
  const all: Span[] = [];
  for (const r of RULES) for (const s of r.find(text, c)) all.push({ ...s, rule: r.id, label: r.label, by: 'rule' });
  return resolve(all);
}

export function resolve(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end && s.by === 'rule' && last.by !== 'rule') out[out.length - 1] = { ...s, start: last.start };
      else if (s.end > last.end) out[out.length - 1] = { ...last, end: s.end };
      continue;
    }
    out.push(s);
  }
  return out;
}

/** The public text: each span replaced by its replacement. */
export function applyRedactions(text: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const s of resolve(spans)) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Redacts a short string (a summary field) with the same rules. */
export function redactString(text: string, c: RedactContext): string {
  return applyRedactions(text, findRedactions(text, c));
}
