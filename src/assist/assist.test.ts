// Band arithmetic at the boundaries for every range kind, the level proposal, the benchmark chosen by
// issuer and date, and the suggestion ranking on a labelled fixture (issue 13, R-I03).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, bandsWithin, benchmarkFor, checkAmount, defaultBands, proposeLevel, type Benchmark } from './benchmarks.ts';
import { VIOLATIONS, type LegalRange } from './library.ts';
import { rankViolations, bm25 } from './assistance.ts';
import { monthsBefore } from './discretion.ts';

const bench = (r: LegalRange): Benchmark => ({ id: 't', issuer: 't', issuerLevel: 'province', regionPrefix: '', document: 't', version: 1, effectiveFrom: '2020-01-01', effectiveTo: null, published: true, violationCode: 'X', levels: defaultBands(r), firstOffense: null, minorExempt: null });
const band = (b: Benchmark, l: string) => b.levels.find((x) => x.level === l)!;

describe('bands per range kind, at the boundaries (R-I03)', () => {
  it('range: 30/40/30 between the minimum and the maximum; below the minimum only 减轻 with a ground', () => {
    const r: LegalRange = { kind: 'range', min: 50000, max: 100000, base: null };
    const b = bench(r);
    expect([band(b, '从轻'), band(b, '一般'), band(b, '从重')].map((x) => [x.min, x.max])).toEqual([[50000, 65000], [65000, 85000], [85000, 100000]]);
    expect(checkAmount(b, r, '从轻', 65000, null, null)).toMatchObject({ errors: [], outsideBand: false });
    expect(checkAmount(b, r, '从轻', 65001, null, null)).toMatchObject({ errors: [], outsideBand: true });
    expect(checkAmount(b, r, '从重', 100000, null, null).errors).toEqual([]);
    expect(checkAmount(b, r, '从重', 100001, null, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '从轻', 49999, null, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '减轻', 49999, null, null).errors.map((e) => e.code)).toEqual(['mitigation_ground_required']);
    expect(checkAmount(b, r, '减轻', 30000, null, '主动消除违法行为危害后果（行政处罚法第三十二条第（一）项）')).toMatchObject({ errors: [], outsideBand: false });
  });

  it('multiple: bands in multiples of the base; the amount is divided by the base amount', () => {
    const r: LegalRange = { kind: 'multiple', min: 10, max: 20, base: '货值金额' };
    const b = bench(r);
    expect([band(b, '从轻'), band(b, '一般'), band(b, '从重')].map((x) => [x.min, x.max])).toEqual([[10, 13], [13, 17], [17, 20]]);
    expect(checkAmount(b, r, '从轻', 130000, 10000, null)).toMatchObject({ value: 13, errors: [], outsideBand: false });
    expect(checkAmount(b, r, '从轻', 130100, 10000, null)).toMatchObject({ outsideBand: true, errors: [] });
    expect(checkAmount(b, r, '从重', 200000, 10000, null).errors).toEqual([]);
    expect(checkAmount(b, r, '从重', 200001, 10000, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '从轻', 99999, 10000, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '一般', 150000, null, null).errors.map((e) => e.code)).toEqual(['base_amount_required']);
  });

  it('maximum only: 从轻 up to 20 %, 一般 40–60 %, 从重 from 60 % of the maximum; no 减轻', () => {
    const r: LegalRange = { kind: 'maxOnly', min: 0, max: 5000, base: null };
    const b = bench(r);
    expect(b.levels.map((l) => [l.level, l.min, l.max])).toEqual([['不予处罚', 0, 0], ['从轻', 0, 1000], ['一般', 2000, 3000], ['从重', 3000, 5000]]);
    expect(checkAmount(b, r, '从轻', 1000, null, null).outsideBand).toBe(false);
    expect(checkAmount(b, r, '从轻', 1001, null, null).outsideBand).toBe(true);
    expect(checkAmount(b, r, '一般', 1999, null, null).outsideBand).toBe(true);
    expect(checkAmount(b, r, '一般', 2000, null, null).outsideBand).toBe(false);
    expect(checkAmount(b, r, '从重', 5001, null, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '减轻', 100, null, 'x').errors.map((e) => e.code)).toEqual(['level_unknown']);
  });

  it('fixed: the amount is the law’s; less only as 减轻 with a ground, more never', () => {
    const r: LegalRange = { kind: 'fixed', min: 200, max: 200, base: null };
    const b = bench(r);
    expect(checkAmount(b, r, '一般', 200, null, null)).toMatchObject({ errors: [], outsideBand: false });
    expect(checkAmount(b, r, '一般', 201, null, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '一般', 199, null, null).errors.map((e) => e.code)).toEqual(['outside_legal_range']);
    expect(checkAmount(b, r, '减轻', 100, null, '受他人胁迫').errors).toEqual([]);
    expect(checkAmount(b, r, '不予处罚', 1, null, null).errors.map((e) => e.code)).toEqual(['fine_when_not_punished']);
  });
});

