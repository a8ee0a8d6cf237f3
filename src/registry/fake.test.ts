// Synthetic data must be deterministic, valid in form (R-P02 credit codes, R-P03 certificate numbers)
// and recognisably fake, and 100k officers must come quickly (bench: officer search at 100k).
import { describe, expect, it } from 'vitest';
import { creditCodeError, idNumberError, parseIdNumber, regionCodeError } from './codes.ts';
import {
  createRng,
  fakeAgencies,
  fakeCertificateNumber,
  fakeCreditCode,
  fakeEnterprise,
  fakeIdNumber,
  fakeOfficePhone,
  fakeOfficers,
  fakePersonName,
  fakeReviewers,
  isFakeCertificateNumber,
  isFakeCreditCode,
  isFakeIdNumber,
  type OfficerAgency,
} from './fake.ts';
import { DEMO_CITY, DEMO_COUNTIES, REGIONS, jurisdictionPrefix, isWithinJurisdiction, regionFullName, regionLevel } from './regions.ts';

const agencies = fakeAgencies();
const officerAgencies: OfficerAgency[] = agencies.map((a, i) => ({ id: `agency-${i}`, regionCode: a.regionCode, category: a.category, weight: a.weight }));
const AS_OF = '2026-03-01';

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    const a = createRng('demo');
    const b = createRng('demo');
    const c = createRng('other');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('int stays within its bounds and reaches both', () => {
    const r = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('names', () => {
  it('are 2–4 Chinese characters with a known gender', () => {
    const r = createRng('names');
    for (let i = 0; i < 2000; i++) {
      const p = fakePersonName(r);
      expect(p.name).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(['male', 'female']).toContain(p.gender);
    }
  });
});

describe('codes are valid in form and marked fake', () => {
  it('credit codes pass GB 32100 and read FAKE in positions 9–12', () => {
    const code = fakeCreditCode('330102', 0);
    expect(code.slice(0, 12)).toBe('11330102FAKE');
    expect(creditCodeError(code)).toBeNull();
    expect(isFakeCreditCode(code)).toBe(true);
    expect(isFakeCreditCode('91350100M000100Y43')).toBe(false);
    expect(fakeCreditCode('330102', 31 ** 4 - 1)).toMatch(/^11330102FAKEYYYY/);
    expect(() => fakeCreditCode('330102', 31 ** 4)).toThrow(RangeError);
  });

  it('ID numbers pass GB 11643, carry a province-level address code and the right sex', () => {
    const m = fakeIdNumber(12345, 'male');
    const f = fakeIdNumber(12345, 'female');
    expect(idNumberError(m, AS_OF)).toBeNull();
    expect(idNumberError(f, AS_OF)).toBeNull();
    expect(m.slice(0, 6)).toBe('330000');
    expect(isFakeIdNumber(m)).toBe(true);
    expect(parseIdNumber(m).gender).toBe('male');
    expect(parseIdNumber(f).gender).toBe('female');
    expect(m).not.toBe(f);
    expect(isFakeIdNumber('11010519491231002X')).toBe(false);
    expect(() => fakeIdNumber(7_000_000, 'male')).toThrow(RangeError);
  });

  it('certificate numbers follow 省简称 + region + 9 + serial and fit the registry schema', () => {
    expect(fakeCertificateNumber('330102', 123)).toBe('浙33010290000123');
    expect(isFakeCertificateNumber('浙33010290000123')).toBe(true);
    expect(isFakeCertificateNumber('浙33010210000123')).toBe(false);
    expect(() => fakeCertificateNumber('330102', 10_000_000)).toThrow(RangeError);
  });

  it('office phones are not dialable numbers', () => {
    expect(fakeOfficePhone(42)).toBe('0571-00000042');
  });

  it('enterprises are named after the city and carry a 91 credit code', () => {
    const e = fakeEnterprise(createRng('e'), '330106', 7);
    expect(e.name).toMatch(/^杭州.+有限公司$/);
    expect(e.creditCode.slice(0, 2)).toBe('91');
    expect(creditCodeError(e.creditCode)).toBeNull();
  });
});

describe('agencies of the demo city', () => {
  it('one justice bureau and one agency per field for the city and each county', () => {
    expect(agencies).toHaveLength((1 + DEMO_COUNTIES.length) * 10);
    const names = new Set(agencies.map((a) => a.name));
    for (const n of ['杭州市司法局', '杭州市市场监督管理局', '杭州市卫生健康委员会', '杭州市上城区市场监督管理局', '杭州市上城区卫生健康局', '杭州市生态环境局上城分局', '杭州市规划和自然资源局西湖分局', '建德市综合行政执法局', '建德市司法局', '杭州市生态环境局建德分局']) {
      expect(names.has(n), n).toBe(true);
    }
    expect(names.size).toBe(agencies.length);
  });

  it('have valid, unique, fake credit codes and parents that exist', () => {
    const keys = new Set(agencies.map((a) => a.key));
    const codes = new Set<string>();
    for (const a of agencies) {
      expect(creditCodeError(a.creditCode), a.name).toBeNull();
      expect(isFakeCreditCode(a.creditCode)).toBe(true);
      expect(a.creditCode.slice(2, 8)).toBe(a.regionCode);
      codes.add(a.creditCode);
      if (a.parentKey) expect(keys.has(a.parentKey)).toBe(true);
      expect(a.level === 'city').toBe(a.parentKey === null);
    }
    expect(codes.size).toBe(agencies.length);
  });

  it('can be limited to some fields', () => {
    const some = fakeAgencies({ fields: ['market', 'ecology'], counties: DEMO_COUNTIES.slice(0, 2) });
    expect(some.map((a) => a.name)).toEqual([
      '杭州市司法局', '杭州市市场监督管理局', '杭州市生态环境局',
      '杭州市上城区司法局', '杭州市上城区市场监督管理局', '杭州市生态环境局上城分局',
      '杭州市拱墅区司法局', '杭州市拱墅区市场监督管理局', '杭州市生态环境局拱墅分局',
    ]);
  });
});

describe('officers', () => {
  it('are deterministic for a seed and asOf', () => {
    const take = (seed: string) => [...fakeOfficers({ seed, agencies: officerAgencies, count: 50, asOf: AS_OF })];
    expect(take('s1')).toEqual(take('s1'));
    expect(take('s1')).not.toEqual(take('s2'));
  });

  it('R-P03/R-P08/R-S04: every officer is complete, consistent and valid in form', () => {
    const certRule = /^[\p{Script=Han}A-Za-z0-9-]{6,32}$/u; // the registry schema's certificate number rule
    for (const o of fakeOfficers({ seed: 'check', agencies: officerAgencies, count: 3000, asOf: AS_OF })) {
      expect(idNumberError(o.idNumber, AS_OF)).toBeNull();
      expect(parseIdNumber(o.idNumber).gender).toBe(o.gender);
      expect(o.certificateNumber).toMatch(certRule);
      expect(isFakeCertificateNumber(o.certificateNumber)).toBe(true);
      expect(o.validTo > o.validFrom).toBe(true);
      expect(o.validFrom <= AS_OF).toBe(true);
      expect(o.qualification === 'exam').toBe(o.examPassedOn !== null);
      if (o.examPassedOn) expect(o.examPassedOn < o.validFrom).toBe(true);
      expect(o.issuerType === 'state_council').toBe(o.justiceRegistration !== null);
      const agency = officerAgencies.find((a) => a.id === o.agencyId)!;
      expect(o.category).toBe(agency.category);
      expect(o.area).toBe(regionFullName(agency.regionCode));
    }
  });

  it('a few per cent are suspended, revoked or expired, most are valid', () => {
    const all = [...fakeOfficers({ seed: 'mix', agencies: officerAgencies, count: 5000, asOf: AS_OF })];
    const share = (p: (o: (typeof all)[number]) => boolean) => all.filter(p).length / all.length;
    expect(share((o) => o.status === 'valid')).toBeGreaterThan(0.9);
    expect(share((o) => o.status === 'suspended')).toBeGreaterThan(0.01);
    expect(share((o) => o.status === 'revoked')).toBeGreaterThan(0.005);
    expect(share((o) => o.validTo < AS_OF)).toBeGreaterThan(0.005);
    expect(share((o) => o.validTo < AS_OF)).toBeLessThan(0.1);
    // Bigger fields get more officers.
    const market = share((o) => o.category === '市场监管');
    expect(market).toBeGreaterThan(share((o) => o.category === '文化市场'));
  });

  // Speed is measured in bench/, not asserted here.
  it('100k officers stream with unique certificate and ID numbers', () => {
    const certs = new Set<string>();
    const ids = new Set<string>();
    let n = 0;
    for (const o of fakeOfficers({ seed: 'bench', agencies: officerAgencies, count: 100_000, asOf: AS_OF })) {
      certs.add(o.certificateNumber);
      ids.add(o.idNumber);
      n++;
    }
    expect(n).toBe(100_000);
    expect(certs.size).toBe(100_000);
    expect(ids.size).toBe(100_000);
  });

  it('a second run continues the serials without collisions', () => {
    const first = [...fakeOfficers({ seed: 'a', agencies: officerAgencies, count: 100, asOf: AS_OF })];
    const second = [...fakeOfficers({ seed: 'b', agencies: officerAgencies, count: 100, asOf: AS_OF, startSerial: 100 })];
    const certs = new Set([...first, ...second].map((o) => o.certificateNumber));
    expect(certs.size).toBe(200);
  });
});

describe('reviewers (R-L03)', () => {
  it('at least one per agency, about 6% of its officers by default, fewer when asked', () => {
    const sized = officerAgencies.slice(0, 20).map((a, i) => ({ ...a, officers: i * 10 }));
    const all = [...fakeReviewers({ seed: 'r', agencies: sized })];
    for (const a of sized) {
      const n = all.filter((r) => r.agencyId === a.id && r.role === 'reviewer').length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(Math.max(1, Math.ceil(a.officers * 0.06 * 1.3)));
    }
    const few = [...fakeReviewers({ seed: 'r', agencies: sized, ratio: 0.02 })].filter((r) => r.role === 'reviewer');
    expect(few.length).toBeLessThan(all.filter((r) => r.role === 'reviewer').length);
  });
});

describe('demo regions (GB/T 2260)', () => {
  it('are valid codes whose parents exist', () => {
    const codes = new Set(REGIONS.map((r) => r.code));
    for (const r of REGIONS) {
      expect(regionCodeError(r.code), r.name).toBeNull();
      expect(regionLevel(r.code)).toBe(r.level);
      if (r.parent) expect(codes.has(r.parent)).toBe(true);
    }
    expect(DEMO_CITY.code).toBe('330100');
    expect(DEMO_COUNTIES.length).toBeGreaterThanOrEqual(5);
  });

  it('give the jurisdiction prefix of a code: xx0000 → 2, xxxx00 → 4, else 6', () => {
    expect(jurisdictionPrefix('330000')).toBe('33');
    expect(jurisdictionPrefix('330100')).toBe('3301');
    expect(jurisdictionPrefix('330102')).toBe('330102');
    expect(() => jurisdictionPrefix('33010')).toThrow(/6 位数字/);
    expect(isWithinJurisdiction('330102', jurisdictionPrefix('330100'))).toBe(true);
    expect(isWithinJurisdiction('330203', jurisdictionPrefix('330100'))).toBe(false);
    expect(isWithinJurisdiction('330102', '')).toBe(false);
  });

  it('name places the way seals do', () => {
    expect(regionFullName('330102')).toBe('杭州市上城区');
    expect(regionFullName('330182')).toBe('建德市');
    expect(regionFullName('330100')).toBe('杭州市');
  });
});
