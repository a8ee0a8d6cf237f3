// The wording of every document (规范用语), composed once from validated fields into a small
// layout model that both the PDF and the DOCX renderers draw, so the draft an officer edits and the
// final PDF say the same thing.
import { documentDefinition, parseDocumentFields, type DocumentFields, type DocumentLayout, type DocumentType, type Item, type Officer, type Party, type Penalty, type Remedies } from './schema.ts';

export interface GridCell {
  text: string;
  /** Columns this cell spans (default 1). */
  span?: number;
  /** A label cell: centred, not a value. */
  label?: boolean;
  /** Minimum height in lines, for opinions that are written by hand. */
  minLines?: number;
  /** A right-aligned signature line at the foot of the cell. */
  sign?: string;
}

export type Block =
  /** A body paragraph; `indent` indents the first line by two characters. */
  | { kind: 'para'; text: string; indent?: boolean; align?: 'left' | 'center' | 'right'; bold?: boolean }
  /** `label：value` with the value wrapping under itself. */
  | { kind: 'field'; label: string; value: string }
  | { kind: 'heading'; text: string }
  | { kind: 'grid'; widths: number[]; rows: GridCell[][]; large?: boolean }
  | { kind: 'table'; headers: string[]; widths: number[]; rows: string[][]; align?: ('left' | 'center')[] }
  /** Questions and answers of an inquiry. */
  | { kind: 'qa'; items: { q: string; a: string }[] }
  /** Lines for hand signatures, kept together. */
  | { kind: 'signatures'; lines: string[] }
  /** The issuing agency and the date, right-aligned, with room for the seal above. */
  | { kind: 'seal'; agency: string; date: string }
  | { kind: 'space'; lines: number };

export interface ComposedDocument {
  /** A case document's type, or a public notice laid out the same way (岗位信息公示牌, src/boards). */
  type: DocumentType | 'post_board';
  layout: DocumentLayout;
  /** The document's title (PDF metadata, DOCX title). */
  title: string;
  agencyName: string;
  /** Printed as the heading, one line each. */
  headingLines: string[];
  /** 文号 or 案号 line under the heading. */
  numberLine?: { text: string; align: 'center' | 'right' };
  blocks: Block[];
  /** Printed at the foot of every page (records are signed page by page). */
  pageFooter?: string;
  issuedOn: string;
  qrUrl?: string;
  /** Caption under the QR code (default 扫码核验). */
  qrCaption?: string;
}

export interface DocumentInput {
  type: DocumentType;
  /** 文号; for records and forms the 案号 if any. */
  number?: string;
  agencyName: string;
  fields: unknown;
  /** YYYY-MM-DD, Asia/Shanghai. */
  issuedOn: string;
  /** Ledger verify page of this document; printed as a QR code (final documents). */
  qrUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// Chinese numbers and dates.

const DIGITS = '〇一二三四五六七八九';

/** 2026-11-23 → 二〇二六年十一月二十三日 (the form of 成文日期 on enforcement documents). */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`不是日期：${iso}`);
  const year = [...m[1]!].map((d) => DIGITS[Number(d)]).join('');
  return `${year}年${chineseNumber(Number(m[2]))}月${chineseNumber(Number(m[3]))}日`;
}

/** 1 → 一, 10 → 十, 15 → 十五, 23 → 二十三, 60 → 六十 (0–99). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new Error(`超出范围：${n}`);
  if (n < 10) return n === 0 ? '零' : DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** 2026-11-23 → 2026年11月23日 (dates inside the body text). */
export function textDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** 2026-11-23T09:05 → 2026年11月23日9时05分. */
export function textDateTime(iso: string): string {
  return `${textDate(iso)}${Number(iso.slice(11, 13))}时${iso.slice(14, 16)}分`;
}

function timeRange(start: string, end: string): string {
  if (start.slice(0, 10) === end.slice(0, 10)) return `${textDateTime(start)}至${Number(end.slice(11, 13))}时${end.slice(14, 16)}分`;
  return `${textDateTime(start)}至${textDateTime(end)}`;
}

