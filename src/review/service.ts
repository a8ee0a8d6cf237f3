// What other domains ask of legal review (DESIGN §4: a domain calls another's service): the desk's
// review items (src/cases/work.ts) and the submissions a daily pass must judge against their clock
// (src/supervision/alerts.ts). Each desk query is bounded by the person and their agency.
import type { Queryable } from '../platform/db.ts';
import * as registry from '../registry/service.ts';

/** A submission as a desk item shows it: the case it belongs to, its round and day, the case's next clock. */
export interface DeskReview {
  caseId: string;
  round: number;
  number: string;
  title: string;
  /** The day the opinion came back (returned) or the day it was submitted (queue). */
  on: string;
  caseDue: string | null;
}

/**
 * R-L07: open cases of the agency whose latest round, submitted by this user, came back with problems
 * (to answer point by point and resubmit), oldest return first.
 */
export async function returnedToSubmitter(q: Queryable, userId: string, agencyId: string, limit: number): Promise<DeskReview[]> {
  const { rows } = await q.query<{ case_id: string; round: number; number: string; title: string; on_date: string; next_deadline: string | null }>(
    `SELECT r.case_id, r.round, c.number, c.title, o.on_date::text, c.next_deadline::text
       FROM legal_reviews r JOIN legal_review_opinions o ON o.review_id = r.id JOIN cases c ON c.id = r.case_id
      WHERE r.submitted_by = $1 AND c.agency_id = $2 AND c.status = 'open' AND o.result = 'problems'
        AND NOT EXISTS (SELECT 1 FROM legal_reviews n WHERE n.case_id = r.case_id AND n.round > r.round)
      ORDER BY o.on_date LIMIT $3`,
    [userId, agencyId, limit],
  );
  return rows.map((r) => ({ caseId: r.case_id, round: r.round, number: r.number, title: r.title, on: r.on_date, caseDue: r.next_deadline }));
}

/**
 * R-L03: a reviewer's queue: submissions without an opinion assigned to their roster entry, or not yet
 * assigned in their own agency; oldest first. Null when the user is no active roster member (no queue).
 * `workload` is the queue's length, `more` whether the limit cut it.
 */
export async function reviewQueue(q: Queryable, userId: string, agencyId: string, limit: number): Promise<{ items: DeskReview[]; workload: number; more: boolean } | null> {
  const entry = await registry.rosterEntryOfUser(q, userId);
  if (!entry?.active) return null;
  const own = entry.agencyId === agencyId;
  const { rows } = await q.query<{ case_id: string; round: number; number: string; title: string; on_date: string; next_deadline: string | null }>(
    `SELECT r.case_id, r.round, c.number, c.title, r.on_date::text, c.next_deadline::text
       FROM legal_reviews r JOIN cases c ON c.id = r.case_id LEFT JOIN legal_review_assignments x ON x.review_id = r.id
      WHERE NOT EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.review_id = r.id)
        AND (x.roster_id = $1 OR ($2 AND x.roster_id IS NULL AND c.agency_id = $3))
      ORDER BY r.on_date, r.created_at LIMIT $4`,
    [entry.id, own, agencyId, limit],
  );
  const items = rows.map((r) => ({ caseId: r.case_id, round: r.round, number: r.number, title: r.title, on: r.on_date, caseDue: r.next_deadline }));
  return { items, workload: items.length, more: items.length === limit };
}

export interface RoundAnswer {
  /** Index of the problem in the previous round's opinion. */
  problem: number;
  problemText: string | null;
  answer: string;
}

/** R-L07: each resubmission's point-by-point answers to the round before it (problem → answer), by submission id. */
export async function answersByReview(q: Queryable, caseId: string): Promise<Map<string, RoundAnswer[]>> {
  const { rows } = await q.query<{ id: string; answers: { problem: number; answer: string }[] | null; problems: string[] | null }>(
    `SELECT r.id, t.answers, o.problems FROM legal_reviews r LEFT JOIN legal_review_routes t ON t.review_id = r.id
       LEFT JOIN legal_review_opinions o ON o.review_id = r.id WHERE r.case_id = $1 ORDER BY r.round`,
    [caseId],
  );
  const out = new Map<string, RoundAnswer[]>();
  rows.forEach((r, i) => {
    const before = rows[i - 1]?.problems ?? [];
    out.set(r.id, (r.answers ?? []).map((a) => ({ problem: a.problem, problemText: before[a.problem] ?? null, answer: a.answer })));
  });
  return out;
}

/**
 * R-L08: cases with a submission still without an opinion whose clock ran out before `asOf`, in id order
 * after `afterId` (a daily pass judges them even when nobody touched the case since it was submitted).
 */
export async function casesWithReviewPastDue(q: Queryable, asOf: string, afterId: string | null, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ case_id: string }>(
    `SELECT DISTINCT t.case_id FROM legal_review_routes t
      WHERE t.due_on < $1::date AND t.case_id > $2 AND NOT EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.review_id = t.review_id)
      ORDER BY t.case_id LIMIT $3`,
    [asOf, afterId ?? '00000000-0000-0000-0000-000000000000', limit],
  );
  return rows.map((r) => r.case_id);
}
