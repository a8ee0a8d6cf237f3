// Discretion benchmarks (裁量基准) as versioned rule data, like the major-decision catalog and the
// AV-record lists: per issuer (ministry, province, agency), per violation, with effective dates. The
// arithmetic of the bands follows the guidance the reference quotes (supervision.md §5.1): ranges and
// multiples split 30/40/30 between 从轻, 一般 and 从重; a maximum-only fine has 从轻 ≤ 20 % and 一般
// 40–60 % of the maximum; 减轻 is below the statutory minimum; 不予处罚 is nothing. 行政处罚法第三十四条:
// benchmarks must be published, so only `published` ones are used or listed.
import { VIOLATIONS, type LegalRange, type Violation } from './library.ts';

export const LEVELS = ['不予处罚', '减轻', '从轻', '一般', '从重'] as const;
export type Level = (typeof LEVELS)[number];

export interface Circumstance {
  code: string;
  label: string;
  effect: 'lighter' | 'heavier' | 'exempt';
  basis: string;
}

const XZCF = '《中华人民共和国行政处罚法》';
export const CIRCUMSTANCES: readonly Circumstance[] = [
  { code: 'M1', label: '主动消除或者减轻违法行为危害后果', effect: 'lighter', basis: `${XZCF}第三十二条第（一）项` },
  { code: 'M2', label: '受他人胁迫或者诱骗实施违法行为', effect: 'lighter', basis: `${XZCF}第三十二条第（二）项` },
  { code: 'M3', label: '主动供述行政机关尚未掌握的违法行为', effect: 'lighter', basis: `${XZCF}第三十二条第（三）项` },
  { code: 'M4', label: '配合行政机关查处违法行为有立功表现', effect: 'lighter', basis: `${XZCF}第三十二条第（四）项` },
  { code: 'M5', label: '货值金额或者违法所得较小，且积极配合调查', effect: 'lighter', basis: '裁量基准' },
  { code: 'F1', label: '初次违法（二年内无同类违法行为）', effect: 'exempt', basis: `${XZCF}第三十三条第一款` },
  { code: 'F2', label: '危害后果轻微', effect: 'exempt', basis: `${XZCF}第三十三条第一款` },
  { code: 'F3', label: '及时改正', effect: 'exempt', basis: `${XZCF}第三十三条第一款` },
  { code: 'N1', label: '违法行为轻微，没有造成危害后果', effect: 'exempt', basis: `${XZCF}第三十三条第一款` },
  { code: 'A1', label: '一年内因同一种违法行为受过行政处罚', effect: 'heavier', basis: '裁量基准' },
  { code: 'A2', label: '涉及婴幼儿、老年人、病人、学生等特定人群', effect: 'heavier', basis: '裁量基准' },
  { code: 'A3', label: '拒不配合调查，或者转移、隐匿、销毁证据', effect: 'heavier', basis: '裁量基准' },
  { code: 'A4', label: '造成人身伤害或者较大社会影响', effect: 'heavier', basis: '裁量基准' },
];
export const CIRCUMSTANCE_CODES = CIRCUMSTANCES.map((c) => c.code);
const byCode = new Map(CIRCUMSTANCES.map((c) => [c.code, c]));
export const circumstance = (code: string) => byCode.get(code);

export interface LevelBand {
  level: Level;
  circumstances: string[];
  /** Yuan, or multiples of the range's base. */
  min: number;
  max: number;
}

export interface Benchmark {
  /** Stable key of this version: `<issuer key>.<violation code>.v<version>`. */
  id: string;
  issuer: string;
  issuerLevel: 'ministry' | 'province' | 'agency';
  /** Region-code prefix the issuer governs ('' for the whole country). */
  regionPrefix: string;
  /** The benchmark document this entry belongs to. */
  document: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  published: boolean;
  violationCode: string;
  levels: LevelBand[];
  /** 首违不罚: no same-kind violation within `lookbackMonths`, and the listed circumstances. */
  firstOffense: { lookbackMonths: number; requires: string[] } | null;
  /** 轻微免罚: the listed circumstances. */
  minorExempt: { requires: string[] } | null;
}

