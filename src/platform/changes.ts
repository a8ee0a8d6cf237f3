// Every state change of every domain goes through recordChange, inside the caller's transaction:
// the domain rows, an append-only event, its ledger commitment and any outbox row commit together
// or not at all (DESIGN §2, R-R01, R-R05).
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Queryable } from './db.ts';
import { appendLedgerEntry } from '../ledger/append.ts';

export interface Change {
  /** What happened, as `domain.verb`, e.g. `registry.officer_created`. */
  kind: string;
  agencyId: string | null;
  subjectType: string;
  subjectId: string;
  actorId: string | null;
  /** The record as it now stands (or the change's content). Kept in the database, never in the public log. */
  data: Record<string, unknown>;
  outbox?: { topic: string; payload: Record<string, unknown> }[];
}

export function canonicalJson(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error('无法规范化的 JSON 值');
  return s;
}

/** SHA-256(salt ‖ canonical JSON): the ledger holds this, never the content (DESIGN §5). */
export function commitment(salt: Uint8Array, data: unknown): Buffer {
  return crypto.createHash('sha256').update(salt).update(canonicalJson(data), 'utf8').digest();
}

export async function recordChange(tx: Queryable, change: Change): Promise<{ eventId: number }> {
  const salt = crypto.randomBytes(16);
  const digest = commitment(salt, change.data);
  const { rows } = await tx.query<{ id: number; created_at: Date }>(
    `INSERT INTO events (kind, agency_id, subject_type, subject_id, actor_id, data, salt, commitment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
    [change.kind, change.agencyId, change.subjectType, change.subjectId, change.actorId, JSON.stringify(change.data), salt, digest],
  );
  const event = rows[0]!;
  await appendLedgerEntry(tx, {
    kind: change.kind,
    // An opaque id: the public log must not reveal which officer or party a record is about.
    subject: crypto.createHash('sha256').update(`${change.subjectType}:${change.subjectId}`).digest('hex').slice(0, 32),
    agency: change.agencyId,
    time: event.created_at.toISOString(),
    event: event.id,
    commitment: digest.toString('hex'),
  });
  for (const o of change.outbox ?? []) {
    await tx.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2)', [o.topic, JSON.stringify(o.payload)]);
  }
  return { eventId: event.id };
}
