// Identifier checks for the registry (R-P02 credit codes of enforcement bodies, officers' ID numbers).
// Every check answers null when the value is valid, or one Chinese sentence saying what is wrong and,
// for a check character, what it should be, so that a clerk fixing an import file knows what to type.

// ---------------------------------------------------------------------------------------------
// 行政区划代码 (GB/T 2260): only the province part is checked. County lists change every year and
// old ID numbers and credit codes keep retired county codes for life, so a full list would refuse
// valid numbers; the province part never changes.
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市', '12': '天津市', '13': '河北省', '14': '山西省', '15': '内蒙古自治区',
  '21': '辽宁省', '22': '吉林省', '23': '黑龙江省',
  '31': '上海市', '32': '江苏省', '33': '浙江省', '34': '安徽省', '35': '福建省', '36': '江西省', '37': '山东省',
  '41': '河南省', '42': '湖北省', '43': '湖南省', '44': '广东省', '45': '广西壮族自治区', '46': '海南省',
  '50': '重庆市', '51': '四川省', '52': '贵州省', '53': '云南省', '54': '西藏自治区',
  '61': '陕西省', '62': '甘肃省', '63': '青海省', '64': '宁夏回族自治区', '65': '新疆维吾尔自治区',
  '71': '台湾省', '81': '香港特别行政区', '82': '澳门特别行政区',
};

/** A 6-digit region code: digits, a real province, and no county part under a zero city part (xx00yy). */
export function regionCodeError(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return `行政区划代码应为 6 位数字，实际为“${code}”`;
  const p = code.slice(0, 2);
  if (!PROVINCES[p]) return `行政区划代码“${code}”的前两位“${p}”不是省级行政区划代码`;
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00') return `行政区划代码“${code}”不合法：第 3–4 位为 00 时第 5–6 位也应为 00`;
  return null;
}

export const isValidRegionCode = (code: string) => regionCodeError(code) === null;

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and the capitals without I, O, S, V, Z.
//   1     登记管理部门代码   2   机构类别代码   3–8 登记管理机关行政区划码
//   9–17  主体标识码（组织机构代码，GB 11714-1997，第 17 位为其校验码）   18  校验码

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Registration authorities and the categories each may assign (GB 32100-2015 附录 A, with the later
 * additions A 中央军委改革和编制办公室 and N 农业农村). Data, not logic: a new authority is one line.
 */
export const CREDIT_AUTHORITIES: Readonly<Record<string, { name: string; categories: Readonly<Record<string, string>> }>> = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常住新闻机构', '9': '其他' } },
  '3': { name: '司法行政', categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
};

/** Check character (position 18) of the first 17 characters: 31 − (Σ value·weight mod 31). */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('需要 17 位');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`字符“${first17[i]}”不在统一社会信用代码字符集中`);
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

// 组织机构代码 (GB 11714-1997): 8 characters (digits, capitals A=10 … Z=35) and a check character
// 11 − (Σ value·weight mod 11), written X for 10 and 0 for 11.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const orgValue = (c: string) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);

export function organizationCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new Error('组织机构代码本体应为 8 位数字或大写字母');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(first8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function creditCodeError(code: string): string | null {
  if (code.length !== 18) return `统一社会信用代码应为 18 位，实际为 ${[...code].length} 位`;
  for (let i = 0; i < 18; i++) {
    const c = code[i]!;
    if (!CREDIT_CODE_CHARSET.includes(c)) {
      const hint = /[a-z]/.test(c) ? '（字母应大写）' : 'IOSVZ'.includes(c) ? '（不使用字母 I、O、S、V、Z）' : '';
      return `统一社会信用代码第 ${i + 1} 位“${c}”不是允许的字符${hint}`;
    }
  }
  const authority = CREDIT_AUTHORITIES[code[0]!];
  if (!authority) return `统一社会信用代码第 1 位登记管理部门代码“${code[0]}”不存在`;
  const category = code[1]!;
  if (!authority.categories[category]) {
    return `统一社会信用代码第 2 位机构类别代码“${category}”不适用于登记管理部门“${code[0]}”（${authority.name}），应为 ${Object.keys(authority.categories).join('、')} 之一`;
  }
  const region = code.slice(2, 8);
  // Bodies registered at the centre carry 100000 (e.g. the ministries), which is not a GB/T 2260 code.
  if (region !== '100000') {
    const err = regionCodeError(region);
    if (err) return `统一社会信用代码第 3–8 位${err}`;
  }
  const org = code.slice(8, 16);
  const orgCheck = organizationCodeCheckChar(org);
  if (code[16] !== orgCheck) return `统一社会信用代码第 9–17 位组织机构代码“${code.slice(8, 17)}”的校验位（第 17 位）应为 ${orgCheck}，实际为 ${code[16]}`;
  const check = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== check) return `统一社会信用代码校验位（第 18 位）应为 ${check}，实际为 ${code[17]}`;
  return null;
}

