// The one public projection of publications (R-P14: nothing unredacted leaves here). Every public
// route, page, feed, export and webhook reads publications through publicItem / publicDetail / the
// exchange rows below, and only rows the public may see: published or withdrawn, inside the publicity
// period. The source text, the redaction spans and correction contacts never appear in this file's output.
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { literal, type Db, type Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { isoDate, isUuid, todayInShanghai } from '../platform/validation.ts';
import { KINDS, type Kind } from './rules.ts';
import { searchTokens } from './service.ts';
import * as repo from './store.ts';

export const PUBLIC_STATUSES = ['published', 'withdrawn'] as const;

export const DecisionQuery = z.object({
  q: z.string().trim().max(100, '关键词最多 100 字').optional(),
  agency: z.string().trim().max(64, '机关参数最多 64 字').optional(),
  region: z.string().regex(/^\d{2,6}$/, '行政区划代码应为 2–6 位数字').optional(),
  kind: z.enum(KINDS, `类型应为 ${KINDS.join('、')} 之一`).optional(),
  from: isoDate('起始日期').optional(),
  to: isoDate('截止日期').optional(),
  updatedSince: z.iso.datetime({ offset: true, error: 'updatedSince 应为 ISO 8601 时间' }).optional(),
  cursor: z.string().max(400, '游标过长').regex(/^[A-Za-z0-9_-]*$/, '游标不合法').optional(),
  limit: z.coerce.number({ error: 'limit 应为数字' }).int('limit 应为整数').min(1, 'limit 至少为 1').max(100, 'limit 最多 100').default(20),
});
export type DecisionQuery = z.infer<typeof DecisionQuery>;

export function decisionUrl(ctx: AppContext, id: string): string {
  return `${ctx.config.publicUrl.replace(/\/$/, '')}/decisions/${id}`;
}

/** The list item of the public API (issue 8 contract). */
export function publicItem(ctx: AppContext, r: repo.PublicationRow) {
  return {
    id: r.id,
    documentNumber: r.document_number,
    kind: r.kind as Kind,
    agency: { id: r.agency_id, name: r.agency_name },
    party: r.party_display,
    decidedOn: r.decided_on,
    publishedOn: r.published_on,
    deadline: r.deadline,
    status: r.status as (typeof PUBLIC_STATUSES)[number],
    url: decisionUrl(ctx, r.id),
  };
}

/** The detail: the published text and its SHA-256, or when withdrawn the date and reason and no text. */
export function publicDetail(ctx: AppContext, r: repo.PublicationRow) {
  const base = { ...publicItem(ctx, r), version: r.version, previousId: r.previous_id, summary: publicSummary(r), publicUntil: r.public_until, contentSha256: r.content_sha256 };
  if (r.status === 'withdrawn') return { ...base, withdrawnOn: r.withdrawn_on, withdrawalReason: r.withdrawal_reason };
  return { ...base, text: r.public_text };
}

function publicSummary(r: repo.PublicationRow) {
  const s = r.summary;
  return { documentNumber: s.documentNumber ?? r.document_number, party: r.party_display, violation: s.violation ?? '', content: s.content ?? '', agency: r.agency_name, decidedOn: r.decided_on };
}

/** What the public sees: published or withdrawn, and not past its publicity period (R-P12) on `today`. */
const visibleOn = (today: string) => `p.status IN ('published', 'withdrawn') AND (p.public_until IS NULL OR p.public_until >= ${today})`;

function visible(params: unknown[]): string {
  params.push(todayInShanghai());
  return visibleOn(`$${params.length}`);
}

function decodeCursor(c: string | undefined): Record<string, string | number> | null {
  if (!c) return null;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string | number>;
  } catch {
    /* answered below */
  }
  throw badCursor();
}
const encodeCursor = (v: Record<string, string | number>) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

export interface SearchResult {
  rows: (repo.PublicationRow & { rank?: number })[];
  nextCursor: string | null;
  tokens: string[];
}

/**
 * How many of the newest matches a keyword search ranks (R-P17). Ranking every match cost time in
 * proportion to the hits (a common pair of words is hundreds of thousands at 10 million publications).
 * Ordering rule (docs/PUBLICITY.md): the newest RANK_WINDOW matches by relevance (ts_rank, then newest
 * first), then every older match newest first.
 */
export const RANK_WINDOW = 200;

type Built = { params: unknown[]; where: string[] };

