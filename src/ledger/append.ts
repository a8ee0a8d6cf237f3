// Appending to the ledger is part of the caller's transaction (DESIGN §2, R-R01, R-R05): a pending
// row that commits or rolls back with the domain change. The sequencer later gives it an index,
// hashes it into the tree and covers it with the next signed checkpoint (src/ledger/sequencer.ts).
// Nothing is integrated here, so domain transactions never wait for one another on the log.
import type { Queryable } from '../platform/db.ts';
import { encodeEntry, type LedgerEntry } from './entry.ts';

export type { LedgerEntry } from './entry.ts';

export async function appendLedgerEntry(tx: Queryable, entry: LedgerEntry): Promise<void> {
  await appendLedgerEntries(tx, [entry]);
}

/** Several entries in one statement; they are integrated in the order given. */
export async function appendLedgerEntries(tx: Queryable, entries: readonly LedgerEntry[]): Promise<void> {
  if (!entries.length) return;
  // xid defaults to pg_current_xact_id(): the sequencer uses it to know when no older writer can
  // still commit (see migrations/0010_ledger.sql). Ids follow the array order (WITH ORDINALITY).
  await tx.query(
    `INSERT INTO ledger_pending (entry) SELECT decode(e, 'hex') FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n`,
    [entries.map((e) => encodeEntry(e).toString('hex'))],
  );
}