const LIGHTER = ['M1', 'M2', 'M3', 'M4', 'M5'];
const HEAVIER = ['A1', 'A2', 'A3', 'A4'];
const FIRST = ['F1', 'F2', 'F3'];
const MINOR = ['N1', 'F3'];

/** Rounds to whole yuan, or to hundredths of a multiple. */
function round(kind: LegalRange['kind'], x: number): number {
  return kind === 'multiple' ? Math.round(x * 100) / 100 : Math.round(x);
}

/**
 * The default bands of a statutory range (国市监法规〔2022〕2号 and the local 阶次 rules): the
 * boundaries between levels are shared (a band is closed at both ends).
 */
export function defaultBands(r: LegalRange, split: { light: number; heavy: number } = { light: 0.3, heavy: 0.7 }): LevelBand[] {
  const at = (f: number) => round(r.kind, r.min + (r.max - r.min) * f);
  const none: LevelBand = { level: '不予处罚', circumstances: [...FIRST, 'N1'], min: 0, max: 0 };
  switch (r.kind) {
    case 'fixed':
      return [none, { level: '减轻', circumstances: LIGHTER, min: 0, max: r.min }, { level: '一般', circumstances: [], min: r.min, max: r.max }];
    case 'maxOnly':
      return [
        none,
        { level: '从轻', circumstances: LIGHTER, min: 0, max: round(r.kind, r.max * 0.2) },
        { level: '一般', circumstances: [], min: round(r.kind, r.max * 0.4), max: round(r.kind, r.max * 0.6) },
        { level: '从重', circumstances: HEAVIER, min: round(r.kind, r.max * 0.6), max: r.max },
      ];
    case 'range':
    case 'multiple':
      return [
        none,
        ...(r.min > 0 ? [{ level: '减轻', circumstances: LIGHTER, min: 0, max: r.min } as LevelBand] : []),
        { level: '从轻', circumstances: LIGHTER, min: r.min, max: at(split.light) },
        { level: '一般', circumstances: [], min: at(split.light), max: at(split.heavy) },
        { level: '从重', circumstances: HEAVIER, min: at(split.heavy), max: r.max },
      ];
  }
}

export function violation(code: string): Violation | undefined {
  return VIOLATIONS.find((v) => v.code === code);
}

const PROVINCE = { issuer: '演示省市场监督管理局', issuerLevel: 'province', regionPrefix: '33' } as const;
const CITY = { issuer: '演示市市场监督管理局', issuerLevel: 'agency', regionPrefix: '3301' } as const;
const PROV_DOC_V1 = '《演示省市场监督管理行政处罚裁量基准（2023 年版）》（演示数据）';
const PROV_DOC_V2 = '《演示省市场监督管理行政处罚裁量基准（2026 年修订）》（演示数据）';
const CITY_DOC = '《演示市市场监督管理局行政处罚裁量基准细化标准》（演示数据）';

function entry(
  issuer: typeof PROVINCE | typeof CITY, key: string, document: string, version: number, effectiveFrom: string, effectiveTo: string | null, code: string,
  opts: { split?: { light: number; heavy: number }; firstOffense?: boolean; minor?: boolean } = {},
): Benchmark {
  const v = violation(code)!;
  return {
    id: `${key}.${code}.v${version}`, ...issuer, document, version, effectiveFrom, effectiveTo, published: true, violationCode: code,
    levels: defaultBands(v.range, opts.split),
    firstOffense: opts.firstOffense ? { lookbackMonths: 24, requires: FIRST } : null,
    minorExempt: opts.minor ? { requires: MINOR } : null,
  };
}

/**
 * The benchmarks in force and their history. Version 2 of the province's food benchmark narrows 从轻
 * to the lowest 20 % (a case filed before 2026-11-01 keeps version 1: the version is pinned at filing).
 * The city's 明码标价 benchmark is stricter than the province's (its bands lie inside them).
 */