function filters(f: DecisionQuery): Built {
  const params: unknown[] = [];
  const where = [visible(params)];
  if (f.agency) {
    params.push(f.agency);
    where.push(isUuid(f.agency) ? `p.agency_id = $${params.length}::uuid` : `(a.credit_code = upper($${params.length}) OR a.name = $${params.length})`);
  }
  if (f.region) {
    params.push(f.region);
    where.push(`a.region_code LIKE $${params.length} || '%'`);
  }
  if (f.kind) {
    params.push(f.kind);
    where.push(`p.kind = $${params.length}`);
  }
  if (f.from) {
    params.push(f.from);
    where.push(`p.decided_on >= $${params.length}`);
  }
  if (f.to) {
    params.push(f.to);
    where.push(`p.decided_on <= $${params.length}`);
  }
  return { params, where };
}

const badCursor = () => new AppError('validation', { detail: '游标不合法', errors: [{ field: 'query.cursor', message: '游标不合法，请使用上一页返回的 nextCursor' }] });

/**
 * Search and list (R-P17): jieba tokens against the `simple` tsvector (GIN) or a substring of 文号 /
 * names through pg_trgm; filters. Keyword results follow RANK_WINDOW's rule: an offset cursor inside the
 * ranked window, then a keyset cursor on (published_on, id). Lists without keywords: keyset, newest first,
 * or by `updatedSince` oldest change first.
 */
