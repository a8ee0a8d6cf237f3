// R-R07: a review standard's veto and floor, and its grades.
import { describe, expect, it } from 'vitest';
import { REVIEW_STANDARDS, scoreFile, standardInForce, type ReviewStandard } from './review-standards.ts';

const std = standardInForce('penalty-general', '2026-11-25')!;

describe('案卷评查标准 (R-R07)', () => {
  it('a clean file scores 100 and is 优秀; 90 is still 优秀, 89 is 合格, 59 不合格', () => {
    expect(scoreFile(std, { vetoes: [], deductions: [] })).toMatchObject({ score: 100, grade: 'excellent' });
    expect(scoreFile(std, { vetoes: [], deductions: [{ code: 'late_decision', times: 1 }] })).toMatchObject({ score: 90, grade: 'excellent' });
    expect(scoreFile(std, { vetoes: [], deductions: [{ code: 'late_decision', times: 1 }, { code: 'order', times: 1 }] })).toMatchObject({ score: 89, grade: 'pass' });
    const sixty = [{ code: 'disproportionate', times: 1 }, { code: 'late_decision', times: 1 }, { code: 'av_missing', times: 3 }];
    expect(scoreFile(std, { vetoes: [], deductions: sixty })).toMatchObject({ score: 60, grade: 'pass' });
    expect(scoreFile(std, { vetoes: [], deductions: [...sixty, { code: 'order', times: 1 }] })).toMatchObject({ score: 59, grade: 'fail' });
  });

  it('a section is floored at 0: deductions never go negative nor spill into another section', () => {
    const r = scoreFile(std, { vetoes: [], deductions: [{ code: 'unused_form', times: 30 }] });
    expect(r.sections.find((s) => s.code === 'form')!.score).toBe(0);
    expect(r.score).toBe(80);
  });

  it('one veto item makes the file 不合格 with 0 points; in cap mode it only keeps it from 优秀', () => {
    expect(scoreFile(std, { vetoes: ['fewer_than_two'], deductions: [] })).toMatchObject({ score: 0, grade: 'fail' });
    const cap: ReviewStandard = { ...std, vetoMode: 'cap' };
    expect(scoreFile(cap, { vetoes: ['fewer_than_two'], deductions: [] })).toMatchObject({ score: 100, grade: 'pass' });
    expect(() => scoreFile(std, { vetoes: ['no_such'], deductions: [] })).toThrow(/no_such/);
  });

  it('standards are versioned data', () => {
    expect(REVIEW_STANDARDS.every((s) => s.version >= 1 && s.sections.reduce((a, x) => a + x.maxPoints, 0) === 100)).toBe(true);
  });
});
