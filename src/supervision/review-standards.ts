// 案卷评查 (R-R07, 条例第18条): review standards as versioned data — veto items (any one makes the file
// 不合格 with 0 points, or, in 'cap' mode, keeps it from 优秀) and sections with points and deductions,
// floored at 0 ("扣完为止，不计负分") — and the pure scoring of a file against one. The built-in standard
// follows the structure of 河南省行政处罚案卷评查标准 and 测绘地理信息 standard in supervision.md §3.1
// (卷面 20 + 内容 80); the thresholds 90/60 are the common practice noted there as unconfirmed.
import type { CaseFacts } from '../cases/supervision-facts.ts';
import type { ProcedureCalendar } from '../cases/procedures/index.ts';
import { ALERT_KIND_LABELS, evaluateCase } from './rules.ts';

export interface ReviewItem { code: string; text: string; deduction: number; perOccurrence: boolean }
export interface ReviewSection { code: string; name: string; maxPoints: number; items: ReviewItem[] }
export interface ReviewStandard {
  code: string;
  version: number;
  effectiveFrom: string;
  name: string;
  procedures: string[];
  vetoMode: 'fail' | 'cap';
  vetoItems: { code: string; text: string }[];
  sections: ReviewSection[];
  grades: { excellent: number; pass: number };
  source: string;
}

const REVIEW_STANDARDS_V1: ReviewStandard[] = [
  {
    code: 'penalty-general', version: 1, effectiveFrom: '2026-02-01', name: '行政处罚案卷评查标准（普通程序）', procedures: ['penalty-general', 'penalty-summary', 'coercion-seizure'],
    vetoMode: 'fail',
    vetoItems: [
      { code: 'no_authority', text: '执法主体不合法或超越职权' },
      { code: 'no_qualification', text: '承办人员无执法资格（证件过期或未取得）' },
      { code: 'fewer_than_two', text: '执法人员少于两人' },
      { code: 'facts_unclear', text: '事实不清、主要证据不足' },
      { code: 'wrong_law', text: '适用依据错误' },
      { code: 'limitation', text: '超过追诉时效' },
      { code: 'procedure_unlawful', text: '违反法定程序（应审未审、未告知听证等）' },
    ],
    sections: [
      {
        code: 'form', name: '卷面', maxPoints: 20, items: [
          { code: 'unused_form', text: '未使用规定文书', deduction: 2, perOccurrence: true },
          { code: 'form_filling', text: '文书填写不规范', deduction: 1, perOccurrence: true },
          { code: 'one_case_one_file', text: '未一案一卷', deduction: 2, perOccurrence: false },
          { code: 'cover', text: '卷宗封面不规范', deduction: 1, perOccurrence: false },
          { code: 'index_pages', text: '无目录或页码', deduction: 2, perOccurrence: false },
          { code: 'order', text: '组卷顺序不当', deduction: 1, perOccurrence: false },
        ],
      },
      {
        code: 'content', name: '内容', maxPoints: 80, items: [
          { code: 'filing_late', text: '立案不及时', deduction: 1, perOccurrence: false },
          { code: 'late_decision', text: '超过办案期限且无延期审批', deduction: 10, perOccurrence: false },
          { code: 'av_missing', text: '应当音像记录而未记录', deduction: 5, perOccurrence: true },
          { code: 'no_report', text: '无调查终结报告', deduction: 3, perOccurrence: false },
          { code: 'notice', text: '未依法告知陈述、申辩权利', deduction: 2, perOccurrence: false },
          { code: 'no_service', text: '无送达手续', deduction: 2, perOccurrence: true },
          { code: 'preservation_late', text: '先行登记保存超时处理', deduction: 5, perOccurrence: false },
          { code: 'disproportionate', text: '裁量明显不当（过罚不相当）', deduction: 15, perOccurrence: false },
        ],
      },
    ],
    grades: { excellent: 90, pass: 60 },
    source: '河南省行政处罚案卷评查标准（2022年版）结构；测绘地理信息行政处罚案卷评查标准（卷面 20 分、内容 80 分）；supervision.md §3.1',
  },
];

// Version 2 adds R-R10's item: an AV record kept without the AV list's retention period and method
// (a content deduction, 1 point per record); everything else as version 1.
const V1 = REVIEW_STANDARDS_V1[0]!;
REVIEW_STANDARDS_V1.push({
  ...V1, version: 2, effectiveFrom: '2026-11-01',
  sections: V1.sections.map((s) => s.code !== 'content' ? s : { ...s, items: [...s.items, { code: 'av_retention', text: '音像记录未按清单确定保存期限、保存方式', deduction: 1, perOccurrence: true }] }),
  source: `${V1.source}；R-R10 音像记录保存期限（第 2 版增列）`,
});