export async function searchDecisions(db: Queryable, f: DecisionQuery, tuning: SearchTuning = {}): Promise<SearchResult> {
  const cursor = decodeCursor(f.cursor);
  const tokens = f.q ? searchTokens(f.q).split(' ').filter(Boolean) : [];
  if (f.q) return keywordSearch(db, f, f.q, tokens, cursor, { fewMatches: tuning.fewMatches ?? FEW_MATCHES, commonShare: tuning.commonShare ?? COMMON_SHARE });
  const { params, where } = filters(f);
  let order: string;
  if (f.updatedSince) {
    if (cursor) {
      params.push(String(cursor.u), String(cursor.i));
      where.push(`(p.updated_at, p.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    } else {
      params.push(f.updatedSince);
      where.push(`p.updated_at > $${params.length}::timestamptz`);
    }
    order = `p.updated_at, p.id`;
  } else {
    if (cursor) {
      params.push(String(cursor.p), String(cursor.i));
      where.push(`(p.published_on, p.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    order = `p.published_on DESC, p.id DESC`;
  }
  params.push(f.limit + 1);
  const { rows } = await db.query<repo.PublicationRow & { updated_iso: string }>(
    `SELECT ${repo.PUBLIC_COLUMNS}, to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_iso
       FROM ${repo.FROM} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  let next: string | null = null;
  if (rows.length > f.limit && last) next = encodeCursor(f.updatedSince ? { u: last.updated_iso, i: last.id } : { p: last.published_on!, i: last.id });
  return { rows: page, nextCursor: next, tokens };
}

/**
 * Date probes, in days before the newest publication (or the keyset position), bounding the search for
 * the newest matches when the date index is walked. Week probes size their windows from the estimate.
 */
const PROBE_DAYS = [7, 30, 120, 365, null] as const;

/** The lexeme of a publication week, as `publication_week_lexeme` (0162) writes it into the search vector. */
export function weekLexeme(isoDay: string): string {
  const days = (Date.parse(`${isoDay}T00:00:00Z`) - Date.UTC(2000, 0, 3)) / 86_400_000;
  // SQL's integer division truncates towards zero; so does this.
  return `§w${Math.trunc(days / 7)}`;
}

const addDays = (isoDay: string, n: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A tsquery matching any publication week from `from` to `to` (ISO days, inclusive). */
function weeksQuery(from: string, to: string): string {
  const lexemes = new Set<string>();
  for (let d = from; d <= to; d = addDays(d, 7)) lexemes.add(weekLexeme(d));
  lexemes.add(weekLexeme(to));
  return [...lexemes].map((l) => `'${l}'`).join(' | ');
}

/**
 * Of each query word, only its longest tokens: search mode also yields a word's parts (许可证 → 许可, 可证,
 * 许可证), and jieba derives them from the word and the dictionary alone, so every text holding the word
 * holds its parts too; asking for them changes no result. It costs, though: the planner takes them for
 * independent words and multiplies their frequencies (许可证 明码标价, 103,000 hits at 10 million, was
 * estimated under 5,000), and GIN reads their long posting lists (工商行政 售卖: 5,900 index pages with
 * the parts, 21 ms without them). Only Han tokens are dropped: a token with letters or digits may be
 * split differently by the `simple` parser.
 */
export function wholeWordTokens(q: string): string {
  const han = /^\p{Script=Han}+$/u;
  return q.split(/\s+/).flatMap((word) => {
    const parts = searchTokens(word).split(' ').filter(Boolean);
    return parts.filter((t) => !han.test(t) || !parts.some((o) => o !== t && han.test(o) && o.includes(t)));
  }).join(' ');
}

/** The lexeme of an agency, as `publication_agency_lexeme` (0164) writes it into the search vector. */
export function agencyLexeme(agencyId: string): string {
  return `§a${agencyId.toLowerCase().replace(/-/g, '')}`;
}

/** Up to this many agencies, a filtered search asks GIN for their lexemes (0164); a wider region walks the date index. */
const AGENCY_LEXEMES_MAX = 64;

/**
 * The agencies an agency or region filter names, for GIN: a tsquery of their lexemes. Undefined when the
 * search is not filtered by agency; null when the filter names none (the plain filter answers nothing)
 * or too many for one tsquery.
 */
async function agencyScope(db: Queryable, f: DecisionQuery): Promise<{ ids: string[]; tsquery: string } | null | undefined> {
  if (!f.agency && !f.region) return undefined;
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.agency) {
    params.push(isUuid(f.agency) ? f.agency.toLowerCase() : f.agency);
    where.push(isUuid(f.agency) ? `id = $1::uuid` : `(credit_code = upper($1) OR name = $1)`);
  }
  if (f.region) {
    params.push(f.region);
    where.push(`region_code LIKE $${params.length} || '%'`);
  }
  params.push(AGENCY_LEXEMES_MAX + 1);
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM agencies WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`, params);
  if (!rows.length || rows.length > AGENCY_LEXEMES_MAX) return null;
  const ids = rows.map((r) => r.id);
  return { ids, tsquery: ids.map((id) => `'${agencyLexeme(id)}'`).join(' | ') };
}

/** Up to this many estimated matches, search reads them all through GIN (a heap read each) without probes. */
const FEW_MATCHES = 1000;

/**
 * Above this share of the public rows matching, a probe walks the date index newest first (it meets the
 * newest matches within a few hundred rows); below it, a probe asks GIN for the hits of its weeks only,
 * which the planner, blind to the date-week correlation, would not prefer by itself.
 */
const COMMON_SHARE = 0.03;

/** Thresholds of the search's plan choice; the tests move them to take every path on small data. */
export interface SearchTuning {
  fewMatches?: number;
  commonShare?: number;
}

async function estimatedMatches(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const plan = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: { 'Plan Rows': number } }[];
  return parsed[0]?.Plan['Plan Rows'] ?? Infinity;
}

async function keywordSearch(db: Queryable, f: DecisionQuery, q: string, tokens: string[], cursor: Record<string, string | number> | null, tuning: Required<SearchTuning>): Promise<SearchResult> {
  const { params, where } = filters(f);
  // Words separated by spaces are a full-text query; one unbroken string may also be a piece of a 文号 or name.
  const substring = !/\s/.test(q) || !tokens.length;
  const rankParams: unknown[] = [];
  let like = '';
  let likeRank = '';
  if (substring) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    params.push(pattern);
    like = `$${params.length}`;
    rankParams.push(pattern);
    likeRank = `CASE WHEN p.search_text ILIKE $${rankParams.length} THEN 1 ELSE 0 END`;
  }
  let rank = likeRank;
  // Index in `where` of the full-text condition, which a date probe narrows to its weeks.
  let textAt = -1;
  let textMatch = (_weeks: string | null) => '';
  let tokensAt = -1;
  if (tokens.length) {
    tokensAt = params.push(wholeWordTokens(q)) - 1;
    const tsq = `plainto_tsquery('simple', $${params.length})`;
    // The weeks are a second condition on the index, not part of the words' tsquery: GIN then leapfrogs
    // between the two (each skips ahead to the other's next hit) instead of reading every hit of the
    // weeks, which are rarer one by one than common words and would be read whole.
    textMatch = (weeks) => (substring ? `(p.search @@ ${tsq} OR p.search_text ILIKE ${like})` : `p.search @@ ${tsq}${weeks ? ` AND p.search @@ ${weeks}::tsquery` : ''}`);
    textAt = where.push(textMatch(null)) - 1;
    rankParams.push(tokens.join(' '));
    rank = `ts_rank(p.search, plainto_tsquery('simple', $${rankParams.length}))${substring ? ` + ${likeRank}` : ''}`;
  } else where.push(`p.search_text ILIKE ${like}`);

  /**
   * The newest `want` matches (before a keyset position), newest first. Probes bounded by publication
   * date keep the work near the newest rows: the planner walks the date index for common words or
   * intersects GIN with the date range for rarer ones, and only the last probe looks at every match.
   */
  const scope = await agencyScope(db, f);
  const newest = async (before: { p: string; i: string } | null, want: number) => {
    // Probes count back from the newest publication, not from today: a register that stopped
    // publishing months ago would otherwise run every probe empty.
    let anchor = before?.p;
    if (!anchor) {
      const { rows: top } = await db.query<{ d: string }>(`SELECT published_on AS d FROM publications WHERE status IN ('published', 'withdrawn') ORDER BY published_on DESC, id DESC LIMIT 1`);
      if (!top[0]) return [];
      anchor = top[0].d;
    }
    let rows: { id: string; published_on: string }[] = [];
    // Few matches in all: one query through GIN (each bounded probe would intersect the same GIN hits
    // with a date range again). The planner's estimate decides; planning costs no execution.
    const matches = await estimatedMatches(db, `SELECT 1 FROM ${repo.FROM} WHERE ${where.join(' AND ')}`, params);
    // The read-everything path asks GIN for the words, and for the agencies when filtered (0164); kind and
    // decision dates are checked row by row, so they do not make it cheaper and stay out of this estimate.
    const wordsOnly = !f.agency && !f.region && !f.kind && !f.from && !f.to;
    const gin = substring || tokensAt < 0 || wordsOnly ? matches : await estimatedMatches(db,
      `SELECT 1 FROM publications p WHERE p.status IN ('published', 'withdrawn') AND p.search @@ plainto_tsquery('simple', $1)${scope ? ' AND p.agency_id = ANY($2::uuid[])' : ''}`,
      scope ? [params[tokensAt], scope.ids] : [params[tokensAt]]);
    const readAll = gin <= tuning.fewMatches;
    let probes: readonly (number | null)[] = readAll ? [null] : PROBE_DAYS;
    // Week probes need GIN to bound the work: not an unbroken query (also matched as a substring through
    // pg_trgm), and an agency or region filter only as the agencies' lexemes (0164). They pay when the words
    // are rare among the rows a date index walk reads from the heap; for common ones the walk meets the
    // newest matches within a few hundred rows. The agency's index checks kind and decision dates on its
    // entries (0165), so with an agency only the rows passing those are read; without one, every row.
    const weekable = probes.length > 1 && textAt >= 0 && !substring && scope !== null;
    let walked = 0;
    if (weekable && scope) {
      const ps: unknown[] = [scope.ids];
      const cond = [`p.status IN ('published', 'withdrawn')`, `p.agency_id = ANY($1::uuid[])`];
      if (f.kind) cond.push(`p.kind = $${ps.push(f.kind)}`);
      if (f.from) cond.push(`p.decided_on >= $${ps.push(f.from)}`);
      if (f.to) cond.push(`p.decided_on <= $${ps.push(f.to)}`);
      walked = await estimatedMatches(db, `SELECT 1 FROM publications p WHERE ${cond.join(' AND ')}`, ps);
    } else if (weekable) walked = await estimatedMatches(db, `SELECT 1 FROM publications p WHERE p.status IN ('published', 'withdrawn')`, []);
    const byWeek = weekable && matches < tuning.commonShare * walked;
    if (byWeek) {
      // The first window is sized to hold about twice the wanted matches, spreading the estimated
      // matches evenly over the register's days; each next one is four times wider.
      const { rows: oldest } = await db.query<{ d: string }>(`SELECT published_on AS d FROM publications WHERE status IN ('published', 'withdrawn') ORDER BY published_on, id LIMIT 1`);
      const span = Math.max(1, (Date.parse(anchor) - Date.parse(oldest[0]?.d ?? anchor)) / 86_400_000);
      const widths: (number | null)[] = [];
      for (let d = Math.max(1, Math.ceil((2 * want * span) / matches)); d < span; d *= 4) widths.push(d);
      probes = [...widths, null];
    }
    for (const days of probes) {
      const ps = [...params];
      const w = [...where];
      if (before) {
        ps.push(before.p, before.i);
        w.push(`(p.published_on, p.id) < ($${ps.length - 1}::date, $${ps.length}::uuid)`);
      }
      if ((byWeek || readAll) && scope) {
        // The agencies beside the words (and weeks), a condition GIN leapfrogs over (0164).
        ps.push(scope.tsquery);
        w.push(`p.search @@ $${ps.length}::tsquery`);
      }
      if (days !== null && byWeek) {
        // The probe's weeks inside the tsquery: GIN yields only the hits of these weeks (0162). They
        // are every match from the first week's Monday on, so the newest of them are the newest of all.
        // No date condition beside them: the planner would intersect GIN with the date index for nothing.
        ps.push(weeksQuery(addDays(anchor, -days), anchor));
        w[textAt] = textMatch(`$${ps.length}`);
      } else if (days !== null) {
        ps.push(anchor, days);
        w.push(`p.published_on >= $${ps.length - 1}::date - $${ps.length}::int`);
      }
      ps.push(want);
      ({ rows } = await db.query<{ id: string; published_on: string }>(
        `SELECT p.id, p.published_on FROM ${repo.FROM} WHERE ${w.join(' AND ')} ORDER BY p.published_on DESC, p.id DESC LIMIT $${ps.length}`, ps));
      if (rows.length >= want) break;
    }
    return rows;
  };
  const load = async (ids: string[], order: string, limit: number, offset: number) => {
    const ps = [...rankParams, ids, limit, offset];
    const { rows } = await db.query<repo.PublicationRow & { rank: number }>(
      `SELECT ${repo.PUBLIC_COLUMNS}, ${rank || '0'} AS rank FROM ${repo.FROM} WHERE p.id = ANY($${ps.length - 2}::uuid[])
        ORDER BY ${order} LIMIT $${ps.length - 1} OFFSET $${ps.length}`, ps);
    return rows;
  };
  const older = async (before: { p: string; i: string }, n: number) => load((await newest(before, n)).map((r) => r.id), 'p.published_on DESC, p.id DESC', n, 0);
  const keysetNext = (rows: repo.PublicationRow[], more: boolean) => {
    const last = rows[rows.length - 1];
    return more && last ? encodeCursor({ p: last.published_on!, i: last.id }) : null;
  };

  // Past the ranked window: older matches, newest first.
  if (cursor && (cursor.p !== undefined || cursor.i !== undefined)) {
    const p = String(cursor.p);
    const i = String(cursor.i);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p) || !isUuid(i)) throw badCursor();
    const rows = await older({ p, i }, f.limit + 1);
    const page = rows.slice(0, f.limit);
    return { rows: page, nextCursor: keysetNext(page, rows.length > f.limit), tokens };
  }
  const offset = typeof cursor?.o === 'number' && Number.isInteger(cursor.o) && cursor.o >= 0 ? Math.min(cursor.o, RANK_WINDOW) : 0;
  const window = await newest(null, RANK_WINDOW);
  const rows = await load(window.map((r) => r.id), 'rank DESC, p.published_on DESC, p.id DESC', f.limit + 1, offset);
  if (rows.length > f.limit) return { rows: rows.slice(0, f.limit), nextCursor: encodeCursor({ o: offset + f.limit }), tokens };
  // The window ends on this page; a full window may have older matches behind it.
  const edge = window[window.length - 1];
  if (window.length < RANK_WINDOW || !edge) return { rows, nextCursor: null, tokens };
  const more = await older({ p: edge.published_on, i: edge.id }, f.limit - rows.length + 1);
  const page = [...rows, ...more].slice(0, f.limit);
  return { rows: page, nextCursor: keysetNext(page, rows.length + more.length > f.limit), tokens };
}