const UPPER = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** Amounts in capitals as financial documents write them: 50000 → 伍万元整, 1234.5 → 壹仟贰佰叁拾肆元伍角. */
export function rmbUppercase(amount: number): string {
  const cents = Math.round(amount * 100);
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`金额超出范围：${amount}`);
  const yuan = Math.floor(cents / 100);
  const jiao = Math.floor(cents / 10) % 10;
  const fen = cents % 10;
  let out = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let v = yuan; v > 0; v = Math.floor(v / 10000)) groups.unshift(v % 10000);
    let zero = false;
    groups.forEach((g, gi) => {
      const big = BIG_UNITS[groups.length - 1 - gi]!;
      if (g === 0) {
        zero = out !== '';
        return;
      }
      for (let pos = 3; pos >= 0; pos--) {
        const d = Math.floor(g / 10 ** pos) % 10;
        if (d === 0) {
          if (out !== '') zero = true;
          continue;
        }
        if (zero) out += '零';
        zero = false;
        out += UPPER[d]! + SMALL_UNITS[pos]!;
      }
      out += big;
    });
    out += '元';
  }
  if (jiao === 0 && fen === 0) return (out || '零元') + '整';
  if (jiao > 0) out += `${UPPER[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (fen > 0) out += `${UPPER[fen]}分`;
  return out;
}

/** 50000 → ¥50,000.00 */
export function rmbFigures(amount: number): string {
  const [int, dec] = amount.toFixed(2).split('.');
  return `¥${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

const ORDINALS = (i: number) => `（${chineseNumber(i + 1)}）`;

// ---------------------------------------------------------------------------------------------
// Shared wording.

const BLANK_DATE = '　　　　年　　月　　日';

export function partyFields(p: Party, label = '当事人'): Block[] {
  const idLabel = p.type === 'organization' ? ((p.idType ?? 'credit_code') === 'credit_code' ? '统一社会信用代码' : '证照号码') : (p.idType ?? 'id_card') === 'id_card' ? '身份证号码' : '身份证件号码';
  const out: Block[] = [
    { kind: 'field', label, value: p.name },
    { kind: 'field', label: idLabel, value: p.idNumber },
    { kind: 'field', label: p.type === 'organization' ? '住所' : '住址', value: p.address },
  ];
  if (p.legalRepresentative) out.push({ kind: 'field', label: p.type === 'organization' ? '法定代表人（负责人）' : '经营者', value: p.legalRepresentative });
  if (p.phone) out.push({ kind: 'field', label: '联系电话', value: p.phone });
  return out;
}

export function penaltyText(p: Penalty): string {
  const money = p.amount !== undefined ? `人民币${rmbUppercase(p.amount)}（${rmbFigures(p.amount)}）` : '';
  switch (p.kind) {
    case '罚款':
    case '没收违法所得':
      return `${p.kind}${money}${p.detail ? `，${p.detail}` : ''}`;
    case '没收非法财物':
      return `没收非法财物：${p.detail}${p.amount !== undefined ? `（价值${money}）` : ''}`;
    default:
      return p.detail ? `${p.kind}：${p.detail}` : p.kind;
  }
}

const penaltyParas = (ps: Penalty[]): Block[] => ps.map((p, i) => ({ kind: 'para', indent: true, text: `${ORDINALS(i)}${penaltyText(p)}${i === ps.length - 1 ? '。' : '；'}` }));

const evidenceParas = (evidence: string[]): Block[] => evidence.map((e, i) => ({ kind: 'para', indent: true, text: `${i + 1}. ${e}${/[。；;.]$/.test(e) ? '' : i === evidence.length - 1 ? '。' : '；'}` }));

export const remediesText = (r: Remedies, who = '当事人', what = '本决定') =>
  `${who}如不服${what}，可以在收到本决定书之日起六十日内向${r.reviewBody}申请行政复议，也可以在六个月内依法向${r.court}提起行政诉讼。`;

export const officerList = (os: Officer[]) => os.map((o) => `${o.name}（执法证号：${o.certificateNumber}）`).join('、');

const sentence = (s: string) => (/[。！？；.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`);
const stripEnd = (s: string) => s.trim().replace(/[。；，,.;]+$/, '');
const found = (s: string) => (/^(经查|经调查|经核查|现查明)/.test(s.trim()) ? sentence(s) : `经查，${sentence(s)}`);
const paras = (s: string, indent = true): Block[] =>
  s
    .split(/\n+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => ({ kind: 'para', text: t, indent }));

export function itemsTable(items: Item[]): Block {
  return {
    kind: 'table',
    headers: ['序号', '名称', '规格型号', '数量', '备注'],
    widths: [10, 32, 20, 13, 25],
    align: ['center', 'left', 'left', 'center', 'left'],
    rows: items.map((it, i) => [String(i + 1), it.name, it.specification ?? '', it.quantity, it.remarks ?? '']),
  };
}

const yesNo = (b: boolean) => (b ? '是' : '否');

// ---------------------------------------------------------------------------------------------
// One composer per document.

interface Ctx {
  agency: string;
  date: string;
  number?: string;
}

type Composer<T extends DocumentType> = (v: DocumentFields<T>, c: Ctx) => { blocks: Block[]; pageFooter?: string; numberLabel?: string };

const seal = (c: Ctx): Block => ({ kind: 'seal', agency: c.agency, date: c.date });

const composers: { [T in DocumentType]: Composer<T> } = {
  filing_approval: (v, c) => ({
    blocks: [
      {
        kind: 'grid',
        widths: [18, 32, 18, 32],
        rows: [
          [{ text: '案件来源', label: true }, { text: v.caseSource }, { text: '线索发现日期', label: true }, { text: textDate(v.clueReceivedOn) }],
          [{ text: '案由', label: true }, { text: v.cause, span: 3 }],
          ...partyGrid(v.party),
          [{ text: '简要案情', label: true }, { text: v.summary, span: 3, minLines: 4 }],
          [{ text: '立案理由及依据', label: true }, { text: v.filingReason, span: 3, minLines: 2 }],
          [{ text: '承办人意见', label: true }, { text: v.handlerOpinion, span: 3, minLines: 3, sign: `承办人：${v.handlers.map((h) => h.name).join('　')}　　${c.date}` }],
          [{ text: '承办机构意见', label: true }, { text: v.departmentOpinion ?? '', span: 3, minLines: 3, sign: `签名：　　　　　　${BLANK_DATE}` }],
          [
            { text: '执法机关负责人审批意见', label: true },
            { text: v.approverOpinion ?? '', span: 3, minLines: 3, sign: `签名：${v.approver ?? '　　　　　　'}　　${v.approvedOn ? chineseDate(v.approvedOn) : BLANK_DATE}` },
          ],
          [{ text: '备注', label: true }, { text: v.remarks ?? '', span: 3 }],
        ],
      },
    ],
  }),

  inspection_record: (v, c) => ({
    numberLabel: v.caseNumber,
    pageFooter: '被检查人（现场负责人）签名：　　　　　　　　检查人员签名：',
    blocks: [
      { kind: 'field', label: '检查（勘验）时间', value: timeRange(v.startAt, v.endAt) },
      { kind: 'field', label: '检查（勘验）地点', value: v.place },
      ...partyFields(v.party, '被检查人'),
      { kind: 'field', label: '现场负责人', value: [v.onSitePerson.name, v.onSitePerson.position && `职务：${v.onSitePerson.position}`, v.onSitePerson.phone && `联系电话：${v.onSitePerson.phone}`].filter(Boolean).join('　') },
      { kind: 'field', label: '检查人员', value: officerList(v.inspectors) },
      { kind: 'field', label: '记录人', value: v.recorder },
      {
        kind: 'para',
        text: `告知事项：我们是${c.agency}的执法人员，已向你出示执法证件。现依法进行检查（勘验），请予配合，如实提供有关情况和材料。执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避。`,
      },
      { kind: 'field', label: '是否申请回避', value: yesNo(v.recusalRequested) },
      { kind: 'field', label: '检查（勘验）情况', value: '' },
      ...paras(v.findings),
      ...(v.witnesses ? [{ kind: 'field', label: '见证人', value: v.witnesses } as Block] : []),
      ...(v.avRecordRef ? [{ kind: 'field', label: '音像记录编号', value: v.avRecordRef } as Block] : []),
      { kind: 'field', label: '被检查人意见', value: v.partyOpinion || '以上笔录我已看过，与事实相符。' },
      {
        kind: 'signatures',
        lines: [
          `被检查人（现场负责人）签名：　　　　　　　　${BLANK_DATE}`,
          `检查人员签名：　　　　　　　　　　　　　　　${BLANK_DATE}`,
          `记录人签名：　　　　　　　　　　　　　　　　${BLANK_DATE}`,
          ...(v.witnesses ? [`见证人签名：　　　　　　　　　　　　　　　　${BLANK_DATE}`] : []),
        ],
      },
    ],
  }),

  inquiry_record: (v, c) => ({
    numberLabel: v.caseNumber,
    pageFooter: '被询问人签名：　　　　　　　　询问人签名：',
    blocks: [
      { kind: 'field', label: '询问时间', value: timeRange(v.startAt, v.endAt) },
      { kind: 'field', label: '询问地点', value: v.place },
      { kind: 'field', label: '询问人', value: officerList(v.interviewers) },
      { kind: 'field', label: '记录人', value: v.recorder },
      {
        kind: 'field',
        label: '被询问人',
        value: [v.interviewee.name, v.interviewee.gender && `性别：${v.interviewee.gender}`, v.interviewee.idNumber && `身份证件号码：${v.interviewee.idNumber}`].filter(Boolean).join('　'),
      },
      ...(v.interviewee.employer || v.interviewee.position
        ? [{ kind: 'field', label: '工作单位及职务', value: [v.interviewee.employer, v.interviewee.position].filter(Boolean).join('　') } as Block]
        : []),
      ...(v.interviewee.address ? [{ kind: 'field', label: '住址', value: v.interviewee.address } as Block] : []),
      ...(v.interviewee.phone ? [{ kind: 'field', label: '联系电话', value: v.interviewee.phone } as Block] : []),
      ...(v.interviewee.relation ? [{ kind: 'field', label: '与当事人关系', value: v.interviewee.relation } as Block] : []),
      {
        kind: 'para',
        text: `告知事项：我们是${c.agency}的执法人员，已向你出示执法证件。现就有关问题依法向你询问，你应当如实回答，不得作伪证或者隐匿证据。询问人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避。`,
      },
      { kind: 'field', label: '是否申请回避', value: yesNo(v.recusalRequested) },
      { kind: 'qa', items: v.qa },
      ...(v.avRecordRef ? [{ kind: 'field', label: '音像记录编号', value: v.avRecordRef } as Block] : []),
      { kind: 'field', label: '被询问人核对意见', value: v.intervieweeConfirmation || '以上笔录我看过（或者已向我宣读过），和我说的相符。' },
      {
        kind: 'signatures',
        lines: [`被询问人签名：　　　　　　　　　　${BLANK_DATE}`, `询问人签名：　　　　　　　　　　　${BLANK_DATE}`, `记录人签名：　　　　　　　　　　　${BLANK_DATE}`],
      },
    ],
  }),

  evidence_preservation_notice: (v, c) => ({
    blocks: [
      ...partyFields(v.party),
      {
        kind: 'para',
        indent: true,
        text: `你（单位）涉嫌${stripEnd(v.suspectedViolation)}。${sentence(v.reasons)}经本机关负责人批准，依据${stripEnd(v.legalBasis)}的规定，本机关决定对你（单位）的下列物品予以先行登记保存（清单附后），保存方式为${v.storageMethod}，保存地点为${v.storagePlace}。`,
      },
      { kind: 'para', indent: true, text: '在先行登记保存期间，你（单位）或者有关人员不得损毁、销毁或者转移证据。本机关将在七日内依法作出处理决定。' },
      { kind: 'para', indent: true, text: `联系人：${v.contactPerson}　　联系电话：${v.contactPhone}` },
      seal(c),
      { kind: 'heading', text: '先行登记保存物品清单' },
      itemsTable(v.items),
      { kind: 'signatures', lines: [`当事人签名（盖章）：　　　　　　　　${BLANK_DATE}`, `执法人员签名：　　　　　　　　　　　${BLANK_DATE}`] },
    ],
  }),

  seizure_decision: (v, c) => {
    const days = Math.round((Date.parse(v.endDate) - Date.parse(v.startDate)) / 86_400_000) + 1;
    const m = v.measure;
    return {
      blocks: [
        ...partyFields(v.party),
        ...paras(found(v.facts)),
        ...paras(sentence(v.reasons)),
        {
          kind: 'para',
          indent: true,
          text: `依据${stripEnd(v.legalBasis)}的规定，本机关决定对你（单位）的下列场所、设施、财物予以${m}（清单附后）。${m}期限自${textDate(v.startDate)}起至${textDate(v.endDate)}止，共${chineseNumber(days)}日。被${m}的场所、设施、财物的保管：${stripEnd(v.custody)}。`,
        },
        {
          kind: 'para',
          indent: true,
          text: `在${m}期间，你（单位）不得${m === '查封' ? '擅自启封、使用、转移、损毁' : '转移、隐匿、损毁'}被${m}的场所、设施、财物。对物品需要进行检测、检验、检疫或者技术鉴定的，${m}的期间不包括检测、检验、检疫或者技术鉴定的期间，本机关将书面告知你（单位）。`,
        },
        { kind: 'para', indent: true, text: remediesText(v.remedies, '你（单位）', '本决定') },
        seal(c),
        { kind: 'heading', text: `${m}场所、设施、财物清单` },
        itemsTable(v.items),
        { kind: 'signatures', lines: [`当事人签名（盖章）：　　　　　　　　${BLANK_DATE}`, `执法人员签名：　　　　　　　　　　　${BLANK_DATE}`] },
      ],
    };
  },

  seizure_record: (v, c) => ({
    numberLabel: v.caseNumber,
    pageFooter: `当事人签名：　　　　　　　　执法人员签名：${v.partyPresent ? '' : '　　　　　　　　见证人签名：'}`,
    blocks: [
      { kind: 'field', label: '时间', value: timeRange(v.startAt, v.endAt) },
      { kind: 'field', label: '地点', value: v.place },
      ...partyFields(v.party),
      { kind: 'field', label: '当事人是否到场', value: v.partyPresent ? `是${v.partyRepresentative ? `（到场人员：${v.partyRepresentative}）` : ''}` : '否' },
      { kind: 'field', label: '执法人员', value: officerList(v.officers) },
      { kind: 'field', label: '记录人', value: v.recorder },
      { kind: 'field', label: '批准情况', value: v.approval },
      {
        kind: 'para',
        text: `告知事项：我们是${c.agency}的执法人员，已向你出示执法证件。现依法对有关场所、设施、财物实施${v.measure}，已当场告知你采取行政强制措施的理由、依据以及你依法享有的陈述、申辩权利和申请行政复议、提起行政诉讼的救济途径。`,
      },
      { kind: 'field', label: '当事人陈述、申辩', value: v.partyStatement || '当事人未提出陈述、申辩。' },
      { kind: 'field', label: '现场情况', value: '' },
      ...paras(v.proceedings),
      ...(v.items.length ? [{ kind: 'heading', text: `${v.measure}场所、设施、财物清单` } as Block, itemsTable(v.items)] : []),
      { kind: 'field', label: '音像记录编号', value: v.avRecordRef },
      ...(v.witnesses ? [{ kind: 'field', label: '见证人', value: v.witnesses } as Block] : []),
      {
        kind: 'signatures',
        lines: [
          `当事人签名：　　　　　　　　　　　${BLANK_DATE}`,
          `执法人员签名：　　　　　　　　　　${BLANK_DATE}`,
          `记录人签名：　　　　　　　　　　　${BLANK_DATE}`,
          ...(v.witnesses || !v.partyPresent ? [`见证人签名：　　　　　　　　　　　${BLANK_DATE}`] : []),
        ],
      },
    ],
  }),

  prior_notice: (v, c) => {
    const hearing = v.hearingApplicable;
    const n = chineseNumber(v.statementDeadlineDays);
    return {
      blocks: [
        ...partyFields(v.party),
        ...paras(found(v.facts)),
        { kind: 'para', indent: true, text: '以上事实，有下列证据证明：' },
        ...evidenceParas(v.evidence),
        { kind: 'para', indent: true, text: `本机关认为：${sentence(v.reasons)}当事人的上述行为违反了${stripEnd(v.violatedProvisions)}的规定。` },
        { kind: 'para', indent: true, text: `裁量情况：${sentence(v.discretion)}` },
        { kind: 'para', indent: true, text: `依据${stripEnd(v.penaltyBasis)}的规定，本机关拟对当事人作出如下行政处罚：` },
        ...penaltyParas(v.proposedPenalties),
        {
          kind: 'para',
          indent: true,
          text:
            `根据《中华人民共和国行政处罚法》第四十四条、第四十五条${hearing ? '、第六十三条、第六十四条' : ''}的规定，当事人享有陈述、申辩${hearing ? '和要求听证' : ''}的权利。` +
            `当事人可以自收到本告知书之日起${n}个工作日内向本机关提出陈述、申辩意见${hearing ? '；对拟作出的上述行政处罚，当事人有权要求举行听证，要求听证的，应当自收到本告知书之日起五日内向本机关提出' : ''}。` +
            `逾期未提出陈述、申辩${hearing ? '或者未要求听证' : ''}的，视为放弃上述权利。`,
        },
        { kind: 'para', indent: true, text: '本机关将充分听取当事人的意见，对当事人提出的事实、理由和证据进行复核；当事人提出的事实、理由或者证据成立的，本机关将予以采纳。本机关不因当事人陈述、申辩而给予更重的处罚。' },
        { kind: 'para', indent: true, text: `联系人：${v.contactPerson}　　联系电话：${v.contactPhone}${v.agencyAddress ? `　　地址：${v.agencyAddress}` : ''}` },
        seal(c),
      ],
    };
  },

  hearing_notice: (v, c) => ({
    blocks: [
      ...partyFields(v.party),
      {
        kind: 'para',
        indent: true,
        text: `根据你（单位）于${textDate(v.hearingRequestedOn)}提出的听证要求，本机关决定于${textDateTime(v.hearingAt)}在${v.place}就${stripEnd(v.cause)}${v.publicHearing ? '公开' : '不公开'}举行听证${v.publicHearing ? '' : `（不公开举行的理由：${stripEnd(v.closedReason ?? '')}）`}。`,
      },
      {
        kind: 'para',
        indent: true,
        text: `本次听证由${v.presidingOfficer}担任主持人${v.hearingOfficers?.length ? `，${v.hearingOfficers.join('、')}担任听证员` : ''}，${v.clerk}担任记录员。你（单位）认为主持人、听证员或者记录员与本案有直接利害关系或者有其他关系可能影响公正执法的，有权申请回避，并应当在听证开始前提出并说明理由。`,
      },
      {
        kind: 'para',
        indent: true,
        text: '你（单位）可以亲自参加听证，也可以委托一至二人代理；委托代理人参加听证的，应当提交载明委托事项和权限的授权委托书。请携带身份证明、营业执照等主体资格证明及有关证据材料按时参加。听证中，你（单位）有权进行申辩和质证，并可以作最后陈述。',
      },
      { kind: 'para', indent: true, text: '你（单位）无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。' },
      { kind: 'para', indent: true, text: `联系人：${v.contactPerson}　　联系电话：${v.contactPhone}` },
      seal(c),
    ],
  }),

  hearing_record: (v) => ({
    numberLabel: v.caseNumber,
    pageFooter: '当事人（代理人）签名：　　　　　　　　主持人签名：',
    blocks: [
      { kind: 'field', label: '案由', value: v.cause },
      { kind: 'field', label: '听证时间', value: timeRange(v.startAt, v.endAt) },
      { kind: 'field', label: '听证地点', value: v.place },
      { kind: 'field', label: '听证方式', value: v.publicHearing ? '公开' : '不公开' },
      { kind: 'field', label: '主持人', value: v.presidingOfficer },
      ...(v.hearingOfficers?.length ? [{ kind: 'field', label: '听证员', value: v.hearingOfficers.join('、') } as Block] : []),
      { kind: 'field', label: '记录员', value: v.clerk },
      ...partyFields(v.party),
      { kind: 'field', label: '当事人及其委托代理人', value: v.partyAttendees },
      { kind: 'field', label: '案件调查人员', value: officerList(v.investigators) },
      {
        kind: 'para',
        text: '主持人宣布听证纪律，核对听证参加人身份，宣布案由和听证主持人、听证员、记录员名单，告知当事人在听证中的权利和义务，询问当事人是否申请回避。',
      },
      { kind: 'field', label: '当事人是否申请回避', value: yesNo(v.recusalRequested) },
      { kind: 'field', label: '调查人员提出的违法事实、证据、处罚依据和处罚建议', value: '' },
      ...paras(v.investigatorStatement),
      { kind: 'field', label: '当事人陈述、申辩和质证意见', value: '' },
      ...paras(v.partyStatement),
      ...(v.debate ? [{ kind: 'field', label: '辩论情况', value: '' } as Block, ...paras(v.debate)] : []),
      { kind: 'field', label: '当事人最后陈述', value: v.finalStatement },
      ...(v.avRecordRef ? [{ kind: 'field', label: '音像记录编号', value: v.avRecordRef } as Block] : []),
      { kind: 'para', text: '以上笔录经当事人（代理人）核对无误。' },
      {
        kind: 'signatures',
        lines: [
          `当事人（代理人）签名：　　　　　　　${BLANK_DATE}`,
          `案件调查人员签名：　　　　　　　　　${BLANK_DATE}`,
          `主持人、听证员签名：　　　　　　　　${BLANK_DATE}`,
          `记录员签名：　　　　　　　　　　　　${BLANK_DATE}`,
        ],
      },
    ],
  }),

  penalty_decision: (v, c) => {
    const blocks: Block[] = [
      ...partyFields(v.party),
      ...paras(v.caseHistory),
      ...paras(found(v.facts)),
      { kind: 'para', indent: true, text: '上述事实，有下列证据证明：' },
      ...evidenceParas(v.evidence),
      { kind: 'para', indent: true, text: `当事人的陈述、申辩或者听证意见：${sentence(v.partyStatement)}` },
      { kind: 'para', indent: true, text: `本机关对当事人意见的采纳情况及理由：${sentence(v.statementResponse)}` },
      { kind: 'para', indent: true, text: `本机关认为：${sentence(v.reasons)}当事人的上述行为违反了${stripEnd(v.violatedProvisions)}的规定。` },
      { kind: 'para', indent: true, text: `裁量情况：${sentence(v.discretion)}` },
      ...(v.legalReview ? [{ kind: 'para', indent: true, text: sentence(v.legalReview) } as Block] : []),
      { kind: 'para', indent: true, text: `依据${stripEnd(v.penaltyBasis)}的规定，本机关决定对当事人作出如下行政处罚：` },
      ...penaltyParas(v.penalties),
    ];
    if (v.payment) {
      blocks.push({
        kind: 'para',
        indent: true,
        text: `当事人应当自收到本决定书之日起${chineseNumber(v.payment.deadlineDays)}日内，${stripEnd(v.payment.method)}${v.payment.account ? `（${stripEnd(v.payment.account)}）` : ''}缴纳罚没款。到期不缴纳罚款的，本机关可以依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。`,
      });
    }
    blocks.push(
      { kind: 'para', indent: true, text: `${remediesText(v.remedies, '当事人', '本行政处罚决定')}申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。` },
      seal(c),
    );
    return { blocks };
  },

  no_penalty_decision: (v, c) => ({
    blocks: [
      ...partyFields(v.party),
      ...paras(v.caseHistory),
      ...paras(found(v.facts)),
      { kind: 'para', indent: true, text: '上述事实，有下列证据证明：' },
      ...evidenceParas(v.evidence),
      { kind: 'para', indent: true, text: `本机关认为：${sentence(v.reasons)}当事人的情形属于${v.ground}。` },
      { kind: 'para', indent: true, text: `依据${stripEnd(v.legalBasis)}的规定，本机关决定对当事人不予行政处罚。` },
      ...(v.education ? paras(v.education) : []),
      { kind: 'para', indent: true, text: remediesText(v.remedies, '当事人', '本决定') },
      seal(c),
    ],
  }),

  service_receipt: (v, c) => ({
    numberLabel: v.caseNumber,
    blocks: [
      {
        kind: 'grid',
        widths: [22, 28, 20, 30],
        rows: [
          [{ text: '送达文书名称及文号', label: true }, { text: v.documents.map((d) => `《${d.title}》${d.number ? `（${d.number}）` : ''}`).join('\n'), span: 3, minLines: 2 }],
          [{ text: '受送达人', label: true }, { text: v.recipient, span: 3 }],
          [{ text: '送达地点', label: true }, { text: v.place, span: 3 }],
          [{ text: '送达方式', label: true }, { text: v.method }, { text: '送达时间', label: true }, { text: textDateTime(v.servedAt) }],
          [{ text: '送达人', label: true }, { text: v.servers.join('、') }, { text: '签收人', label: true }, { text: v.receiver ?? '' }],
          [{ text: '受送达人签名（盖章）', label: true }, { text: '', span: 3, minLines: 2, sign: BLANK_DATE }],
          ...(v.method === '留置送达' ? [[{ text: '拒收事由', label: true }, { text: v.refusalReason ?? '', span: 3 }]] : []),
          [{ text: '见证人', label: true }, { text: v.witness ?? '' }, { text: '音像记录编号', label: true }, { text: v.avRecordRef ?? '' }],
          [{ text: '备注', label: true }, { text: v.remarks ?? '', span: 3 }],
        ],
      },
      seal(c),
    ],
  }),

  closing_approval: (v, c) => ({
    numberLabel: v.caseNumber,
    blocks: [
      {
        kind: 'grid',
        widths: [18, 32, 18, 32],
        rows: [
          [{ text: '案由', label: true }, { text: v.cause, span: 3 }],
          ...partyGrid(v.party),
          [{ text: '立案日期', label: true }, { text: textDate(v.filedOn) }, { text: '处理决定文号', label: true }, { text: v.decisionNumber ?? '' }],
          [{ text: '处理结果', label: true }, { text: v.decisionSummary, span: 3, minLines: 2 }],
          [{ text: '执行情况', label: true }, { text: v.execution, span: 3, minLines: 2 }],
          [{ text: '结案理由', label: true }, { text: v.closingReason, span: 3 }],
          [{ text: '承办人意见', label: true }, { text: v.handlerOpinion, span: 3, minLines: 3, sign: `承办人：${v.handlers.map((h) => h.name).join('　')}　　${c.date}` }],
          [{ text: '承办机构意见', label: true }, { text: v.departmentOpinion ?? '', span: 3, minLines: 3, sign: `签名：　　　　　　${BLANK_DATE}` }],
          [
            { text: '执法机关负责人审批意见', label: true },
            { text: v.approverOpinion ?? '', span: 3, minLines: 3, sign: `签名：${v.approver ?? '　　　　　　'}　　${v.approvedOn ? chineseDate(v.approvedOn) : BLANK_DATE}` },
          ],
          [{ text: '备注', label: true }, { text: v.remarks ?? '', span: 3 }],
        ],
      },
    ],
  }),

  case_file_cover: (v) => ({
    blocks: [
      {
        kind: 'grid',
        large: true,
        widths: [20, 30, 20, 30],
        rows: [
          [{ text: '案卷题名', label: true }, { text: v.caseTitle, span: 3 }],
          [{ text: '案号', label: true }, { text: v.caseNumber, span: 3 }],
          [{ text: '当事人', label: true }, { text: v.party, span: 3 }],
          [{ text: '立案日期', label: true }, { text: textDate(v.filedOn) }, { text: '结案日期', label: true }, { text: textDate(v.closedOn) }],
          [{ text: '处理结果', label: true }, { text: v.result, span: 3 }],
          [{ text: '保管期限', label: true }, { text: v.retention }, { text: '件数页数', label: true }, { text: `本卷共${v.documentCount}件${v.pageCount}页` }],
          [{ text: '全宗号', label: true }, { text: v.fondsNumber ?? '' }, { text: '目录号', label: true }, { text: v.catalogNumber ?? '' }],
          [{ text: '案卷号', label: true }, { text: v.volumeNumber ?? '' }, { text: '归档日期', label: true }, { text: v.archivedOn ? textDate(v.archivedOn) : '' }],
          [{ text: '立卷人', label: true }, { text: v.compiler }, { text: '检查人', label: true }, { text: v.checker ?? '' }],
        ],
      },
    ],
  }),

  case_file_index: (v) => ({
    numberLabel: v.caseNumber,
    blocks: [
      {
        kind: 'table',
        headers: ['序号', '文号', '责任者', '题名', '日期', '页号', '备注'],
        widths: [6, 21, 18, 30, 12, 8, 5],
        align: ['center', 'left', 'left', 'left', 'center', 'center', 'left'],
        // Archive catalogues write dates as eight digits (DA/T 22).
        rows: v.entries.map((e, i) => [String(i + 1), e.number ?? '', e.author, e.title, e.date.replaceAll('-', ''), e.pages, e.remarks ?? '']),
      },
    ],
  }),
};

function partyGrid(p: Party): GridCell[][] {
  const org = p.type === 'organization';
  return [
    [{ text: org ? '当事人名称' : '当事人姓名', label: true }, { text: p.name, span: 3 }],
    [
      { text: org ? '统一社会信用代码' : '身份证件号码', label: true },
      { text: p.idNumber },
      { text: org ? '法定代表人（负责人）' : '联系电话', label: true },
      { text: org ? p.legalRepresentative ?? '' : p.phone ?? '' },
    ],
    [{ text: org ? '住所' : '住址', label: true }, { text: p.address, span: org ? 1 : 3 }, ...(org ? [{ text: '联系电话', label: true }, { text: p.phone ?? '' }] : [])],
  ];
}

/** Validates the fields and composes the document's text and layout. */
export function composeDocument(input: DocumentInput): ComposedDocument {
  const def = documentDefinition(input.type);
  const fields = parseDocumentFields(input.type, input.fields, { issuedOn: input.issuedOn });
  const ctx: Ctx = { agency: input.agencyName, date: chineseDate(input.issuedOn), number: input.number };
  const out = (composers[input.type] as Composer<DocumentType>)(fields as never, ctx);
  const letter = def.layout === 'letter';
  const cover = def.layout === 'cover';
  const caseNumber = out.numberLabel ?? input.number;
  return {
    type: input.type,
    layout: def.layout,
    title: def.title,
    agencyName: input.agencyName,
    headingLines: letter || cover ? [input.agencyName, def.printedTitle] : [def.printedTitle],
    numberLine: letter ? (input.number ? { text: input.number, align: 'center' } : undefined) : caseNumber && !cover ? { text: `案号：${caseNumber}`, align: 'right' } : undefined,
    blocks: out.blocks,
    pageFooter: out.pageFooter,
    issuedOn: input.issuedOn,
    qrUrl: input.qrUrl,
  };
}

/** Every character a composed document prints (for font subsetting). */
export function documentText(doc: ComposedDocument): { regular: string; bold: string } {
  const regular: string[] = [doc.numberLine?.text ?? '', doc.pageFooter ?? '', '第页共扫码核验0123456789 —（续）　'];
  const bold: string[] = [...doc.headingLines];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'para':
        (b.bold ? bold : regular).push(b.text);
        break;
      case 'field':
        regular.push(b.label, '：', b.value);
        break;
      case 'heading':
        bold.push(b.text);
        break;
      case 'grid':
        for (const row of b.rows) for (const c of row) (c.label ? bold : regular).push(c.text, c.sign ?? '');
        for (const row of b.rows) for (const c of row) if (c.label) regular.push(c.text);
        break;
      case 'table':
        bold.push(...b.headers);
        for (const r of b.rows) regular.push(...r);
        break;
      case 'qa':
        regular.push('问：答');
        for (const x of b.items) regular.push(x.q, x.a);
        break;
      case 'signatures':
        regular.push(...b.lines);
        break;
      case 'seal':
        regular.push(b.agency, b.date);
        break;
      case 'space':
        break;
    }
  }
  return { regular: regular.join(''), bold: bold.join('') };
}
