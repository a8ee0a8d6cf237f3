// Every state change of every domain goes through recordChange, inside the caller's transaction:
// the domain rows, an append-only event, its ledger commitment and any outbox row commit together
// or not at all (DESIGN §2, R-R01, R-R05).
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Queryable } from './db.ts';
import { appendLedgerEntries } from '../ledger/append.ts';
import { blindedSubject, entryDay, kindDomain } from '../ledger/entry.ts';

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
  /**
   * hex SHA-256 of content that is public or held by those who will check it (an evidence file, the
   * redacted text of a published decision): put in the ledger unsalted so /ledger/verify can find it.
   */
  publicDigest?: string;
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
  const [eventId] = await recordChanges(tx, [change]);
  return { eventId: eventId! };
}

/**
 * Several changes in three statements (events, ledger entries, outbox) whatever their number: used by
 * imports and the data generator, where a row-by-row insert would dominate the time.
 */
export async function recordChanges(tx: Queryable, changes: readonly Change[]): Promise<number[]> {
  if (!changes.length) return [];
  // One call for all the salts: 113,000 calls of 16 bytes each cost a second of a recomputation's CPU.
  const random = crypto.randomBytes(16 * changes.length);
  const salts = changes.map((_, i) => random.subarray(16 * i, 16 * (i + 1)));
  const digests = changes.map((c, i) => commitment(salts[i]!, c.data));
  const { rows } = await tx.query<{ id: number; created_at: Date; commitment: Buffer }>(
    `INSERT INTO events (kind, agency_id, subject_type, subject_id, actor_id, data, salt, commitment)
     SELECT kind, agency_id, subject_type, subject_id, actor_id, data::jsonb, decode(salt, 'hex'), decode(commitment, 'hex')
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[])
         AS t(kind, agency_id, subject_type, subject_id, actor_id, data, salt, commitment)
     RETURNING id, created_at, commitment`,
    [
      changes.map((c) => c.kind),
      changes.map((c) => c.agencyId),
      changes.map((c) => c.subjectType),
      changes.map((c) => c.subjectId),
      changes.map((c) => c.actorId),
      changes.map((c) => JSON.stringify(c.data)),
      salts.map((x) => x.toString('hex')),
      digests.map((x) => x.toString('hex')),
    ],
  );
  // RETURNING order is not promised for INSERT … SELECT: match rows back by their (salted, unique) commitment.
  const byCommitment = new Map(rows.map((r) => [Buffer.from(r.commitment).toString('hex'), r]));
  const events = digests.map((d) => byCommitment.get(d.toString('hex'))!);
  // Issue 15, defect 8: the public entry names the agency, the domain and the day; the kind and the
  // subject are blinded with this event's salt, so entries of one case cannot be linked or a guessed
  // case id confirmed, while whoever holds the event recomputes them (docs/LEDGER.md §1.1).
  await appendLedgerEntries(
    tx,
    changes.map((c, i) => ({
      v: 2 as const,
      domain: kindDomain(c.kind),
      subject: blindedSubject(salts[i]!, c.kind, c.subjectType, c.subjectId),
      agency: c.agencyId,
      day: entryDay(events[i]!.created_at),
      event: events[i]!.id,
      commitment: digests[i]!.toString('hex'),
      ...(c.publicDigest ? { content: c.publicDigest } : {}),
    })),
  );
  const outbox = changes.flatMap((c) => c.outbox ?? []);
  if (outbox.length) {
    await tx.query(`INSERT INTO outbox (topic, payload) SELECT topic, payload::jsonb FROM unnest($1::text[], $2::text[]) AS t(topic, payload)`, [
      outbox.map((o) => o.topic),
      outbox.map((o) => JSON.stringify(o.payload)),
    ]);
  }
  return events.map((e) => e.id);
}