export async function listPublic(ctx: AppContext, f: DecisionQuery) {
  const r = await searchDecisions(ctx.db, f);
  return { items: r.rows.map((row) => publicItem(ctx, row)), nextCursor: r.nextCursor };
}

export async function getPublic(ctx: AppContext, id: string) {
  const params: unknown[] = [id];
  const { rows } = await ctx.db.query<repo.PublicationRow>(`SELECT ${repo.PUBLIC_COLUMNS} FROM ${repo.FROM} WHERE p.id = $1 AND ${visible(params)}`, params);
  if (!rows[0]) throw notFound('公示信息');
  return rows[0];
}

/** The versions of a decision, oldest first, as far as they are public. */
export async function publicVersions(ctx: AppContext, row: repo.PublicationRow) {
  const params: unknown[] = [row.id];
  const { rows } = await ctx.db.query<{ id: string; version: number; status: string; published_on: string | null }>(
    `WITH RECURSIVE back(id, previous_id) AS (SELECT id, previous_id FROM publications WHERE id = $1
        UNION SELECT p.id, p.previous_id FROM publications p JOIN back b ON p.id = b.previous_id),
      fwd(id) AS (SELECT id FROM publications WHERE id = $1 UNION SELECT p.id FROM publications p JOIN fwd f ON p.previous_id = f.id)
     SELECT p.id, p.version, p.status, p.published_on FROM publications p JOIN agencies a ON a.id = p.agency_id
      WHERE p.id IN (SELECT id FROM back UNION SELECT id FROM fwd) AND ${visible(params)} ORDER BY p.version`,
    params,
  );
  return rows;
}

