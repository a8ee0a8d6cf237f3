// Synthetic registry data for tests, the demo and benchmarks: deterministic (same seed and options,
// same data), valid in form (every code passes codes.ts), and recognisably fake, so that demo data
// can never be mistaken for, or collide with, a real body or person:
//   - credit codes: the organisation code (positions 9–17) starts with FAKE. Codes are assigned by the
//     registration authorities and no authority spells words; anyone reading the code sees it.
//   - ID numbers: the address code is the province's own code (330000). GB 11643 puts the county of
//     residence there, so no resident has a province-level code (the only xx0000 codes in use are
//     810000/820000/830000 on residence permits of 港澳台 residents, never generated here).
//   - certificate numbers: 省简称 + issuing region code + 8-digit serial starting with 9 (浙330102 9 0000123
//     without spaces). The format is this platform's convention, documented so an import can tell them apart.
//   - office phones: area code + a local number starting with 0000, which no local number does.
// Names are ordinary Chinese names drawn at random; they cannot be marked, and they mean nobody.
import { completeCreditCode, CREDIT_CODE_CHARSET, idNumberCheckChar } from './codes.ts';
import { countyPlace, DEMO_CITY, DEMO_COUNTIES, PROVINCE_ABBREVIATIONS, regionByCode, regionFullName, type Region } from './regions.ts';
import { todayInShanghai } from '../platform/validation.ts';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32 seeded by cyrb128 (both public domain, by Chris Doty-Humphrey and bryc).
// Fast, 128-bit state, and the same sequence in every JavaScript engine: Math.random cannot be seeded.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

function cyrb128(s: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createRng(seed: string | number): Rng {
  let [a, b, c, d] = cyrb128(String(seed));
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in before the first value is used
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// Names

/** Common surnames, most frequent first (the order matters: earlier ones are drawn more often). */
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '邓', '冯', '曹', '彭', '曾', '肖', '田', '董', '潘', '袁', '蔡', '蒋', '余',
  '于', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '卢', '姚', '沈', '钟', '姜', '崔', '谭', '陆', '范', '汪', '廖',
  '石', '金', '韦', '贾', '夏', '付', '方', '邹', '熊', '白', '孟', '秦', '邱', '侯', '江', '尹', '薛', '闫', '段', '雷',
  '龙', '黎', '史', '陶', '贺', '毛', '郝', '顾', '龚', '邵', '万', '覃', '武', '钱', '戴', '严', '欧阳', '上官', '司马', '诸葛',
];
const GIVEN_MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋峰建国文博志海东晨阳昊然哲睿铭轩杰宏锋亮'.split('');
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞燕玲婷雪慧颖琳洁倩萍红梅琴云莉晶欣怡佳悦思雨诗梦晓丹璐瑶蕾薇岚媛菲彤妍馨'.split('');
const GIVEN_ANY = '子文一嘉安清天心可春秋金永新立正'.split('');

export type Gender = 'male' | 'female';

export function fakePersonName(rng: Rng, gender: Gender = rng.chance(0.5) ? 'male' : 'female'): { name: string; gender: Gender } {
  // Squaring a uniform draw favours the front of the list, roughly like the real surname frequencies.
  const surname = SURNAMES[Math.floor(rng.next() ** 2 * SURNAMES.length)]!;
  const pool = gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.3) ? rng.pick(pool) : (rng.chance(0.3) ? rng.pick(GIVEN_ANY) : rng.pick(pool)) + rng.pick(pool);
  return { name: surname + given, gender };
}

// ---------------------------------------------------------------------------------------------
// Codes

const FAKE_MARK = 'FAKE';

/** Four characters of the credit-code alphabet counting up from 0000, so small serials read as digits. */
function serial31(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 31 ** 4) throw new RangeError(`序号 ${n} 超出 0–${31 ** 4 - 1}`);
  let s = '';
  for (let i = 0; i < 4; i++) {
    s = CREDIT_CODE_CHARSET[n % 31]! + s;
    n = Math.floor(n / 31);
  }
  return s;
}

/**
 * A valid, fake credit code: registration authority and category (default 1 1, 机构编制 / 机关),
 * the region, FAKE + a serial, both check characters. Unique per (prefix, region, serial).
 */
export function fakeCreditCode(regionCode: string, serial: number, authorityAndCategory = '11'): string {
  return completeCreditCode(`${authorityAndCategory}${regionCode}${FAKE_MARK}${serial31(serial)}`);
}