export const isValidCreditCode = (code: string) => creditCodeError(code) === null;

export interface CreditCodeParts {
  authority: string;
  authorityName: string;
  category: string;
  categoryName: string;
  regionCode: string;
  organizationCode: string;
}

/** The parts of a valid code with their meanings (throws on an invalid one). */
export function parseCreditCode(code: string): CreditCodeParts {
  const err = creditCodeError(code);
  if (err) throw new Error(err);
  const a = CREDIT_AUTHORITIES[code[0]!]!;
  return {
    authority: code[0]!,
    authorityName: a.name,
    category: code[1]!,
    categoryName: a.categories[code[1]!]!,
    regionCode: code.slice(2, 8),
    organizationCode: `${code.slice(8, 16)}-${code[16]}`,
  };
}

/** A complete code from its first 16 characters: computes both check characters. */
export function completeCreditCode(first16: string): string {
  const with17 = first16 + organizationCodeCheckChar(first16.slice(8, 16));
  return with17 + creditCodeCheckChar(with17);
}

// ---------------------------------------------------------------------------------------------
// 公民身份号码 (GB 11643-1999): 6-digit address code, birth date YYYYMMDD, 3-digit sequence (odd for
// men, even for women), check character by ISO 7064 MOD 11-2.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Residence permits for residents of Hong Kong, Macao and Taiwan use 810000, 820000 and 830000. */
const ID_EXTRA_PROVINCES = new Set(['83']);

export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('需要 17 位数字');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * @param today 'YYYY-MM-DD' (Asia/Shanghai) to refuse birth dates in the future; omit to skip that check.
 * A lower-case x is accepted as X (the schema upper-cases before storing).
 */
export function idNumberError(id: string, today?: string): string | null {
  const v = id.toUpperCase();
  if (/^\d{15}$/.test(v)) return '身份证号码应为 18 位；15 位的旧号码请换用 18 位号码';
  if (v.length !== 18) return `身份证号码应为 18 位，实际为 ${[...v].length} 位`;
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号码前 17 位应为数字，第 18 位为数字或 X';
  const p = v.slice(0, 2);
  if (!PROVINCES[p] && !ID_EXTRA_PROVINCES.has(p)) return `身份证号码前两位“${p}”不是省级行政区划代码`;
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return `身份证号码第 7–14 位出生日期“${v.slice(6, 14)}”不是有效日期`;
  if (today && birth > today) return `身份证号码中的出生日期 ${birth} 晚于今天`;
  const check = idNumberCheckChar(v.slice(0, 17));
  if (v[17] !== check) return `身份证号码校验位（第 18 位）应为 ${check}，实际为 ${v[17]}`;
  return null;
}

export const isValidIdNumber = (id: string, today?: string) => idNumberError(id, today) === null;

/** Birth date and sex read from a valid number (throws on an invalid one). */
export function parseIdNumber(id: string): { regionCode: string; birthDate: string; gender: 'male' | 'female' } {
  const err = idNumberError(id);
  if (err) throw new Error(err);
  return {
    regionCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