// ---- 双公示 exchange (R-P17, R-I02) ----

const yuanToWan = (yuan: unknown) => (typeof yuan === 'number' && yuan > 0 ? String(Number((yuan / 10000).toFixed(6))) : '');
const slash = (d: string | null | undefined) => (d ? d.replace(/-/g, '/') : '');
const LONG_TERM = '2099/12/31';

/** 行政处罚 fields (CF_*), in the order of the national standard (reference/publicity.md §2.2). */
export const PENALTY_FIELDS = [
  'CF_XDR_MC', 'CF_XDR_LB', 'CF_XDR_SHXYM', 'CF_XDR_GSZC', 'CF_XDR_ZZJG', 'CF_XDR_SWDJ', 'CF_XDR_SYDW', 'CF_XDR_SHZZ', 'CF_FRDB', 'CF_FR_ZJLX', 'CF_FR_ZJHM',
  'CF_XDR_ZJLX', 'CF_XDR_ZJHM', 'CF_WSH', 'CF_WFXW', 'CF_SY', 'CF_YJ', 'CF_CFLB', 'CF_NR', 'CF_NR_FK', 'CF_NR_WFFF', 'CF_NR_ZKDX', 'CF_JDRQ', 'CF_YXQ', 'CF_GSJZQ',
  'CF_CFJG', 'CF_CFJGDM', 'CF_SJLY', 'CF_SJLYDM', 'BZ',
] as const;

