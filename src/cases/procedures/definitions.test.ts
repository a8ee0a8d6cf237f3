// Every built-in definition validates, the registry serves versions, and the schema refuses broken ones.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { BUILT_IN_INPUTS } from './definitions/index.ts';
import { getDefinition, listAllDefinitionVersions, listDefinitions, parseDefinition, safeParseDefinition, type ProcedureDefinitionInput } from './index.ts';

const general = BUILT_IN_INPUTS.find((d) => d.id === 'penalty-general')!;
const broken = (patch: (d: ProcedureDefinitionInput & { steps: ProcedureDefinitionInput['steps'] }) => void) => {
  const d = structuredClone(general) as ProcedureDefinitionInput & { steps: ProcedureDefinitionInput['steps'] };
  patch(d);
  const r = safeParseDefinition(d);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe('built-in definitions', () => {
  it.each(BUILT_IN_INPUTS.map((d) => [d.id, d] as const))('%s validates against the schema and its meaning checks', (_id, input) => {
    expect(safeParseDefinition(input)).toMatchObject({ ok: true });
  });

  it('lists the five case types of issue 4 and serves them by id and version', () => {
    expect(listDefinitions().map((d) => [d.id, d.caseType])).toEqual([
      ['penalty-general', 'penalty_general'],
      ['penalty-summary', 'penalty_summary'],
      ['inspection', 'inspection'],
      ['coercion-seizure', 'coercion'],
      ['licensing', 'licensing'],
    ]);
    expect(getDefinition('licensing', 1).version).toBe(1);
    expect(listAllDefinitionVersions()).toHaveLength(5);
    expect(() => getDefinition('licensing', 7)).toThrow(AppError);
    expect(() => getDefinition('nope')).toThrow('程序定义「nope」不存在');
    expect(Object.isFrozen(getDefinition('licensing').steps[0])).toBe(true);
  });

  it('keeps the statutory limits as data (REQUIREMENTS Appendix)', () => {
    const limits = Object.fromEntries(listDefinitions().flatMap((d) => d.clocks.map((c) => [`${d.id}:${c.key}`, `${c.length}${c.unit === 'working' ? 'wd' : 'd'}${c.extension ? `+${c.extension.maxTimes}x${c.extension.maxLength}` : ''}`])));
    expect(limits).toMatchObject({
      'penalty-general:decision_limit': '90d', // 行政处罚法第六十条
      'penalty-general:hearing_request_window': '5wd', // 第六十四条、第八十五条
      'penalty-general:hearing_notice_period': '7wd',
      'penalty-general:service_limit': '7wd', // 第六十一条
      'penalty-general:preservation_period': '7wd', // 第五十六条
      'penalty-general:payment_period': '15d', // 第六十六条
      'penalty-general:publication_limit': '7wd', // R-P11
      'penalty-summary:remittance_limit': '2wd', // 第七十一条
      'coercion-seizure:seizure_limit': '30d+1x30', // 行政强制法第二十五条
      'licensing:acceptance_limit': '5wd', // 行政许可法第三十二条、第八十二条
      'licensing:decision_limit': '20wd+1x10', // 第四十二条
      'licensing:hearing_request_window': '5wd', // 第四十七条
      'licensing:hearing_organise_limit': '20wd',
      'licensing:issuance_limit': '10wd', // 第四十四条
      'inspection:publication_limit': '20wd', // R-P15
    });
    // R-P08 in every definition.
    expect(listDefinitions().every((d) => d.minOnSiteOfficers === 2)).toBe(true);
  });
});

describe('schema refuses', () => {
  it('fewer than two officers on the scene (R-P08)', () => {
    expect(broken((d) => (d.minOnSiteOfficers = 1))).toContain('现场执法人员不得少于两人（R-P08）');
  });
  it('unknown documents, clocks and facts', () => {
    expect(broken((d) => d.steps[0]!.produces!.push({ document: 'secret_memo' }))).toContain('未知的文书类型：secret_memo');
    expect(broken((d) => d.steps[0]!.next!.push({ to: 'filing', when: { fact: 'moonPhase', eq: 'full' } }))).toContain('条件引用了未定义的事实：moonPhase');
    expect(broken((d) => (d.steps[0]!.clocks = { start: [{ clock: 'forever' }] }))).toContain('未定义的期限：forever');
    expect(broken((d) => d.steps[0]!.next!.push({ to: 'filing', when: { fact: 'partyType', eq: 'robot' } }))).toContain('事实 partyType 不能取值 "robot"');
    expect(broken((d) => d.steps[0]!.next!.push({ to: 'filing', when: { fact: 'partyType', lte: 3 } }))).toContain('事实 partyType 不是数值，不能用 lte 比较');
  });
  it('unreachable steps and dead ends', () => {
    expect(broken((d) => d.steps.push({ key: 'orphan', name: '孤立环节', stage: 'close', roles: ['officer'], next: [{ to: 'archive' }] }))).toContain('环节「孤立环节」从起始环节无法到达');
    expect(broken((d) => {
      const intake = d.steps.find((s) => s.key === 'intake')!;
      intake.next!.push({ to: 'loop' });
      d.steps.push({ key: 'loop', name: '死循环', stage: 'close', roles: ['officer'], next: [{ to: 'loop' }] });
    })).toContain('环节「死循环」之后无法到达终结环节');
  });
  it('pausing a clock the law does not let pause', () => {
    expect(broken((d) => (d.steps.find((s) => s.key === 'hearing')!.clocks = { pause: [{ clock: 'decision_limit', reason: '听证' }] }))).toContain('期限「作出处罚决定期限」依法不能中止，不能由环节暂停或恢复');
  });
  it('with a Chinese AppError naming the definition and the field', () => {
    try {
      parseDefinition({ ...general, minOnSiteOfficers: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).detail).toBe('程序定义「penalty-general」不合法：minOnSiteOfficers：现场执法人员不得少于两人（R-P08）');
    }
  });
});
