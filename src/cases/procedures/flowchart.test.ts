// R-P06: the chart is drawn from the definition the engine enforces; it is deterministic, well formed,
// says in Chinese what the engine checks, and has a text version in the same order.
import { describe, expect, it } from 'vitest';
import { FLOWCHART_FONT_FAMILY, getDefinition, listDefinitions, procedureOutline, renderFlowchartSvg, renderProcedureText } from './index.ts';

/** Minimal XML well-formedness: balanced tags, escaped text, quoted attributes. */
function wellFormed(svg: string): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    if (/[<>]/.test(between) || /&(?!amp;|lt;|gt;|quot;|#39;)/.test(between)) errors.push(`bad text before ${m[0]}`);
    last = m.index + m[0].length;
    if (m[1]) {
      if (stack.pop() !== m[2]) errors.push(`unbalanced </${m[2]}>`);
    } else if (!m[4]) stack.push(m[2]!);
  }
  if (svg.slice(last).trim()) errors.push('trailing text');
  if (stack.length) errors.push(`unclosed ${stack.join(',')}`);
  return errors;
}

const textOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')).join('');

describe('renderFlowchartSvg', () => {
  it.each(listDefinitions().map((d) => [d.id, d] as const))('%s: well formed, complete, deterministic', (_id, def) => {
    const svg = renderFlowchartSvg(def);
    expect(wellFormed(svg)).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`font-family="${FLOWCHART_FONT_FAMILY.replace(/'/g, '&#39;')}"`);
    expect(FLOWCHART_FONT_FAMILY).toContain('Noto Sans CJK SC');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg).toMatch(/role="img" aria-labelledby="[^"]+-title [^"]+-desc"/);
    const text = textOf(svg);
    for (const s of def.steps) expect(text).toContain(s.name);
    for (const c of def.clocks) expect(text).toContain(c.name);
    // One arrow per transition of a main step.
    const transitions = def.steps.reduce((n, s) => n + s.next.length, 0);
    expect(svg.match(/marker-end=/g)?.length).toBe(transitions);
    expect(renderFlowchartSvg(def)).toBe(svg);
  });

  it('prints the same art. 51 limit the engine enforces, and the conditions on the arrows', () => {
    const text = textOf(renderFlowchartSvg(getDefinition('penalty-summary')));
    expect(text).toContain('限于：警告，或对公民罚款不超过200元、对法人或者其他组织罚款不超过3000元');
    const general = textOf(renderFlowchartSvg(getDefinition('penalty-general')));
    expect(general).toContain('当事人在期限内申请听证');
    expect(general).toContain('不属于重大执法决定，且当事人未申请听证，且无须集体讨论');
    expect(general).toContain('须经法制审核通过：属于重大执法决定，或当事人申请听证');
    expect(general).toContain('起算：作出处罚决定期限（90日）');
    const seizure = textOf(renderFlowchartSvg(getDefinition('coercion-seizure')));
    expect(seizure).toContain('音像记录：全程音像记录');
    expect(seizure).toContain('查封扣押期限：30日（经批准可延长一次，每次至多30日）');
  });

  it('escapes text and takes an id prefix for pages with several charts', () => {
    const def = getDefinition('inspection');
    const svg = renderFlowchartSvg(def, { idPrefix: 'a<b' });
    expect(svg).toContain('id="a-b-title"');
    expect(wellFormed(svg)).toEqual([]);
  });
});

describe('accessible text version', () => {
  it('lists every step once, in reading order, main steps from the start to the archive', () => {
    for (const def of listDefinitions()) {
      const items = procedureOutline(def);
      expect(items.map((i) => i.index)).toEqual(items.map((_, i) => i + 1));
      expect(new Set(items.map((i) => i.key)).size).toBe(def.steps.length);
      expect(items[0]!.key).toBe(def.start);
      expect(items[0]!.isStart).toBe(true);
    }
    const general = procedureOutline(getDefinition('penalty-general'));
    const pos = (k: string) => general.findIndex((i) => i.key === k);
    expect(pos('filing')).toBeLessThan(pos('inspection'));
    expect(pos('prior_notice')).toBeLessThan(pos('hearing'));
    expect(pos('hearing')).toBeLessThan(pos('legal_review'));
    expect(pos('legal_review')).toBeLessThan(pos('penalty_decision'));
    expect(pos('penalty_decision')).toBeLessThan(pos('service'));
    expect(general.at(-1)!.key).toBe('archive');
    expect(general.find((i) => i.key === 'inspection')!.during.map((d) => d.name)).toEqual(['立案', '补充调查']);
  });

  it('renders plain text with the steps, conditions and limits', () => {
    const text = renderProcedureText(getDefinition('licensing'));
    expect(text.split('\n')[0]).toBe('行政许可（第1版，行政许可）');
    expect(text).toContain('【受理】接收申请（起始）');
    expect(text).toContain('→ 受理：材料齐全、符合法定形式');
    expect(text).toContain('许可决定期限：20个工作日（经批准可延长一次，每次至多10个工作日）（办理时限）；听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审期间不计入。');
  });
});