/** 行政许可 fields (XK_*), reference/publicity.md §2.3. */
export const LICENCE_FIELDS = [
  'XK_XDR_MC', 'XK_XDR_LB', 'XK_XDR_SHXYM', 'XK_XDR_GSZC', 'XK_XDR_ZZJG', 'XK_XDR_SWDJ', 'XK_XDR_SYDW', 'XK_XDR_SHZZ', 'XK_FRDB', 'XK_FR_ZJLX', 'XK_FR_ZJHM',
  'XK_XDR_ZJLX', 'XK_XDR_ZJHM', 'XK_XKWS', 'XK_WSH', 'XK_XKLB', 'XK_XKZS', 'XK_XKBH', 'XK_NR', 'XK_JDRQ', 'XK_YXQZ', 'XK_YXQZI', 'XK_XKJG', 'XK_XKJGDM', 'XK_ZT',
  'XK_LYDW', 'XK_LYDWDM', 'BZ',
] as const;

type Ex = { partyCategory?: string; partyCreditCode?: string; legalRepresentative?: string; penaltyKinds?: string[]; fine?: number; confiscated?: number; facts?: string; penaltyBasis?: string; documentTitle?: string; licenceCategory?: string; validTo?: string | null };

/**
 * One 双公示 row. A natural person's ID number (CF_XDR_ZJHM) is "shared, not published": the public
 * export leaves it empty (R-P14); the party is the published name (surname + 某某 by default).
 */
export function penaltyRow(r: repo.PublicationRow): Record<(typeof PENALTY_FIELDS)[number], string> {
  const e = r.exchange as Ex;
  const person = r.party_type === 'citizen';
  const kinds = e.penaltyKinds ?? [];
  return {
    CF_XDR_MC: r.party_display, CF_XDR_LB: person ? '自然人' : '法人及非法人组织', CF_XDR_SHXYM: person ? '' : (e.partyCreditCode ?? ''), CF_XDR_GSZC: '', CF_XDR_ZZJG: '', CF_XDR_SWDJ: '', CF_XDR_SYDW: '', CF_XDR_SHZZ: '',
    CF_FRDB: person ? '' : (e.legalRepresentative ?? ''), CF_FR_ZJLX: '', CF_FR_ZJHM: '', CF_XDR_ZJLX: person ? '身份证' : '', CF_XDR_ZJHM: '',
    CF_WSH: r.document_number, CF_WFXW: r.summary.violation ?? '', CF_SY: r.summary.violation ?? '', CF_YJ: r.summary.basis ?? '', CF_CFLB: kinds.join(';'), CF_NR: r.summary.content ?? '',
    CF_NR_FK: yuanToWan(e.fine), CF_NR_WFFF: yuanToWan(e.confiscated), CF_NR_ZKDX: '', CF_JDRQ: slash(r.decided_on), CF_YXQ: slash(r.public_until) || LONG_TERM, CF_GSJZQ: slash(r.public_until),
    CF_CFJG: r.agency_name, CF_CFJGDM: r.agency_credit_code, CF_SJLY: r.agency_name, CF_SJLYDM: r.agency_credit_code, BZ: r.status === 'withdrawn' ? `已撤回：${r.withdrawal_reason ?? ''}` : '',
  };
}

export function licenceRow(r: repo.PublicationRow): Record<(typeof LICENCE_FIELDS)[number], string> {
  const e = r.exchange as Ex;
  const person = r.party_type === 'citizen';
  return {
    XK_XDR_MC: r.party_display, XK_XDR_LB: person ? '自然人' : '法人及非法人组织', XK_XDR_SHXYM: person ? '' : (e.partyCreditCode ?? ''), XK_XDR_GSZC: '', XK_XDR_ZZJG: '', XK_XDR_SWDJ: '', XK_XDR_SYDW: '', XK_XDR_SHZZ: '',
    XK_FRDB: person ? '' : (e.legalRepresentative ?? ''), XK_FR_ZJLX: '', XK_FR_ZJHM: '', XK_XDR_ZJLX: person ? '身份证' : '', XK_XDR_ZJHM: '',
    XK_XKWS: e.documentTitle ?? '行政许可决定书', XK_WSH: r.document_number, XK_XKLB: e.licenceCategory ?? '普通', XK_XKZS: '', XK_XKBH: r.document_number, XK_NR: r.summary.content ?? '',
    XK_JDRQ: slash(r.decided_on), XK_YXQZ: slash(r.decided_on), XK_YXQZI: e.validTo ? slash(e.validTo) : LONG_TERM, XK_XKJG: r.agency_name, XK_XKJGDM: r.agency_credit_code,
    XK_ZT: r.status === 'withdrawn' ? '2' : '1', XK_LYDW: r.agency_name, XK_LYDWDM: r.agency_credit_code, BZ: r.status === 'withdrawn' ? `已撤回：${r.withdrawal_reason ?? ''}` : '',
  };
}