export const BENCHMARKS: readonly Benchmark[] = [
  entry(PROVINCE, 'demo-prov', PROV_DOC_V1, 1, '2023-01-01', '2026-10-31', 'SP-124-5A'),
  entry(PROVINCE, 'demo-prov', PROV_DOC_V2, 2, '2026-11-01', null, 'SP-124-5A', { split: { light: 0.2, heavy: 0.7 } }),
  entry(PROVINCE, 'demo-prov', PROV_DOC_V1, 1, '2023-01-01', null, 'SP-124-5B'),
  entry(PROVINCE, 'demo-prov', PROV_DOC_V1, 1, '2023-01-01', null, 'SP-122-A'),
  entry(PROVINCE, 'demo-prov', PROV_DOC_V1, 1, '2023-01-01', null, 'JG-42', { firstOffense: true, minor: true }),
  entry(CITY, 'demo-city', CITY_DOC, 1, '2025-01-01', null, 'JG-42', { split: { light: 0.3, heavy: 0.7 }, firstOffense: true, minor: true }),
  entry(PROVINCE, 'demo-prov', PROV_DOC_V1, 1, '2023-01-01', null, 'JG-40-4', { firstOffense: true }),
].map((b) => (b.issuerLevel === 'agency' && b.violationCode === 'JG-42' ? { ...b, levels: stricterMaxOnly(violation('JG-42')!.range) } : b));

/** The city's 明码标价 bands: 从轻 to 10 %, 一般 40–60 %, 从重 from 70 %. */
function stricterMaxOnly(r: LegalRange): LevelBand[] {
  return defaultBands(r).map((l) => (l.level === '从轻' ? { ...l, max: Math.round(r.max * 0.1) } : l.level === '从重' ? { ...l, min: Math.round(r.max * 0.7) } : l));
}

export function benchmarkById(id: string): Benchmark | undefined {
  return BENCHMARKS.find((b) => b.id === id);
}

/**
 * The benchmark that governs a violation for an agency on a day: the most local issuer whose region
 * covers the agency (the agency's stricter one before the province's, the province's before the
 * ministry's), in the version in force that day.
 */