describe('benchmarks as data', () => {
  it('the level follows the circumstances; 首违不罚 needs every condition', () => {
    const b = benchmarkFor('JG-42', '330100', '2026-11-25')!;
    expect(proposeLevel(b, ['M1']).level).toBe('从轻');
    expect(proposeLevel(b, ['A2']).level).toBe('从重');
    expect(proposeLevel(b, ['M1', 'A2']).level).toBe('一般');
    expect(proposeLevel(b, []).level).toBe('一般');
    expect(proposeLevel(b, ['F1', 'F2', 'F3']).level).toBe('不予处罚');
    expect(proposeLevel(b, ['F1', 'F2']).level).toBe('一般');
  });

  it('the agency’s stricter benchmark governs its agency, inside the province’s bands; elsewhere the province’s', () => {
    const city = benchmarkFor('JG-42', '330100', '2026-11-25')!;
    const xh = benchmarkFor('JG-42', '330106', '2026-11-25')!;
    const other = benchmarkFor('JG-42', '340100', '2026-11-25');
    expect(city.issuerLevel).toBe('agency');
    expect(xh.issuerLevel).toBe('agency');
    expect(other).toBeUndefined();
    const prov = BENCHMARKS.find((b) => b.violationCode === 'JG-42' && b.issuerLevel === 'province')!;
    expect(bandsWithin(city, prov)).toEqual([]);
    expect(bandsWithin(prov, city).length).toBeGreaterThan(0);
  });

  it('the version in force on the day: v1 until 2026-10-31, v2 from 2026-11-01', () => {
    expect(benchmarkFor('SP-124-5A', '330100', '2026-10-31')!.version).toBe(1);
    expect(benchmarkFor('SP-124-5A', '330100', '2026-11-01')!.version).toBe(2);
    expect(benchmarkFor('SP-124-5A', '330100', '2022-12-31')).toBeUndefined();
  });

  it('every benchmark names a violation of the library and keeps its bands inside the legal range', () => {
    for (const b of BENCHMARKS) {
      const v = VIOLATIONS.find((x) => x.code === b.violationCode)!;
      expect(v, b.id).toBeDefined();
      for (const l of b.levels) if (l.level !== '不予处罚' && l.level !== '减轻') expect(l.min >= v.range.min && l.max <= v.range.max, `${b.id} ${l.level}`).toBe(true);
    }
    expect(new Set(BENCHMARKS.map((b) => b.id)).size).toBe(BENCHMARKS.length);
  });

  it('24 months back, month ends clamped', () => {
    expect(monthsBefore('2026-11-25', 24)).toBe('2024-11-25');
    expect(monthsBefore('2026-02-28', 24)).toBe('2024-02-28');
    expect(monthsBefore('2028-02-29', 12)).toBe('2027-02-28');
  });
});

describe('assistance', () => {
  it('suggestions rank the labelled facts’ violation in the top 3 (hit rate reported in docs/PERFORMANCE.md)', () => {
    const fixture = JSON.parse(fs.readFileSync(new URL('../../test/fixtures/assist-suggest.json', import.meta.url), 'utf8')) as { text: string; code: string }[];
    let top1 = 0;
    let top3 = 0;
    for (const f of fixture) {
      const r = rankViolations(VIOLATIONS, f.text);
      if (r[0]?.code === f.code) top1++;
      if (r.slice(0, 3).some((x) => x.code === f.code)) top3++;
      if (r[0]) expect(r[0].terms.length).toBeGreaterThan(0);
    }
    console.log(`suggestion hit rate on ${fixture.length} labelled facts: top-1 ${top1}/${fixture.length}, top-3 ${top3}/${fixture.length}`);
    expect(top3 / fixture.length).toBeGreaterThanOrEqual(0.9);
  });

  it('BM25 ranks the document sharing the rarer term higher and names the matched terms', () => {
    const s = bm25(['保质期', '酸奶'], [['保质期', '酸奶', '货架'], ['保质期', '面包'], ['价签', '标价']]);
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s[2]!.score).toBe(0);
    expect(s[0]!.terms).toEqual(['保质期', '酸奶']);
  });
});
