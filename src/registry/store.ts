// Registry queries. Plain functions per table, imported as a namespace (`registryRepo.x`) so that a
// reader sees at the call site that a query runs.
import type { Queryable } from '../platform/db.ts';
import type { AgencyInput, OfficerInput } from './schema.ts';

export interface AgencyRow {
  id: string;
  name: string;
  credit_code: string;
  kind: string;
  level: string;
  region_code: string;
  legal_status: string;
  entrusting_agency_id: string | null;
  entrusting_agency_name: string | null;
  fields: string[];
  duties: string;
  legal_basis: string;
  parent_id: string | null;
  parent_name: string | null;
  review_unit: string;
  address: string;
  phone: string;
}

const AGENCY_SELECT = `SELECT a.id, a.name, a.credit_code, a.kind, a.level, a.region_code, a.legal_status, a.entrusting_agency_id,
    e.name AS entrusting_agency_name, a.fields, a.duties, a.legal_basis, a.parent_id, p.name AS parent_name, a.review_unit, a.address, a.phone
  FROM agencies a LEFT JOIN agencies e ON e.id = a.entrusting_agency_id LEFT JOIN agencies p ON p.id = a.parent_id`;

export async function getAgency(q: Queryable, id: string) {
  return (await q.query<AgencyRow>(`${AGENCY_SELECT} WHERE a.id = $1`, [id])).rows[0];
}

export async function listAgencies(q: Queryable, where: string, params: unknown[], limit: number, offset: number) {
  const n = params.length;
  const items = await q.query<AgencyRow>(`${AGENCY_SELECT} WHERE ${where} ORDER BY a.region_code, a.name LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, limit, offset]);
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies a WHERE ${where}`, params);
  return { items: items.rows, total: total.rows[0]!.n };
}