export const isFakeCreditCode = (code: string) => code.slice(8, 12) === FAKE_MARK;

const BIRTH_FIRST = Date.UTC(1965, 0, 1) / 86_400_000;
const BIRTH_DAYS = Date.UTC(2000, 0, 1) / 86_400_000 - BIRTH_FIRST; // born 1965–1999
const BIRTH_STRIDE = 7919; // prime, not a factor of BIRTH_DAYS: spreads consecutive serials over the range

/**
 * A valid, fake ID number for serial n, unique for every n below about 6.3 million: birth day from
 * n mod the range, sequence from n div the range (odd for men, even for women as the standard says).
 */
export function fakeIdNumber(serial: number, gender: Gender, provinceCode = '33'): string {
  const k = Math.floor(serial / BIRTH_DAYS);
  if (!Number.isSafeInteger(serial) || serial < 0 || k > 498) throw new RangeError(`身份证序号 ${serial} 超出范围`);
  const birth = isoFromDays(BIRTH_FIRST + ((serial * BIRTH_STRIDE) % BIRTH_DAYS)).replaceAll('-', '');
  const seq = String(2 * k + (gender === 'male' ? 1 : 2)).padStart(3, '0');
  const first17 = `${provinceCode}0000${birth}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

export const isFakeIdNumber = (id: string) => id.slice(2, 6) === '0000';

/** 省简称 + issuing region + 9 + 7-digit serial, e.g. 浙33010290000123. */
export function fakeCertificateNumber(regionCode: string, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 0 || serial >= 10_000_000) throw new RangeError(`执法证序号 ${serial} 超出 0–9999999`);
  const abbr = PROVINCE_ABBREVIATIONS[regionCode.slice(0, 2)] ?? '证';
  return `${abbr}${regionCode}9${String(serial).padStart(7, '0')}`;
}

export const isFakeCertificateNumber = (n: string) => /^\p{Script=Han}\d{6}9\d{7}$/u.test(n);

/** An office number no exchange gives out (local numbers never start with 0). */
export function fakeOfficePhone(serial: number, areaCode = '0571'): string {
  return `${areaCode}-0000${String(serial % 10_000).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Agencies

export interface EnforcementField {
  key: string;
  /** 执法领域, stored in agencies.fields. */
  field: string;
  /** 执法类别 on the officers' certificates. */
  category: string;
  cityAgency: string;
  /** County-level name: a suffix after the county name, or a branch of the city bureau. */
  countyAgency: (city: Region, county: Region) => string;
  duties: string;
  legalBasis: string;
  /** Relative number of officers. */
  weight: number;
}

const own = (suffix: string) => (_city: Region, county: Region) => `${county.name}${suffix}`;
// Vertically managed fields (生态环境 since the 2016 reform, and 规划和自然资源 in Hangzhou) run county
// branches of the city bureau: 杭州市生态环境局上城分局.
const branch = (bureau: string) => (city: Region, county: Region) => `${city.name}${bureau}${county.name.replace(/[区县市]$/, '')}分局`;

export const ENFORCEMENT_FIELDS: readonly EnforcementField[] = [
  {
    key: 'market', field: '市场监管', category: '市场监管', cityAgency: '市场监督管理局', countyAgency: own('市场监督管理局'), weight: 5,
    duties: '负责本行政区域市场综合监督管理，查处市场主体登记、产品质量、食品安全、价格、广告等方面的违法行为。',
    legalBasis: '《中华人民共和国行政处罚法》《中华人民共和国食品安全法》《中华人民共和国产品质量法》',
  },
  {
    key: 'comprehensive', field: '综合行政执法', category: '综合行政执法', cityAgency: '综合行政执法局', countyAgency: own('综合行政执法局'), weight: 5,
    duties: '集中行使市容环境卫生、市政公用、城乡规划等领域的行政处罚权及相关行政检查、行政强制措施。',
    legalBasis: '《中华人民共和国行政处罚法》《浙江省综合行政执法条例》',
  },
  {
    key: 'ecology', field: '生态环境', category: '生态环境', cityAgency: '生态环境局', countyAgency: branch('生态环境局'), weight: 2,
    duties: '负责生态环境监督执法，查处大气、水、土壤、固体废物等污染环境的违法行为。',
    legalBasis: '《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》',
  },
  {
    key: 'transport', field: '交通运输', category: '交通运输', cityAgency: '交通运输局', countyAgency: own('交通运输局'), weight: 3,
    duties: '负责道路运输、水路运输和公路路政的监督检查与行政处罚。',
    legalBasis: '《中华人民共和国道路运输条例》《中华人民共和国公路法》',
  },
  {
    key: 'emergency', field: '应急管理', category: '应急管理', cityAgency: '应急管理局', countyAgency: own('应急管理局'), weight: 2,
    duties: '负责安全生产综合监督管理和工矿商贸行业安全生产监督执法。',
    legalBasis: '《中华人民共和国安全生产法》',
  },
  {
    key: 'health', field: '卫生健康', category: '卫生健康', cityAgency: '卫生健康委员会', countyAgency: own('卫生健康局'), weight: 2,
    duties: '负责医疗机构、公共场所卫生、职业卫生和传染病防治的监督执法。',
    legalBasis: '《中华人民共和国基本医疗卫生与健康促进法》《公共场所卫生管理条例》',
  },
  {
    key: 'agriculture', field: '农业农村', category: '农业农村', cityAgency: '农业农村局', countyAgency: own('农业农村局'), weight: 2,
    duties: '负责农产品质量安全、农药兽药、种子、动物防疫等方面的监督执法。',
    legalBasis: '《中华人民共和国农产品质量安全法》《农药管理条例》',
  },
  {
    key: 'resources', field: '自然资源', category: '自然资源', cityAgency: '规划和自然资源局', countyAgency: branch('规划和自然资源局'), weight: 1,
    duties: '负责土地、矿产资源和国土空间规划的监督执法。',
    legalBasis: '《中华人民共和国土地管理法》《中华人民共和国城乡规划法》',
  },
  {
    key: 'culture', field: '文化市场', category: '文化市场', cityAgency: '文化广电旅游局', countyAgency: own('文化和广电旅游体育局'), weight: 1,
    duties: '负责文化、旅游、广播电视和出版市场的综合执法。',
    legalBasis: '《营业性演出管理条例》《娱乐场所管理条例》《旅行社条例》',
  },
];

export interface FakeAgency {
  /** Stable key within the data set: `<region code>/<field key>` or `<region code>/justice`. */
  key: string;
  /** Key of the agency above (the city bureau of the same field, or the city justice bureau). */
  parentKey: string | null;
  name: string;
  creditCode: string;
  kind: 'enforcement' | 'justice_bureau';
  level: 'city' | 'county';
  regionCode: string;
  legalStatus: 'statutory';
  fields: string[];
  /** 执法类别 given to its officers. */
  category: string;
  duties: string;
  legalBasis: string;
  reviewUnit: string;
  address: string;
  phone: string;
  /** Relative number of officers. */
  weight: number;
}

export interface FakeAgencyOptions {
  city?: Region;
  counties?: readonly Region[];
  /** Field keys to create (default: all). */
  fields?: readonly string[];
  /**
   * Serial of the first credit code (default 1000, i.e. FAKE1000…): serials below are left to
   * hand-written demo agencies, so the two sets never share a code.
   */
  firstSerial?: number;
}

/**
 * The enforcement bodies of a city and its counties: for each region a justice bureau (the legal
 * supervisor) and one agency per field. Deterministic without a seed: names and codes follow the order.
 */
export function fakeAgencies(opts: FakeAgencyOptions = {}): FakeAgency[] {
  const city = opts.city ?? DEMO_CITY;
  const counties = opts.counties ?? DEMO_COUNTIES;
  const fields = ENFORCEMENT_FIELDS.filter((f) => !opts.fields || opts.fields.includes(f.key));
  const out: FakeAgency[] = [];
  let serial = opts.firstSerial ?? 1000;
  const place = (r: Region) => (r.level === 'county' ? countyPlace(city, r) : r.name);
  for (const region of [city, ...counties]) {
    const isCity = region.code === city.code;
    const justiceKey = `${region.code}/justice`;
    out.push({
      key: justiceKey,
      parentKey: isCity ? null : `${city.code}/justice`,
      name: `${place(region)}司法局`,
      creditCode: fakeCreditCode(region.code, serial++),
      kind: 'justice_bureau',
      level: isCity ? 'city' : 'county',
      regionCode: region.code,
      legalStatus: 'statutory',
      fields: ['司法行政'],
      category: '司法行政',
      duties: '负责本行政区域行政执法协调监督工作，指导行政执法公示、执法全过程记录和重大执法决定法制审核制度的实施。',
      legalBasis: '《中华人民共和国行政处罚法》《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》',
      reviewUnit: isCity ? '行政执法监督处' : '行政执法监督科',
      address: `${place(region)}演示路${serial}号`,
      phone: fakeOfficePhone(serial),
      weight: 0.3,
    });
    for (const f of fields) {
      const name = isCity ? `${city.name}${f.cityAgency}` : f.countyAgency(city, region);
      out.push({
        key: `${region.code}/${f.key}`,
        parentKey: isCity ? null : `${city.code}/${f.key}`,
        // A district's own bureau is written with the city in front, as on its seal (杭州市上城区市场监督管理局);
        // a county-level city's is not (建德市市场监督管理局).
        name: isCity || name.startsWith(city.name) || region.name.endsWith('市') ? name : `${city.name}${name}`,
        creditCode: fakeCreditCode(region.code, serial++),
        kind: 'enforcement',
        level: isCity ? 'city' : 'county',
        regionCode: region.code,
        legalStatus: 'statutory',
        fields: [f.field],
        category: f.category,
        duties: f.duties,
        legalBasis: f.legalBasis,
        reviewUnit: isCity ? '政策法规处' : '法制科',
        address: `${place(region)}演示路${serial}号`,
        phone: fakeOfficePhone(serial),
        weight: f.weight,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Officers

/** What an officer needs of its agency: the generated one plus the id the database gave it. */
export interface OfficerAgency {
  id: string;
  regionCode: string;
  category: string;
  weight?: number;
}

/** Shaped like the registry's OfficerInput, so it can be inserted through the same service. */
export interface FakeOfficer {
  agencyId: string;
  name: string;
  gender: Gender;
  idNumber: string;
  certificateNumber: string;
  issuerType: 'province' | 'state_council';
  justiceRegistration: string | null;
  category: string;
  area: string;
  validFrom: string;
  validTo: string;
  status: 'valid' | 'suspended' | 'revoked';
  qualification: 'exam' | 'legal_professional';
  examPassedOn: string | null;
}

export interface FakeOfficerOptions {
  seed: string | number;
  agencies: readonly OfficerAgency[];
  count: number;
  /** First serial (certificate and ID numbers): continue a previous run without collisions. Default 0. */
  startSerial?: number;
  /**
   * The day the data should look current on (validity, expiry). Default today in Beijing; pass a fixed
   * date for byte-identical output across days.
   */
  asOf?: string;
}

/**
 * Officers one at a time, so 100k or 1M never sit in memory together; deterministic for a given
 * seed, agencies, count, startSerial and asOf. Certificate and ID numbers are unique by serial.
 */
export function* fakeOfficers(opts: FakeOfficerOptions): Generator<FakeOfficer> {
  if (opts.agencies.length === 0) throw new Error('至少需要一个执法主体');
  const rng = createRng(opts.seed);
  const asOf = daysFromIso(opts.asOf ?? todayInShanghai());
  // Cumulative weights for drawing an agency in proportion to its size.
  const cumulative: number[] = [];
  let total = 0;
  for (const a of opts.agencies) cumulative.push((total += a.weight ?? 1));
  const areas = new Map<string, string>();
  const areaOf = (code: string) => {
    let a = areas.get(code);
    if (a === undefined) areas.set(code, (a = regionByCode(code) ? regionFullName(code) : `行政区划${code}`));
    return a;
  };
  const start = opts.startSerial ?? 0;
  for (let i = 0; i < opts.count; i++) {
    const serial = start + i;
    const agency = opts.agencies[bisect(cumulative, rng.next() * total)]!;
    const { name, gender } = fakePersonName(rng);
    // Certificates last five years here (a demo assumption; validity varies by province); most were
    // issued within the last five, so a few per cent are expired on asOf.
    const from = asOf - rng.int(10, 5 * 365 + 60);
    const validFrom = isoFromDays(from);
    const validTo = fiveYearsLater(validFrom);
    const r = rng.next();
    const status = r < 0.03 ? 'suspended' : r < 0.05 ? 'revoked' : 'valid';
    const lawyer = rng.chance(0.08); // R-S04: exempt from the exam by legal professional qualification
    const stateCouncil = rng.chance(0.04); // R-P08: issued by a State Council department, registered locally
    const year = validFrom.slice(0, 4);
    yield {
      agencyId: agency.id,
      name,
      gender,
      idNumber: fakeIdNumber(serial, gender, agency.regionCode.slice(0, 2)),
      certificateNumber: fakeCertificateNumber(agency.regionCode, serial),
      issuerType: stateCouncil ? 'state_council' : 'province',
      justiceRegistration: stateCouncil ? `${PROVINCE_ABBREVIATIONS[agency.regionCode.slice(0, 2)] ?? ''}司执备〔${year}〕${String(serial).padStart(7, '0')}号` : null,
      category: agency.category,
      area: areaOf(agency.regionCode),
      validFrom,
      validTo,
      status,
      qualification: lawyer ? 'legal_professional' : 'exam',
      examPassedOn: lawyer ? null : isoFromDays(from - rng.int(20, 200)),
    };
  }
}

export interface FakeReviewer {
  agencyId: string;
  name: string;
  role: 'reviewer' | 'legal_adviser' | 'public_lawyer';
  qualification: string;
  phone: string;
  shared: boolean;
}

/**
 * R-L03 roster: for each agency, legal reviewers in proportion to its officers (`ratio`, default 6%
 * so most agencies meet the 5% floor; pass less to show agencies below it), at least one, plus now and
 * then a legal adviser or public lawyer.
 */
export function* fakeReviewers(opts: { seed: string | number; agencies: readonly (OfficerAgency & { officers: number })[]; ratio?: number }): Generator<FakeReviewer> {
  const rng = createRng(opts.seed);
  const ratio = opts.ratio ?? 0.06;
  let serial = 0;
  for (const a of opts.agencies) {
    const reviewers = Math.max(1, Math.round(a.officers * ratio * (0.7 + rng.next() * 0.6)));
    for (let i = 0; i < reviewers; i++) {
      yield { agencyId: a.id, name: fakePersonName(rng).name, role: 'reviewer', qualification: rng.chance(0.6) ? '法律职业资格' : '', phone: fakeOfficePhone(serial++), shared: false };
    }
    if (rng.chance(0.3)) yield { agencyId: a.id, name: fakePersonName(rng).name, role: 'legal_adviser', qualification: '律师执业证', phone: fakeOfficePhone(serial++), shared: false };
    if (rng.chance(0.15)) yield { agencyId: a.id, name: fakePersonName(rng).name, role: 'public_lawyer', qualification: '公职律师证', phone: fakeOfficePhone(serial++), shared: true };
  }
}

/** A fake party for cases and publications (企业), credit code authority 9 1. */
export function fakeEnterprise(rng: Rng, regionCode: string, serial: number): { name: string; creditCode: string } {
  const brand = rng.pick(GIVEN_MALE) + rng.pick(GIVEN_FEMALE);
  const trade = rng.pick(['贸易', '餐饮管理', '建材', '物流', '科技', '食品', '服装', '汽车服务', '装饰工程', '文化传媒']);
  // Enterprises are usually named after their city: 杭州某某贸易有限公司.
  const place = regionByCode(`${regionCode.slice(0, 4)}00`)?.name.replace(/[省市]$/, '') ?? '';
  return { name: `${place}${brand}${trade}有限公司`, creditCode: fakeCreditCode(regionCode, serial, '91') };
}

// ---------------------------------------------------------------------------------------------

function bisect(cumulative: readonly number[], x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Formatting a date is the slowest step of making an officer; the few thousand distinct days are memoised.
const isoCache = new Map<number, string>();
function isoFromDays(n: number): string {
  let s = isoCache.get(n);
  if (s === undefined) isoCache.set(n, (s = new Date(n * 86_400_000).toISOString().slice(0, 10)));
  return s;
}

const validToCache = new Map<string, string>();
/** The day before the same date five years on (29 February counts as 28 February). */
function fiveYearsLater(from: string): string {
  let s = validToCache.get(from);
  if (s === undefined) {
    s = isoFromDays(daysFromIso(`${Number(from.slice(0, 4)) + 5}${from.slice(4)}`.replace('-02-29', '-02-28')) - 1);
    validToCache.set(from, s);
  }
  return s;
}

function daysFromIso(s: string): number {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;
}