// The same two rows formatted by PostgreSQL, for the CSV export by COPY (csvCopy): one expression per
// field, each the SQL of the line above it in penaltyRow / licenceRow. test/publicity.export-copy.test.ts
// holds the two byte for byte equal on tricky rows.
const wan = (field: string) => `CASE WHEN jsonb_typeof(p.exchange->'${field}') = 'number' AND (p.exchange->>'${field}')::numeric > 0 THEN trim_scale(round((p.exchange->>'${field}')::numeric / 10000, 6))::text END`;
const slashSql = (date: string) => `to_char(${date}, 'YYYY/MM/DD')`;
const PERSON = `p.party_type = 'citizen'`;
const ifOrganisation = (e: string) => `CASE WHEN ${PERSON} THEN NULL ELSE ${e} END`;
const ifPerson = (e: string) => `CASE WHEN ${PERSON} THEN ${e} END`;
const withdrawnNote = `CASE WHEN p.status = 'withdrawn' THEN '已撤回：' || coalesce(p.withdrawal_reason, '') END`;
const PARTY_SQL = { LB: `CASE WHEN ${PERSON} THEN '自然人' ELSE '法人及非法人组织' END`, SHXYM: ifOrganisation(`p.exchange->>'partyCreditCode'`), FRDB: ifOrganisation(`p.exchange->>'legalRepresentative'`), ZJLX: ifPerson(`'身份证'`) };

const PENALTY_SQL: Record<(typeof PENALTY_FIELDS)[number], string | null> = {
  CF_XDR_MC: 'p.party_display', CF_XDR_LB: PARTY_SQL.LB, CF_XDR_SHXYM: PARTY_SQL.SHXYM, CF_XDR_GSZC: null, CF_XDR_ZZJG: null, CF_XDR_SWDJ: null, CF_XDR_SYDW: null, CF_XDR_SHZZ: null,
  CF_FRDB: PARTY_SQL.FRDB, CF_FR_ZJLX: null, CF_FR_ZJHM: null, CF_XDR_ZJLX: PARTY_SQL.ZJLX, CF_XDR_ZJHM: null,
  CF_WSH: 'p.document_number', CF_WFXW: `p.summary->>'violation'`, CF_SY: `p.summary->>'violation'`, CF_YJ: `p.summary->>'basis'`,
  CF_CFLB: `CASE WHEN jsonb_typeof(p.exchange->'penaltyKinds') = 'array' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(p.exchange->'penaltyKinds')), ';') END`,
  CF_NR: `p.summary->>'content'`, CF_NR_FK: wan('fine'), CF_NR_WFFF: wan('confiscated'), CF_NR_ZKDX: null, CF_JDRQ: slashSql('p.decided_on'),
  CF_YXQ: `coalesce(${slashSql('p.public_until')}, '${LONG_TERM}')`, CF_GSJZQ: slashSql('p.public_until'),
  CF_CFJG: 'a.name', CF_CFJGDM: 'a.credit_code', CF_SJLY: 'a.name', CF_SJLYDM: 'a.credit_code', BZ: withdrawnNote,
};

const LICENCE_SQL: Record<(typeof LICENCE_FIELDS)[number], string | null> = {
  XK_XDR_MC: 'p.party_display', XK_XDR_LB: PARTY_SQL.LB, XK_XDR_SHXYM: PARTY_SQL.SHXYM, XK_XDR_GSZC: null, XK_XDR_ZZJG: null, XK_XDR_SWDJ: null, XK_XDR_SYDW: null, XK_XDR_SHZZ: null,
  XK_FRDB: PARTY_SQL.FRDB, XK_FR_ZJLX: null, XK_FR_ZJHM: null, XK_XDR_ZJLX: PARTY_SQL.ZJLX, XK_XDR_ZJHM: null,
  XK_XKWS: `coalesce(p.exchange->>'documentTitle', '行政许可决定书')`, XK_WSH: 'p.document_number', XK_XKLB: `coalesce(p.exchange->>'licenceCategory', '普通')`, XK_XKZS: null,
  XK_XKBH: 'p.document_number', XK_NR: `p.summary->>'content'`, XK_JDRQ: slashSql('p.decided_on'), XK_YXQZ: slashSql('p.decided_on'),
  XK_YXQZI: `CASE WHEN coalesce(p.exchange->>'validTo', '') <> '' THEN replace(p.exchange->>'validTo', '-', '/') ELSE '${LONG_TERM}' END`,
  XK_XKJG: 'a.name', XK_XKJGDM: 'a.credit_code', XK_ZT: `CASE WHEN p.status = 'withdrawn' THEN '2' ELSE '1' END`, XK_LYDW: 'a.name', XK_LYDWDM: 'a.credit_code', BZ: withdrawnNote,
};