export function benchmarkFor(code: string, agencyRegion: string, on: string): Benchmark | undefined {
  return BENCHMARKS.filter((b) => b.published && b.violationCode === code && agencyRegion.startsWith(b.regionPrefix) && b.effectiveFrom <= on && (!b.effectiveTo || on <= b.effectiveTo))
    .sort((a, b) => b.regionPrefix.length - a.regionPrefix.length || b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}

/** A stricter benchmark keeps every band inside the wider issuer's band of the same level. */
export function bandsWithin(inner: Benchmark, outer: Benchmark): string[] {
  const out: string[] = [];
  for (const l of inner.levels) {
    const o = outer.levels.find((x) => x.level === l.level);
    if (!o) out.push(`${l.level}：上级基准无此阶次`);
    else if (l.min < o.min || l.max > o.max) out.push(`${l.level}：[${l.min}, ${l.max}] 超出上级基准 [${o.min}, ${o.max}]`);
  }
  return out;
}

export interface Proposal {
  level: Level;
  band: LevelBand;
  reasons: string[];
}

/**
 * The level the ticked circumstances lead to. 首违不罚 and 轻微免罚 when every condition is ticked (the
 * first-offence record is checked separately); heavier circumstances without lighter ones → 从重;
 * lighter without heavier → 从轻; both or none → 一般. 减轻 is never proposed: it needs a recorded ground.
 */
export function proposeLevel(b: Benchmark, circumstances: readonly string[]): Proposal {
  const has = (c: string) => circumstances.includes(c);
  const band = (l: Level) => b.levels.find((x) => x.level === l)!;
  if (b.firstOffense && b.firstOffense.requires.every(has)) return { level: '不予处罚', band: band('不予处罚'), reasons: ['首违不罚：初次违法、危害后果轻微并及时改正（行政处罚法第三十三条第一款）'] };
  if (b.minorExempt && b.minorExempt.requires.every(has)) return { level: '不予处罚', band: band('不予处罚'), reasons: ['轻微免罚：违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）'] };
  const light = circumstances.filter((c) => circumstance(c)?.effect === 'lighter');
  const heavy = circumstances.filter((c) => circumstance(c)?.effect === 'heavier');
  const label = (cs: string[]) => cs.map((c) => circumstance(c)!.label).join('、');
  const from = (l: Level) => b.levels.find((x) => x.level === l) ?? band('一般');
  if (heavy.length && !light.length) return { level: from('从重').level, band: from('从重'), reasons: [`从重情形：${label(heavy)}`] };
  if (light.length && !heavy.length) return { level: from('从轻').level, band: from('从轻'), reasons: [`从轻情形：${label(light)}`] };
  if (light.length && heavy.length) return { level: '一般', band: band('一般'), reasons: [`从轻情形（${label(light)}）与从重情形（${label(heavy)}）并存，按一般情形裁量`] };
  return { level: '一般', band: band('一般'), reasons: ['无从轻、从重情形'] };
}

/** The chosen amount as the unit of the range: yuan, or a multiple of the base amount. */
export function toUnit(r: LegalRange, amount: number, baseAmount: number | null): number {
  if (r.kind !== 'multiple') return amount;
  return Math.round((amount / baseAmount!) * 10000) / 10000;
}

export interface AmountCheck {
  /** Refusals: the decision cannot be made with this amount. */
  errors: { code: string; reason: string }[];
  /** Outside the level's band: allowed only with an approved deviation (调整适用). */
  outsideBand: boolean;
  value: number;
}

const fmt = (r: LegalRange, x: number) => (r.kind === 'multiple' ? `${x} 倍${r.base ?? ''}` : `${x.toLocaleString('zh-CN')} 元`);

/**
 * Rule 1 (supervision.md §5.3): outside the statutory range is refused, unless the level is 减轻 with a
 * recorded ground and the amount is below the minimum (never above the maximum). Rule 3: outside the
 * level's band needs an approved deviation.
 */
export function checkAmount(b: Benchmark, r: LegalRange, level: Level, amount: number, baseAmount: number | null, mitigationGround: string | null): AmountCheck {
  const errors: AmountCheck['errors'] = [];
  if (r.kind === 'multiple' && !(baseAmount && baseAmount > 0)) {
    return { errors: [{ code: 'base_amount_required', reason: `按${r.base ?? '基数'}的倍数处罚，须填写${r.base ?? '基数'}金额` }], outsideBand: false, value: 0 };
  }
  const value = toUnit(r, amount, baseAmount);
  const band = b.levels.find((l) => l.level === level);
  if (!band) return { errors: [{ code: 'level_unknown', reason: `该裁量基准没有“${level}”阶次` }], outsideBand: false, value };
  if (level === '不予处罚') {
    if (amount !== 0) errors.push({ code: 'fine_when_not_punished', reason: '不予处罚的，不得处以罚款' });
    return { errors, outsideBand: false, value };
  }
  if (value > r.max) errors.push({ code: 'outside_legal_range', reason: `罚款 ${fmt(r, value)} 高于法定上限 ${fmt(r, r.max)}` });
  else if (value < r.min) {
    if (level !== '减轻') errors.push({ code: 'outside_legal_range', reason: `罚款 ${fmt(r, value)} 低于法定下限 ${fmt(r, r.min)}：低于下限的只能是减轻处罚` });
    else if (!mitigationGround?.trim()) errors.push({ code: 'mitigation_ground_required', reason: '减轻处罚须记载法定减轻事由（行政处罚法第三十二条）' });
  }
  const outsideBand = value < band.min || value > band.max;
  return { errors, outsideBand, value };
}

export { fmt as formatAmount };
