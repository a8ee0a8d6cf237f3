// Region codes (GB/T 2260, as published by the Ministry of Civil Affairs) for the demo data set: one
// province, one city and all county-level divisions of that city. Kept small on purpose: the
// platform itself accepts any valid code (codes.ts checks the form); this table only names the
// places the demo and the tests use. Hangzhou's districts are as after the 2021 adjustment (下城区
// merged into 拱墅区, 江干区 split into 上城区 and the new 钱塘区, 临平区 split from 余杭区).
import { jurisdictionPrefix as prefixOf } from '../platform/jurisdiction.ts';

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  /** Code of the region above, null for a province. */
  parent: string | null;
}

export const REGIONS: readonly Region[] = [
  { code: '330000', name: '浙江省', level: 'province', parent: null },
  { code: '330100', name: '杭州市', level: 'city', parent: '330000' },
  { code: '330102', name: '上城区', level: 'county', parent: '330100' },
  { code: '330105', name: '拱墅区', level: 'county', parent: '330100' },
  { code: '330106', name: '西湖区', level: 'county', parent: '330100' },
  { code: '330108', name: '滨江区', level: 'county', parent: '330100' },
  { code: '330109', name: '萧山区', level: 'county', parent: '330100' },
  { code: '330110', name: '余杭区', level: 'county', parent: '330100' },
  { code: '330111', name: '富阳区', level: 'county', parent: '330100' },
  { code: '330112', name: '临安区', level: 'county', parent: '330100' },
  { code: '330113', name: '临平区', level: 'county', parent: '330100' },
  { code: '330114', name: '钱塘区', level: 'county', parent: '330100' },
  { code: '330122', name: '桐庐县', level: 'county', parent: '330100' },
  { code: '330127', name: '淳安县', level: 'county', parent: '330100' },
  { code: '330182', name: '建德市', level: 'county', parent: '330100' },
];

export const DEMO_PROVINCE = REGIONS[0]!;
export const DEMO_CITY = REGIONS[1]!;
export const DEMO_COUNTIES: readonly Region[] = REGIONS.filter((r) => r.level === 'county');

const byCode = new Map(REGIONS.map((r) => [r.code, r]));

export function regionByCode(code: string): Region | undefined {
  return byCode.get(code);
}

/** Name as used for 执法区域 and on seals: 杭州市上城区, but 建德市 (a county-level city stands alone), 杭州市, 浙江省. */
export function regionFullName(code: string): string {
  const r = byCode.get(code);
  if (!r) return code;
  const parent = r.parent ? byCode.get(r.parent) : undefined;
  return r.level === 'county' && parent ? countyPlace(parent, r) : r.name;
}

export function countyPlace(city: Region, county: Region): string {
  return county.name.endsWith('市') ? county.name : `${city.name}${county.name}`;
}

/** The level a code's form says: xx0000 a province, xxxx00 a city, otherwise a county. */
export function regionLevel(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/**
 * The prefix that a region's supervision covers (xx0000 → 2 characters, xxxx00 → 4, else 6): a justice
 * bureau of that region supervises every agency whose region code starts with it.
 * Refuses anything but 6 digits: a truncated code ('33') would otherwise become a province-wide
 * prefix. A 6-digit code of an unknown province is let through (it can only narrow, never widen),
 * so that one odd row cannot stop a supervisor from signing in; regionCodeError is for input checks.
 */
export function jurisdictionPrefix(code: string): string {
  if (!/^\d{6}$/.test(code)) throw new Error(`行政区划代码应为 6 位数字，实际为“${code}”`);
  return prefixOf(code);
}

export function isWithinJurisdiction(regionCode: string, prefix: string): boolean {
  return prefix.length > 0 && regionCode.startsWith(prefix);
}

/** Single-character province abbreviations (简称), used in certificate numbers. */
export const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑',
  '31': '沪', '32': '苏', '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁',
  '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂', '46': '琼',
  '50': '渝', '51': '川', '52': '黔', '53': '滇', '54': '藏',
  '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新', '71': '台', '81': '港', '82': '澳',
};