/**
 * The 双公示 CSV of a kind written by PostgreSQL's COPY, so that the rows never become JavaScript objects
 * (issue 8: the export's memory stays flat). The same bytes as csvStream over penaltyRow / licenceRow:
 * an empty field is NULL (COPY writes an empty string as ""), the header is the field codes, a BOM first.
 * Null where the database cannot copy (PGlite, or every copy slot taken): the caller streams by keyset.
 */
export function csvCopy(db: Pick<Db, 'copyOut'>, kind: 'penalty' | 'licensing', today = todayInShanghai()): Readable | null {
  const fields: Record<string, string | null> = kind === 'penalty' ? PENALTY_SQL : LICENCE_SQL;
  const columns = Object.entries(fields).map(([code, sql]) => `${sql ? `NULLIF((${sql})::text, '')` : 'NULL::text'} AS "${code}"`);
  return db.copyOut(`COPY (SELECT ${columns.join(', ')} FROM ${repo.FROM} WHERE ${visibleOn(literal(isoDate().parse(today)))} AND p.kind = ${literal(kind)}
    ORDER BY p.published_on, p.id) TO STDOUT WITH (FORMAT csv, HEADER true)`, Buffer.from('\uFEFF'));
}

/**
 * Every public row of a kind, read in keyset batches so memory stays flat whatever the size. The 双公示
 * rows do not carry the decision text: `text: false` leaves it out of each batch (a text is kilobytes).
 * EXPORT_BATCH is the exports' batch size.
 */
/**
 * Rows per query of an export. Measured at 10 million (docs/PERFORMANCE.md, issue 8): batches of 2,000
 * outlive V8's young generation and are promoted whole, so the old generation filled with dead batches
 * between full collections (resident memory +190 MB for 1 M rows); batches of 500 die young (+30 MB),
 * and the export is faster too (41,500 against 29,000 rows/s).
 */
export const EXPORT_BATCH = 500;

export async function* publicRows(db: Queryable, kind: Kind | null, opts: { batch?: number; text?: boolean } = {}): AsyncGenerator<repo.PublicationRow> {
  const batch = opts.batch ?? 1000;
  const columns = opts.text === false ? repo.PUBLIC_COLUMNS.replace('p.public_text,', 'NULL::text AS public_text,') : repo.PUBLIC_COLUMNS;
  let after: [string, string] | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where = [visible(params)];
    if (kind) {
      params.push(kind);
      where.push(`p.kind = $${params.length}`);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(p.published_on, p.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(batch);
    const { rows } = await db.query<repo.PublicationRow>(`SELECT ${columns} FROM ${repo.FROM} WHERE ${where.join(' AND ')} ORDER BY p.published_on, p.id LIMIT $${params.length}`, params);
    for (const r of rows) yield r;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    after = [last.published_on!, last.id];
  }
}

export function csvStream<T extends string>(rows: AsyncIterable<Record<T, string>>, columns: readonly T[]): Readable {
  // A UTF-8 BOM so that spreadsheet programs read the Chinese correctly.
  const out = stringify({ header: true, columns: columns as unknown as string[], bom: true });
  // Backpressure: no row is read from the database while the client is behind. A client that goes away
  // closes the stream, which ends the loop and with it the row source.
  const drainedOrClosed = () => new Promise<void>((res) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      res();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  (async () => {
    try {
      for await (const r of rows) {
        if (out.destroyed) break;
        if (!out.write(r)) await drainedOrClosed();
      }
      if (!out.destroyed) out.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

export function xlsxStream<T extends string>(rows: AsyncIterable<Record<T, string>>, columns: readonly T[], sheet: string): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({ header: c, key: c, width: 20 }));
  (async () => {
    try {
      for await (const r of rows) ws.addRow(r).commit();
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

export async function* mapRows<A, B>(src: AsyncIterable<A>, fn: (a: A) => B): AsyncGenerator<B> {
  for await (const a of src) yield fn(a);
}

export function jsonlStream(ctx: AppContext, rows: AsyncIterable<repo.PublicationRow>): Readable {
  return Readable.from(mapRows(rows, (r) => JSON.stringify(publicDetail(ctx, r)) + '\n'));
}
