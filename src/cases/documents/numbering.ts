// Document numbers (文号): agency abbreviation + kind + 〔year〕 + sequence + 号, e.g.
// X市监处罚〔2026〕12号, counted per agency, year and kind without gaps or repeats (R-R02).
//
// The counter row is incremented by one upsert inside the caller's transaction. PostgreSQL's row lock
// makes concurrent issuers of the same kind wait for each other; a transaction that rolls back undoes
// its increment, so the next issuer gets the same number and no gap appears. The caller must pass an
// open transaction that also writes the document: a number taken outside one is committed at once and
// is lost (a gap) if the document is not saved.
import { AppError } from '../../platform/errors.ts';
import type { Queryable } from '../../platform/db.ts';

export interface DocumentNumberRequest {
  agencyId: string;
  /** The agency's short name in numbers, e.g. 西湖市监. */
  agencyAbbreviation: string;
  /** The kind of document, e.g. 处罚 (decision), 罚告 (prior notice); also the counter's key. */
  kindAbbreviation: string;
  /** The year in Asia/Shanghai in which the document is issued. */
  year: number;
}

export interface DocumentNumber {
  seq: number;
  number: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Brackets, 号 and digits in an abbreviation would make numbers ambiguous to read back.
const ABBREVIATION = /^[^\s〔〕[\]()（）0-9０-９号]{1,20}$/u;

function check(req: DocumentNumberRequest) {
  const errors: { field: string; message: string }[] = [];
  if (!UUID.test(req.agencyId)) errors.push({ field: 'agencyId', message: '执法主体编号格式不正确' });
  if (!ABBREVIATION.test(req.agencyAbbreviation ?? '')) errors.push({ field: 'agencyAbbreviation', message: '机关代字应为 1–20 个字，不含空格、数字、括号和“号”' });
  if (!ABBREVIATION.test(req.kindAbbreviation ?? '')) errors.push({ field: 'kindAbbreviation', message: '文书类别字应为 1–20 个字，不含空格、数字、括号和“号”' });
  if (!Number.isInteger(req.year) || req.year < 1949 || req.year > 9999) errors.push({ field: 'year', message: '年份应为四位整数' });
  if (errors.length) throw new AppError('validation', { detail: `无法编制文号：${errors.map((e) => e.message).join('；')}`, errors });
}

/** X市监处罚〔2026〕12号 */
export function formatDocumentNumber(p: { agencyAbbreviation: string; kindAbbreviation: string; year: number; seq: number }): string {
  return `${p.agencyAbbreviation}${p.kindAbbreviation}〔${p.year}〕${p.seq}号`;
}

/** Reads a number back into its parts; null when it is not of the form 代字〔年份〕序号号. */
export function parseDocumentNumber(number: string): { prefix: string; year: number; seq: number } | null {
  const m = /^(.+)〔(\d{4})〕([1-9]\d*)号$/u.exec(number.trim());
  return m ? { prefix: m[1]!, year: Number(m[2]), seq: Number(m[3]) } : null;
}

/**
 * Takes the next number of its agency, year and kind inside the caller's transaction.
 * Numbers start at 1 each year; a rolled-back transaction leaves no gap.
 */
export async function nextDocumentNumber(tx: Queryable, req: DocumentNumberRequest): Promise<DocumentNumber> {
  check(req);
  const r = await tx.query<{ last: number }>(
    `INSERT INTO document_counters (agency_id, year, kind, last) VALUES ($1, $2, $3, 1)
     ON CONFLICT (agency_id, year, kind) DO UPDATE SET last = document_counters.last + 1
     RETURNING last`,
    [req.agencyId, req.year, req.kindAbbreviation],
  );
  const seq = Number(r.rows[0]!.last);
  return { seq, number: formatDocumentNumber({ ...req, seq }) };
}

/** The last number given so far (0 when none), for display; never use it to make a number. */
export async function lastDocumentSeq(q: Queryable, p: { agencyId: string; year: number; kindAbbreviation: string }): Promise<number> {
  const r = await q.query<{ last: number }>('SELECT last FROM document_counters WHERE agency_id = $1 AND year = $2 AND kind = $3', [p.agencyId, p.year, p.kindAbbreviation]);
  return r.rows[0] ? Number(r.rows[0].last) : 0;
}
