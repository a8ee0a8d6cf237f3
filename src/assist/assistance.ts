// Assistance, offline and explainable (issue 13): violation suggestions from the facts (the library's
// legal terms found in jieba tokens, ranked, the matched terms as the reason), similar decided cases
// (BM25 over jieba tokens, plus same violation and level; only what the reader may see), and the
// pre-check of a case file before archiving. Every answer says why; a person confirms.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { loadCase } from '../cases/access.ts';
import { caseFileProblems } from '../cases/case-file.ts';
import { definitionOf } from '../cases/definitions.ts';
import { readScope, scopeSql } from '../cases/policy.ts';
import type { Violation } from './library.ts';
import { allViolations } from './laws.ts';
import * as repo from './store.ts';
import { tokenize } from './text.ts';

export interface SuggestionAnswer {
  code: string;
  name: string;
  rank: number;
  score: number;
  terms: string[];
}

/**
 * Ranks violations by the library terms the facts contain: each term found counts its length (longer
 * legal terms are more specific), a term of the violation's name found among the facts' tokens counts
 * once more. Ties keep the library order.
 */
export function rankViolations(violations: readonly Violation[], text: string, limit = 5): SuggestionAnswer[] {
  const tokens = new Set(tokenize(text));
  const scored = violations.map((v, i) => {
    const terms = v.keywords.filter((k) => text.includes(k));
    const nameHits = tokenize(v.name).filter((t) => t.length > 1 && tokens.has(t) && !terms.includes(t));
    const score = terms.reduce((s, t) => s + t.length, 0) + nameHits.length;
    return { v, i, terms: [...terms, ...nameHits], score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.i - b.i).slice(0, limit)
    .map((s, k) => ({ code: s.v.code, name: s.v.name, rank: k + 1, score: s.score, terms: s.terms }));
}

export async function suggestForCase(ctx: AppContext, actor: Actor, caseId: string, text: string) {
  await loadCase(ctx.db, actor, caseId);
  return { items: rankViolations(await allViolations(ctx.db), text) };
}

const K1 = 1.2;
const B = 0.75;

/** BM25 of each document's tokens against the query's, over the candidate set's statistics. */
export function bm25(query: readonly string[], docs: readonly string[][]): { score: number; terms: string[] }[] {
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n);
  const q = [...new Set(query)];
  const wanted = new Set(q);
  // One pass over each document for the query terms' frequencies (the candidates number up to 1,000).
  const tfs = docs.map((d) => {
    const m = new Map<string, number>();
    for (const x of d) if (wanted.has(x)) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  });
  const df = new Map(q.map((t) => [t, tfs.filter((m) => m.has(t)).length]));
  return docs.map((d, i) => {
    let score = 0;
    const terms: string[] = [];
    for (const t of q) {
      const tf = tfs[i]!.get(t);
      if (!tf) continue;
      const idf = Math.log(1 + (n - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
      score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / Math.max(1, avg)));
      terms.push(t);
    }
    return { score, terms };
  });
}

/** The tokens of a stored tsvector, each repeated by its number of positions (its term frequency). */
export function tsvectorTokens(text: string | null): string[] {
  const out: string[] = [];
  for (const m of (text ?? '').matchAll(/'([^']+)'(?::([\d,A-D]+))?/g)) {
    const n = m[2] ? m[2].split(',').length : 1;
    for (let i = 0; i < n; i++) out.push(m[1]!);
  }
  return out;
}

const tsquery = (tokens: readonly string[]) => [...new Set(tokens)].slice(0, 40).map((t) => `'${t}'`).join(' | ');

/** GET /cases/{id}/similar: the closest decided cases the reader may see, each with its reasons. */
export async function similarCases(ctx: AppContext, actor: Actor, caseId: string, f: { agencyId?: string; limit?: number }) {
  const row = await loadCase(ctx.db, actor, caseId);
  const own = await repo.getDiscretion(ctx.db, caseId);
  const text = own?.facts_text || row.title;
  return { items: await rankSimilar(ctx.db, actor, caseId, text, own?.violation_code ?? null, own?.level ?? null, f) };
}

