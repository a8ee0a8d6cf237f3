// R-P02: an enforcement body's unified social credit code is validated (GB 32100-2015), and an
// officer's ID number (GB 11643-1999). Each wrong value gets a message that says what is wrong.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CREDIT_CODE_CHARSET,
  completeCreditCode,
  creditCodeCheckChar,
  creditCodeError,
  idNumberCheckChar,
  idNumberError,
  isValidCreditCode,
  isValidIdNumber,
  organizationCodeCheckChar,
  parseCreditCode,
  parseIdNumber,
  regionCodeError,
} from './codes.ts';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published examples', () => {
    // The example printed in many explanations of the standard (福州, 工商, 企业).
    expect(creditCodeError('91350100M000100Y43')).toBeNull();
    // python-stdnum's test value (北京, 工商, 企业).
    expect(creditCodeError('91110000600037341L')).toBeNull();
  });

  it('computes both check characters by hand-checkable arithmetic', () => {
    // 组织机构代码 M000100Y: M=22, Y=34; 22·3 + 1·5 + 34·2 = 139; 139 mod 11 = 7; 11 − 7 = 4.
    expect(organizationCodeCheckChar('M000100Y')).toBe('4');
    // 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+M(21)·20+0·29+0·25+0·13+1·8+0·24+0·10+Y(30)·30+4·28 = 1640;
    // 1640 mod 31 = 28; 31 − 28 = 3.
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    // An organisation code whose check is 10 is written X; 11 is written 0.
    expect(organizationCodeCheckChar('00000001')).toBe('9');
    expect(completeCreditCode('1133010000249814')).toMatch(/^1133010000249814[0-9X][0-9A-Y]$/);
  });

  it('accepts codes of the registration authorities an enforcement platform meets', () => {
    for (const prefix of ['11', '12', '13', '19', '31', '51', '52', '53', '91', '92', '93', 'A1', 'N2', 'Y1']) {
      const code = completeCreditCode(`${prefix}33010000249814`);
      expect(creditCodeError(code), code).toBeNull();
    }
    // Bodies registered at the centre carry 100000 in positions 3–8.
    expect(creditCodeError(completeCreditCode('1110000000001312'))).toBeNull();
  });

  it.each([
    ['', '应为 18 位，实际为 0 位'],
    ['91350100M000100Y4', '应为 18 位，实际为 17 位'],
    ['91350100M000100Y433', '应为 18 位，实际为 19 位'],
    ['91350100m000100Y43', '第 9 位“m”不是允许的字符（字母应大写）'],
    ['91350100M000100I43', '第 16 位“I”不是允许的字符（不使用字母 I、O、S、V、Z）'],
    ['91350100M0001O0Y43', '第 14 位“O”不是允许的字符'],
    ['9135010OM000100Y43', '第 8 位“O”'],
    ['91350100M000100Y4-', '第 18 位“-”不是允许的字符'],
    ['９1350100M000100Y43', '第 1 位“９”'],
    ['B1350100M000100Y43', '第 1 位登记管理部门代码“B”不存在'],
    ['94350100M000100Y43', '第 2 位机构类别代码“4”不适用于登记管理部门“9”（工商），应为 1、2、3 之一'],
    ['Y2350100M000100Y43', '机构类别代码“2”不适用于登记管理部门“Y”'],
    ['91990100M000100Y43', '前两位“99”不是省级行政区划代码'],
    ['91000000M000100Y43', '前两位“00”'],
    ['913500A0M000100Y43', '行政区划代码应为 6 位数字'],
    ['91350001M000100Y43', '第 3–4 位为 00 时第 5–6 位也应为 00'],
    ['91350100M000100Y53', '组织机构代码“M000100Y5”的校验位（第 17 位）应为 4，实际为 5'],
    ['91350100M000101Y43', '校验位（第 17 位）应为'],
    ['91350100M000100Y44', '校验位（第 18 位）应为 3，实际为 4'],
    ['91350100M000100Y4Y', '校验位（第 18 位）应为 3，实际为 Y'],
    ['91110000600037341M', '校验位（第 18 位）应为 L，实际为 M'],
    ['91110000600037342L', '组织机构代码“600037342”的校验位（第 17 位）应为 1'],
  ])('refuses %j: %s', (code, message) => {
    const err = creditCodeError(code);
    expect(err).not.toBeNull();
    expect(err).toContain(message);
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('detects every single-character change of a valid code (property)', () => {
    const body = fc.string({ unit: fc.constantFrom(...CREDIT_CODE_CHARSET.split('')), minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...CREDIT_CODE_CHARSET.split('')), (org, pos, ch) => {
        const code = completeCreditCode(`12330100${org}`);
        expect(creditCodeError(code)).toBeNull();
        const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
        fc.pre(changed !== code);
        expect(creditCodeError(changed)).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('names the parts of a valid code', () => {
    expect(parseCreditCode('91350100M000100Y43')).toEqual({
      authority: '9', authorityName: '工商', category: '1', categoryName: '企业', regionCode: '350100', organizationCode: 'M000100Y-4',
    });
    expect(() => parseCreditCode('91350100M000100Y44')).toThrow(/应为 3/);
  });
});

describe('resident ID number (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('accepts the example of the standard and computes check characters', () => {
    expect(idNumberError('11010519491231002X')).toBeNull();
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052419800101001')).toBe(checkByDefinition('44052419800101001'));
    expect(isValidIdNumber('11010519491231002x')).toBe(true); // lower-case x accepted, stored upper-cased by the schema
  });

  it('reads the birth date and sex', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({ regionCode: '110105', birthDate: '1949-12-31', gender: 'female' });
  });

  it.each([
    ['110105491231002', '15 位的旧号码'],
    ['11010519491231002', '应为 18 位，实际为 17 位'],
    ['11010519491231002XX', '应为 18 位，实际为 19 位'],
    ['1101051949123100AX', '前 17 位应为数字'],
    ['11010519491231002Y', '第 18 位为数字或 X'],
    ['99010519491231002X', '前两位“99”不是省级行政区划代码'],
    ['11010519490231002X', '出生日期“19490231”不是有效日期'],
    ['11010519491331002X', '出生日期“19491331”不是有效日期'],
    ['11010518991231002X', '出生日期“18991231”不是有效日期'],
    ['11010519491231002 ', '第 18 位为数字或 X'],
    ['110105194912310021', '校验位（第 18 位）应为 X，实际为 1'],
    ['110105194912310032', '校验位（第 18 位）应为 8，实际为 2'],
  ])('refuses %j: %s', (id, message) => {
    const err = idNumberError(id);
    expect(err).not.toBeNull();
    expect(err).toContain(message);
  });

  it('refuses a birth date after today when told the date', () => {
    const id = '330102203001010016';
    const fixed = id.slice(0, 17) + idNumberCheckChar(id.slice(0, 17));
    expect(idNumberError(fixed)).toBeNull();
    expect(idNumberError(fixed, '2026-01-01')).toContain('晚于今天');
  });

  it('detects every single-digit change and every adjacent transposition (property)', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(digits, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 9 }), (seq, dayOffset, pos, digit) => {
        const birth = new Date(Date.UTC(1950, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
        const first17 = `330102${birth}${seq}`;
        const id = first17 + idNumberCheckChar(first17);
        expect(idNumberError(id)).toBeNull();
        const changed = id.slice(0, pos) + digit + id.slice(pos + 1);
        if (changed !== id) expect(isValidIdNumber(changed)).toBe(false);
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        if (swapped !== id) expect(isValidIdNumber(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('region code (GB/T 2260)', () => {
  it('accepts province, city and county codes', () => {
    for (const c of ['330000', '330100', '330102', '110101', '469001', '659001', '820000']) expect(regionCodeError(c), c).toBeNull();
  });
  it.each([
    ['33010', '应为 6 位数字'],
    ['3301022', '应为 6 位数字'],
    ['33O102', '应为 6 位数字'],
    ['000000', '前两位“00”'],
    ['990100', '前两位“99”'],
    ['330001', '第 3–4 位为 00 时第 5–6 位也应为 00'],
  ])('refuses %j', (code, message) => {
    expect(regionCodeError(code)).toContain(message);
  });
});

/** ISO 7064 MOD 11-2 written out from its definition (weights 2^(17−i) mod 11), independent of the table. */
function checkByDefinition(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const r = (12 - (sum % 11)) % 11;
  return r === 10 ? 'X' : String(r);
}