export async function insertAgency(q: Queryable, id: string, a: AgencyInput) {
  await q.query(
    `INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status, entrusting_agency_id, fields, duties, legal_basis, parent_id, review_unit, address, phone)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
    [id, a.name, a.creditCode, a.kind, a.level, a.regionCode, a.legalStatus, a.entrustingAgencyId, a.fields, a.duties, a.legalBasis, a.parentId, a.reviewUnit, a.address, a.phone],
  );
}

export async function updateAgency(q: Queryable, id: string, a: AgencyInput) {
  await q.query(
    `UPDATE agencies SET name=$2, credit_code=$3, kind=$4, level=$5, region_code=$6, legal_status=$7, entrusting_agency_id=$8, fields=$9, duties=$10,
       legal_basis=$11, parent_id=$12, review_unit=$13, address=$14, phone=$15, updated_at=now() WHERE id=$1`,
    [id, a.name, a.creditCode, a.kind, a.level, a.regionCode, a.legalStatus, a.entrustingAgencyId, a.fields, a.duties, a.legalBasis, a.parentId, a.reviewUnit, a.address, a.phone],
  );
}

export async function existingCreditCodes(q: Queryable, codes: string[]) {
  return new Set((await q.query<{ credit_code: string }>(`SELECT credit_code FROM agencies WHERE credit_code = ANY($1)`, [codes])).rows.map((r) => r.credit_code));
}

export interface OfficerRow {
  id: string;
  agency_id: string;
  agency_name: string;
  agency_region: string;
  name: string;
  gender: string | null;
  id_number: string | null;
  certificate_number: string;
  issuer_type: string;
  justice_registration: string | null;
  category: string;
  area: string;
  valid_from: string;
  valid_to: string;
  status: string;
  effective_status: string;
  qualification: string;
  exam_passed_on: string | null;
}

/** Effective status: a valid certificate outside its validity is expired (R-P03). `$1` is today's date. */
const EFFECTIVE_STATUS = `CASE WHEN o.status <> 'valid' THEN o.status WHEN o.valid_to < $1::date OR o.valid_from > $1::date THEN 'expired' ELSE 'valid' END`;

const OFFICER_SELECT = `SELECT o.id, o.agency_id, a.name AS agency_name, a.region_code AS agency_region, o.name, o.gender, o.id_number,
    o.certificate_number, o.issuer_type, o.justice_registration, o.category, o.area, o.valid_from, o.valid_to, o.status,
    ${EFFECTIVE_STATUS} AS effective_status,
    o.qualification, o.exam_passed_on
  FROM officers o JOIN agencies a ON a.id = o.agency_id`;

export async function getOfficer(q: Queryable, today: string, id: string) {
  return (await q.query<OfficerRow>(`${OFFICER_SELECT} WHERE o.id = $2`, [today, id])).rows[0];
}

export async function getOfficerByCertificate(q: Queryable, today: string, certificateNumber: string) {
  return (await q.query<OfficerRow>(`${OFFICER_SELECT} WHERE o.certificate_number = $2`, [today, certificateNumber])).rows[0];
}

export interface OfficerSearch {
  q?: string;
  agencyId?: string;
  status?: string;
}

/**
 * Officer search. A query that looks like a certificate number matches by prefix; otherwise by the
 * start of the name. Both use btree text_pattern_ops indexes, so search stays fast at 100k officers
 * (docs/PERFORMANCE.md). `where`/`params` carry the caller's permission scope; params[0] is today.
 */
export async function searchOfficers(q: Queryable, scopeWhere: string, params: unknown[], s: OfficerSearch, limit: number, offset: number) {
  const conds = [scopeWhere];
  const p = [...params];
  if (s.q) {
    p.push(escapeLike(s.q) + '%');
    conds.push(/\d/.test(s.q) ? `o.certificate_number LIKE $${p.length}` : `o.name LIKE $${p.length}`);
  }
  if (s.agencyId) {
    p.push(s.agencyId);
    conds.push(`o.agency_id = $${p.length}`);
  }
  if (s.status) {
    p.push(s.status);
    conds.push(`(${EFFECTIVE_STATUS}) = $${p.length}`);
  }
  const where = conds.join(' AND ');
  const n = p.length;
  const items = await q.query<OfficerRow>(`${OFFICER_SELECT} WHERE ${where} ORDER BY o.name, o.certificate_number LIMIT $${n + 1} OFFSET $${n + 2}`, [...p, limit, offset]);
  // `$1` (today) is bound even where only the status filter reads it.
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM officers o JOIN agencies a ON a.id = o.agency_id CROSS JOIN (SELECT $1::date AS today) t WHERE ${where}`, p);
  return { items: items.rows, total: total.rows[0]!.n };
}

export function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

export async function insertOfficer(q: Queryable, id: string, o: OfficerInput) {
  await q.query(
    `INSERT INTO officers (id, agency_id, name, gender, id_number, certificate_number, issuer_type, justice_registration, category, area, valid_from, valid_to, status, qualification, exam_passed_on)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
    [id, o.agencyId, o.name, o.gender, o.idNumber, o.certificateNumber, o.issuerType, o.justiceRegistration, o.category, o.area, o.validFrom, o.validTo, o.status, o.qualification, o.examPassedOn],
  );
}

export async function updateOfficer(q: Queryable, id: string, o: Omit<OfficerInput, 'agencyId' | 'status'>) {
  await q.query(
    `UPDATE officers SET name=$2, gender=$3, id_number=$4, certificate_number=$5, issuer_type=$6, justice_registration=$7, category=$8, area=$9,
       valid_from=$10, valid_to=$11, qualification=$12, exam_passed_on=$13, updated_at=now() WHERE id=$1`,
    [id, o.name, o.gender, o.idNumber, o.certificateNumber, o.issuerType, o.justiceRegistration, o.category, o.area, o.validFrom, o.validTo, o.qualification, o.examPassedOn],
  );
}

export async function setOfficerStatus(q: Queryable, id: string, status: string) {
  await q.query(`UPDATE officers SET status=$2, updated_at=now() WHERE id=$1`, [id, status]);
}

export async function existingCertificateNumbers(q: Queryable, numbers: string[]) {
  return new Set((await q.query<{ certificate_number: string }>(`SELECT certificate_number FROM officers WHERE certificate_number = ANY($1)`, [numbers])).rows.map((r) => r.certificate_number));
}
