// R-L01: the gate the case engine asks before a decision step: besides a passed review (the engine's
// reviewPassed), the decision must say what the review passed: the amount, the penalty kinds and the
// legal basis of the last passed round. A change needs a new round of review.
import type { Queryable } from '../platform/db.ts';
import type { FactValue, Refusal } from '../cases/procedures/index.ts';

interface Content { fineAmount: number | null; penaltyKinds: string[]; legalBasis: string | null }

const norm = (s: string) => s.replace(/\s+/g, '');

export async function decisionRefusals(
  q: Queryable, caseId: string, step: string,
  decision: { facts: Readonly<Record<string, FactValue>>; penaltyKinds: readonly string[]; documents: readonly { type: string; fields: Record<string, unknown> }[] },
): Promise<Refusal[]> {
  const { rows } = await q.query<{ round: number; content: Content }>(
    `SELECT r.round, t.content FROM legal_reviews r JOIN legal_review_opinions o ON o.review_id = r.id JOIN legal_review_routes t ON t.review_id = r.id
      WHERE r.case_id = $1 AND o.result = 'passed' ORDER BY r.round DESC LIMIT 1`, [caseId],
  );
  const passed = rows[0];
  if (!passed) return [];
  const c = passed.content;
  const out: Refusal[] = [];
  const why = (what: string) => ({ code: 'differs_from_review', step, reason: `${what}与第 ${passed.round} 次法制审核通过的内容不一致：改变决定内容的，须重新报送法制审核（R-L01）` });
  const fine = decision.facts.fineAmount;
  if (c.fineAmount !== null && typeof fine === 'number' && fine !== c.fineAmount) out.push(why(`罚款金额（${fine} 元，审核通过 ${c.fineAmount} 元）`));
  const kinds = [...decision.penaltyKinds].sort();
  if (kinds.join('|') !== c.penaltyKinds.join('|')) out.push(why(`处罚种类（${kinds.join('、') || '无'}，审核通过 ${c.penaltyKinds.join('、') || '无'}）`));
  if (c.legalBasis) {
    for (const d of decision.documents) {
      const basis = d.fields.penaltyBasis ?? d.fields.legalBasis;
      if (typeof basis === 'string' && basis.trim() && norm(basis) !== norm(c.legalBasis)) out.push(why('决定书载明的法律依据'));
    }
  }
  return out;
}
