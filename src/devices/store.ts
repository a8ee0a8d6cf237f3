// Queries of the device register and the custodians' table.
import type { Queryable } from '../platform/db.ts';
import type { CustodyKind, DeviceKind, DeviceStatus } from './schema.ts';

export interface DeviceRow {
  id: string;
  agency_id: string;
  agency_name: string;
  region_code: string;
  kind: DeviceKind;
  serial: string;
  name: string;
  configuration: string;
  custodian: string;
  status: DeviceStatus;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT d.*, a.name AS agency_name, a.region_code FROM devices d JOIN agencies a ON a.id = d.agency_id`;

export async function insertDevice(q: Queryable, d: { id: string; agencyId: string; kind: string; serial: string; name: string; configuration: string; custodian: string; createdBy: string | null }) {
  const { rows } = await q.query(
    `INSERT INTO devices (id, agency_id, kind, serial, name, configuration, custodian, status, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,'in_service',$8) ON CONFLICT (agency_id, serial) DO NOTHING RETURNING id`,
    [d.id, d.agencyId, d.kind, d.serial, d.name, d.configuration, d.custodian, d.createdBy],
  );
  return rows.length > 0;
}

export async function getDevice(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}) {
  return (await q.query<DeviceRow>(`${SELECT} WHERE d.id = $1${opts.forUpdate ? ' FOR UPDATE OF d' : ''}`, [id])).rows[0];
}

export async function setStatus(q: Queryable, id: string, status: DeviceStatus, custodian: string) {
  await q.query(`UPDATE devices SET status = $2, custodian = $3, updated_at = now() WHERE id = $1`, [id, status, custodian]);
}

export async function listDevices(q: Queryable, where: string, params: unknown[], f: { agencyId?: string; status?: string; kind?: string }) {
  const conds = [where];
  if (f.agencyId) conds.push(`d.agency_id = $${params.push(f.agencyId)}`);
  if (f.status) conds.push(`d.status = $${params.push(f.status)}`);
  if (f.kind) conds.push(`d.kind = $${params.push(f.kind)}`);
  return (
    await q.query<DeviceRow & { records: number }>(
      `SELECT x.*, (SELECT count(*)::int FROM case_records r WHERE r.agency_id = x.agency_id AND r.device_id = x.serial) AS records
         FROM (${SELECT} WHERE ${conds.join(' AND ')}) x ORDER BY x.agency_name, x.kind, x.serial LIMIT 500`,
      params,
    )
  ).rows;
}

/** The agency's device by serial (or id), and whether any other agency registered that serial. */
export async function findForRecord(q: Queryable, agencyId: string, ref: string) {
  const { rows } = await q.query<{ id: string; agency_id: string; serial: string; status: DeviceStatus }>(
    `SELECT id, agency_id, serial, status FROM devices WHERE serial = $1 OR id::text = $1`,
    [ref],
  );
  const registered = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE agency_id = $1`, [agencyId])).rows[0]!.n;
  return { own: rows.find((r) => r.agency_id === agencyId), elsewhere: rows.some((r) => r.agency_id !== agencyId), registered };
}

// ---- custodians ----

export interface CustodianRow {
  id: number;
  agency_id: string;
  kind: CustodyKind;
  name: string;
  phone: string;
  storage: string;
  since: string;
  created_at: Date;
}

export async function insertCustodian(q: Queryable, c: { agencyId: string; kind: string; name: string; phone: string; storage: string; since: string; createdBy: string | null; eventId: number }) {
  await q.query(
    `INSERT INTO custodians (agency_id, kind, name, phone, storage, since, created_by, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [c.agencyId, c.kind, c.name, c.phone, c.storage, c.since, c.createdBy, c.eventId],
  );
}

/** Every custodian ever named, newest first per kind. */
export async function listCustodians(q: Queryable, agencyId: string) {
  return (await q.query<CustodianRow>(`SELECT id, agency_id, kind, name, phone, storage, since::text AS since, created_at FROM custodians WHERE agency_id = $1 ORDER BY kind, since DESC, id DESC`, [agencyId])).rows;
}