export const REVIEW_STANDARDS: readonly ReviewStandard[] = REVIEW_STANDARDS_V1;

export function standardInForce(code: string, on: string): ReviewStandard | undefined {
  return REVIEW_STANDARDS.filter((s) => s.code === code && s.effectiveFrom <= on).sort((a, b) => b.version - a.version)[0];
}

export type Grade = 'excellent' | 'pass' | 'fail';
export const GRADE_LABELS: Record<Grade, string> = { excellent: '优秀', pass: '合格', fail: '不合格' };

export interface Hits { vetoes: string[]; deductions: { code: string; times: number }[] }
export interface ScoreResult { score: number; sections: { code: string; name: string; score: number; maxPoints: number }[]; grade: Grade; vetoes: string[] }

/** Scores a file: sections floored at 0; a veto fails the file with 0 ('fail') or keeps it from 优秀 ('cap'). */
export function scoreFile(std: ReviewStandard, hits: Hits): ScoreResult {
  const unknown = [...hits.vetoes.filter((v) => !std.vetoItems.some((x) => x.code === v)), ...hits.deductions.map((d) => d.code).filter((c) => !std.sections.some((s) => s.items.some((i) => i.code === c)))];
  if (unknown.length) throw new Error(`评查标准中没有这些项目：${unknown.join('、')}`);
  const sections = std.sections.map((s) => {
    const lost = s.items.reduce((sum, item) => {
      const times = hits.deductions.filter((d) => d.code === item.code).reduce((a, d) => a + Math.max(0, d.times), 0);
      return sum + (times ? item.deduction * (item.perOccurrence ? times : 1) : 0);
    }, 0);
    return { code: s.code, name: s.name, score: Math.max(0, s.maxPoints - lost), maxPoints: s.maxPoints };
  });
  const vetoed = hits.vetoes.length > 0;
  const raw = sections.reduce((a, s) => a + s.score, 0);
  const score = vetoed && std.vetoMode === 'fail' ? 0 : raw;
  let grade: Grade = score >= std.grades.excellent ? 'excellent' : score >= std.grades.pass ? 'pass' : 'fail';
  if (vetoed && std.vetoMode === 'fail') grade = 'fail';
  if (vetoed && std.vetoMode === 'cap' && grade === 'excellent') grade = 'pass';
  return { score, sections, grade, vetoes: hits.vetoes };
}

/** What the data can tell before the reviewer looks (the reviewer confirms or changes it). */
export function automaticChecks(f: CaseFacts, asOf: string, cal: ProcedureCalendar, std: ReviewStandard, avWithoutRetention: readonly { title: string; problem: string }[] = []): Hits & { notes: string[] } {
  const findings = evaluateCase(f, asOf, cal);
  const vetoes = new Set<string>();
  const deductions: { code: string; times: number }[] = [];
  const notes: string[] = [];
  for (const x of findings) {
    notes.push(`${ALERT_KIND_LABELS[x.kind]}（预警规则 ${x.rule.code} 第 ${x.rule.version} 版）`);
    if (x.kind === 'single_officer') vetoes.add('fewer_than_two');
    if (x.kind === 'certificate_invalid') vetoes.add('no_qualification');
    if (x.kind === 'limitation_expired') vetoes.add('limitation');
    if (x.kind === 'review_missing' || x.kind === 'hearing_notice_missing' || x.kind === 'summary_limit') vetoes.add('procedure_unlawful');
    if (x.kind === 'overdue_decision') deductions.push({ code: 'late_decision', times: 1 });
    if (x.kind === 'av_missing') deductions.push({ code: 'av_missing', times: 1 });
  }
  // R-R10: each AV record without a retention period/method; a standard without the item only notes it.
  for (const r of avWithoutRetention) notes.push(`音像记录“${r.title}”未确定保存期限或保存方式（R-R10）：${r.problem}`);
  if (avWithoutRetention.length && std.sections.some((s) => s.items.some((i) => i.code === 'av_retention'))) deductions.push({ code: 'av_retention', times: avWithoutRetention.length });
  return { vetoes: [...vetoes], deductions, notes };
}
