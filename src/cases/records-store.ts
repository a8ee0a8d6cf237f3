// Queries of the records tables (R-R01 … R-R06): records, their link to steps, disclosures, access log.
import type { Queryable } from '../platform/db.ts';

export interface RecordRow {
  id: string;
  case_id: string;
  agency_id: string;
  kind: 'text' | 'video' | 'audio' | 'photo' | 'electronic';
  step: string;
  step_seq: number | null;
  claimed_seq: number | null;
  title: string;
  description: string;
  content: string | null;
  blob_sha256: string | null;
  size: number | null;
  media_type: string | null;
  recorder_id: string | null;
  recorder_name: string;
  device_id: string | null;
  started_at: Date;
  ended_at: Date;
  place: string;
  officers_present: { id: string; name: string; certificateNumber: string }[];
  custodian: string;
  corrects: string | null;
  correction_reason: string | null;
  corrected_by: string | null;
  created_by: string | null;
  event_id: number;
  created_at: Date;
  uploaded_at: Date | null;
  handover_limit_hours: number | null;
  handover_late: boolean | null;
}

const RECORD_SELECT = `SELECT r.*, l.seq AS claimed_seq,
    (SELECT x.id FROM case_records x WHERE x.corrects = r.id ORDER BY x.created_at DESC LIMIT 1) AS corrected_by
  FROM case_records r LEFT JOIN case_step_records l ON l.record_id = r.id`;

export interface NewRecord {
  id: string;
  caseId: string;
  agencyId: string;
  kind: string;
  step: string;
  stepSeq: number | null;
  title: string;
  description: string;
  content: string | null;
  blobSha256: string | null;
  size: number | null;
  mediaType: string | null;
  recorderId: string | null;
  recorderName: string;
  deviceId: string | null;
  startedAt: string;
  endedAt: string;
  place: string;
  officersPresent: object[];
  custodian: string;
  corrects: string | null;
  correctionReason: string | null;
  createdBy: string | null;
  eventId: number;
  uploadedAt: Date | null;
  handoverLimitHours: number | null;
  handoverLate: boolean | null;
}

export async function insertRecord(q: Queryable, r: NewRecord) {
  await q.query(
    `INSERT INTO case_records (id, case_id, agency_id, kind, step, step_seq, title, description, content, blob_sha256, size, media_type, recorder_id, recorder_name,
       device_id, started_at, ended_at, place, officers_present, custodian, corrects, correction_reason, created_by, event_id, uploaded_at, handover_limit_hours, handover_late)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27)`,
    [
      r.id, r.caseId, r.agencyId, r.kind, r.step, r.stepSeq, r.title, r.description, r.content, r.blobSha256, r.size, r.mediaType, r.recorderId,
      r.recorderName, r.deviceId, r.startedAt, r.endedAt, r.place, JSON.stringify(r.officersPresent), r.custodian, r.corrects, r.correctionReason,
      r.createdBy, r.eventId, r.uploadedAt, r.handoverLimitHours, r.handoverLate,
    ],
  );
}

export async function getRecord(q: Queryable, caseId: string, id: string) {
  return (await q.query<RecordRow>(`${RECORD_SELECT} WHERE r.case_id = $1 AND r.id = $2`, [caseId, id])).rows[0];
}

export async function listRecords(q: Queryable, caseId: string) {
  return (await q.query<RecordRow>(`${RECORD_SELECT} WHERE r.case_id = $1 ORDER BY r.started_at, r.created_at`, [caseId])).rows;
}

/** Records made for the next performance of `step` that no step has claimed yet. */
export async function pendingRecords(q: Queryable, caseId: string, step: string) {
  return (await q.query<RecordRow>(`${RECORD_SELECT} WHERE r.case_id = $1 AND r.step = $2 AND r.step_seq IS NULL AND l.record_id IS NULL ORDER BY r.created_at`, [caseId, step])).rows;
}

export async function claimRecords(q: Queryable, caseId: string, seq: number, recordIds: string[]) {
  if (!recordIds.length) return;
  await q.query(`INSERT INTO case_step_records (record_id, case_id, seq) SELECT unnest($3::uuid[]), $1, $2`, [caseId, seq, recordIds]);
}

// ---- access log (R-R06) ----