export async function rankSimilar(q: Queryable, actor: Actor, caseId: string, text: string, violationCode: string | null, level: string | null, f: { agencyId?: string; limit?: number; cap?: number }) {
  const tokens = tokenize(text);
  const params: unknown[] = [];
  const where = scopeSql(readScope(actor), 'a', params);
  const found = await repo.similarCandidates(q, where, params, { tsquery: tsquery(tokens), violationCode, exceptCaseId: caseId, agencyId: f.agencyId ?? null, cap: f.cap ?? 500 });
  const seen = new Set<string>();
  const rows = found.filter((r) => !seen.has(r.case_id) && seen.add(r.case_id));
  // The stored tokens, not a second jieba pass over every candidate: that pass dominated the time.
  const scores = bm25(tokens, rows.map((r) => tsvectorTokens(r.tokens)));
  const top = rows.map((r, i) => {
    const fields: string[] = [];
    let score = scores[i]!.score;
    if (violationCode && r.violation_code === violationCode) {
      score += 2;
      fields.push('违法行为相同');
    }
    if (level && r.level === level) {
      score += 1;
      fields.push('裁量阶次相同');
    }
    return { r, score: Math.round(score * 1000) / 1000, reason: { terms: scores[i]!.terms, fields } };
  }).filter((x) => x.score > 0).sort((a, b) => b.score - a.score || b.r.decided_on.localeCompare(a.r.decided_on) || a.r.case_id.localeCompare(b.r.case_id)).slice(0, f.limit ?? 10);
  // Headings only for the cases shown: joining cases for every candidate cost a lookup each.
  const heads = await repo.caseHeadings(q, top.map((x) => x.r.case_id));
  return top.map(({ r, score, reason }) => {
    const h = heads.get(r.case_id)!;
    return { caseId: r.case_id, number: h.number, title: h.title, agency: h.agency_name, violationCode: r.violation_code, level: r.level, amount: r.amount, decidedOn: r.decided_on, score, reason };
  });
}

/**
 * GET /cases/{id}/precheck: the review standard's checkable items (R-R07) shown before archiving: what
 * the case file lacks (the archive's own check), steps done late, steps with a single officer, and
 * mandatory AV steps without a record.
 */
export async function precheck(ctx: AppContext, actor: Actor, caseId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const name = (k: string) => def.steps.find((s) => s.key === k)?.name ?? k;
  const items: { code: string; reason: string; step?: string }[] = [];
  if (row.status !== 'archived') {
    for (const r of await caseFileProblems(ctx, row, def, actor)) items.push({ code: r.code === 'file_incomplete' ? 'missing' : r.code, reason: r.reason, ...(r.step ? { step: r.step } : {}) });
  }
  for (const s of row.state.steps) {
    const stepDef = def.steps.find((x) => x.key === s.step);
    if (s.warnings.some((w) => /late|overdue|passed/.test(w))) items.push({ code: 'late_step', reason: `「${name(s.step)}」（第 ${s.seq} 步，${s.on}）超过期限办理`, step: s.step });
    if (stepDef && (stepDef.roles.includes('officer')) && s.officers.length === 1) items.push({ code: 'single_officer', reason: `「${name(s.step)}」（第 ${s.seq} 步）只记载了一名执法人员（行政处罚法第四十二条：不得少于两人）`, step: s.step });
    if (s.av && s.av.requirement === 'mandatory' && !s.av.present && !items.some((i) => i.code === 'missing' && i.step === s.step)) items.push({ code: 'av_missing', reason: `「${name(s.step)}」（第 ${s.seq} 步）须全程音像记录，未见记录`, step: s.step });
  }
  return { caseId, ok: items.length === 0, items };
}
