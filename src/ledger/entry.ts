// What one log entry is: a commitment, never content (DESIGN §5). The bytes in the log are the
// canonical JSON (RFC 8785) of this object, so anyone can re-encode an entry and get the same leaf hash.
import canonicalize from 'canonicalize';
import { MAX_ENTRY_BYTES } from './tiles.ts';

export interface LedgerEntry {
  /** What happened, as `domain.verb`, e.g. `registry.officer_created`. */
  kind: string;
  /** Opaque subject id (a hash), so the public log does not say whom a record is about. */
  subject: string;
  agency: string | null;
  /** When the change was recorded (ISO 8601, UTC). */
  time: string;
  /** The id of the private event row that holds the record and its salt. */
  event: number;
  /** hex SHA-256(salt ‖ canonical JSON of the record) (DESIGN §5). */
  commitment: string;
  /**
   * Optional hex SHA-256 of content that is public or held by the people who will check it: the
   * redacted text of a published decision, the bytes of an evidence file. Unsalted on purpose, so
   * that whoever has the file or the page can find it in the log (/ledger/verify).
   */
  content?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function encodeEntry(entry: LedgerEntry): Buffer {
  if (!HEX64.test(entry.commitment)) throw new Error('日志条目的 commitment 必须是 64 位小写十六进制');
  if (entry.content !== undefined && !HEX64.test(entry.content)) throw new Error('日志条目的 content 必须是 64 位小写十六进制');
  const json = canonicalize(entry);
  if (json === undefined) throw new Error('日志条目无法规范化');
  const bytes = Buffer.from(json, 'utf8');
  if (bytes.length > MAX_ENTRY_BYTES) throw new Error('日志条目超过 65535 字节');
  return bytes;
}

/** Parses entry bytes; null when they are not an entry of ours (fsck reports, routes skip). */
export function decodeEntry(bytes: Uint8Array): LedgerEntry | null {
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<LedgerEntry>;
    if (typeof v !== 'object' || v === null || typeof v.commitment !== 'string' || typeof v.kind !== 'string') return null;
    return v as LedgerEntry;
  } catch {
    return null;
  }
}

/** The lookup keys of an entry: its commitment and, when present, its content digest. */
export function entryDigests(bytes: Uint8Array): { commitment: Buffer | null; content: Buffer | null } {
  const e = decodeEntry(bytes);
  const hex = (s: unknown) => (typeof s === 'string' && HEX64.test(s) ? Buffer.from(s, 'hex') : null);
  return { commitment: hex(e?.commitment), content: hex(e?.content) };
}