export async function logAccess(q: Queryable, a: { caseId: string; recordId: string; action: 'view' | 'download' | 'export'; userId: string | null; username: string; role: string; reason: string; disclosureId: string | null; requestId: string | null }) {
  await q.query(
    `INSERT INTO record_access_log (case_id, record_id, action, user_id, username, role, reason, disclosure_id, request_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [a.caseId, a.recordId, a.action, a.userId, a.username, a.role, a.reason, a.disclosureId, a.requestId],
  );
}

/** Did this user access this record within the last `seconds`? */
export async function recentAccess(q: Queryable, recordId: string, userId: string | null, seconds: number): Promise<boolean> {
  const { rows } = await q.query(`SELECT 1 FROM record_access_log WHERE record_id = $1 AND user_id IS NOT DISTINCT FROM $2 AND at > now() - make_interval(secs => $3) LIMIT 1`, [recordId, userId, seconds]);
  return rows.length > 0;
}

export async function accessLog(q: Queryable, caseId: string, limit = 500) {
  return (
    await q.query<{ id: number; record_id: string; action: string; username: string; role: string; reason: string; disclosure_id: string | null; at: Date }>(
      `SELECT id, record_id, action, username, role, reason, disclosure_id, at FROM record_access_log WHERE case_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [caseId, limit],
    )
  ).rows;
}

// ---- disclosures (R-R06) ----

export interface DisclosureRow {
  id: string;
  case_id: string;
  record_ids: string[];
  recipient: string;
  purpose: string;
  requester_name: string;
  created_at: Date;
  approved: boolean | null;
  decider_name: string | null;
  opinion: string | null;
  valid_until: string | null;
  decided_at: Date | null;
}

const DISCLOSURE_SELECT = `SELECT d.*, x.approved, x.decider_name, x.opinion, x.valid_until, x.created_at AS decided_at
  FROM record_disclosures d LEFT JOIN record_disclosure_decisions x ON x.disclosure_id = d.id`;

export async function insertDisclosure(q: Queryable, d: { id: string; caseId: string; recordIds: string[]; recipient: string; purpose: string; by: string | null; name: string; eventId: number }) {
  await q.query(
    `INSERT INTO record_disclosures (id, case_id, record_ids, recipient, purpose, requested_by, requester_name, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [d.id, d.caseId, d.recordIds, d.recipient, d.purpose, d.by, d.name, d.eventId],
  );
}

export async function getDisclosure(q: Queryable, caseId: string, id: string) {
  return (await q.query<DisclosureRow>(`${DISCLOSURE_SELECT} WHERE d.case_id = $1 AND d.id = $2`, [caseId, id])).rows[0];
}

export async function listDisclosures(q: Queryable, caseId: string) {
  return (await q.query<DisclosureRow>(`${DISCLOSURE_SELECT} WHERE d.case_id = $1 ORDER BY d.created_at`, [caseId])).rows;
}

export async function insertDisclosureDecision(q: Queryable, d: { id: string; approved: boolean; by: string; name: string; role: string; opinion: string; validUntil: string | null; eventId: number }) {
  await q.query(
    `INSERT INTO record_disclosure_decisions (disclosure_id, approved, decided_by, decider_name, decider_role, opinion, valid_until, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [d.id, d.approved, d.by, d.name, d.role, d.opinion, d.validUntil, d.eventId],
  );
}

// ---- by device (R-R10: which records a device made) ----

export interface DeviceRecordRow {
  id: string;
  case_id: string;
  case_number: string;
  case_title: string;
  kind: string;
  step: string;
  title: string;
  started_at: Date;
  ended_at: Date;
  uploaded_at: Date | null;
  handover_limit_hours: number | null;
  handover_late: boolean | null;
  recorder_name: string;
  custodian: string;
  created_at: Date;
}

export async function recordsByDevice(q: Queryable, agencyId: string, serial: string, limit = 500) {
  return (
    await q.query<DeviceRecordRow>(
      `SELECT r.id, r.case_id, c.number AS case_number, c.title AS case_title, r.kind, r.step, r.title, r.started_at, r.ended_at, r.uploaded_at,
              r.handover_limit_hours, r.handover_late, r.recorder_name, r.custodian, r.created_at
         FROM case_records r JOIN cases c ON c.id = r.case_id
        WHERE r.agency_id = $1 AND r.device_id = $2 ORDER BY r.started_at DESC, r.created_at DESC LIMIT $3`,
      [agencyId, serial, limit],
    )
  ).rows;
}
