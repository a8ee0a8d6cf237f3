// What one log entry is: a commitment, never content (DESIGN §5). The bytes in the log are the
// canonical JSON (RFC 8785) of this object, so anyone can re-encode an entry and get the same leaf hash.
//
// Two formats live in one log, because the log is append-only and old entries keep their bytes:
// - version 1 (no `v`): kind, exact time and an unsalted subject hash in the clear. Every entry of a
//   case carried the same subject, so anyone could rebuild each case's timeline and confirm a guessed
//   case id (issue 15, defect 8). Still read and verified; never written any more.
// - version 2 (`"v":2`): only what an auditor needs in the clear (agency, domain, day, commitment);
//   what happened to which object is blinded per entry with the event's salt (docs/LEDGER.md §1.1).
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import { MAX_ENTRY_BYTES } from './tiles.ts';

interface EntryCommon {
  agency: string | null;
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

/** The format written before issue 15 (read only). */
export interface LedgerEntryV1 extends EntryCommon {
  /** What happened, as `domain.verb`, e.g. `registry.officer_created`. */
  kind: string;
  /** SHA-256("<subjectType>:<subjectId>"), first 32 hex: the same for every entry of an object. */
  subject: string;
  /** When the change was recorded (ISO 8601, UTC, milliseconds). */
  time: string;
}

/** The format written now. */
export interface LedgerEntryV2 extends EntryCommon {
  v: 2;
  /** The domain of the change only (`cases`, `registry`, `blobs`…); the full kind is bound in `subject`. */
  domain: string;
  /** hex HMAC-SHA-256(salt, subject message): see blindedSubject. Differs for every entry. */
  subject: string;
  /** The calendar day the change was recorded on, in China Standard Time (UTC+8), YYYY-MM-DD. */
  day: string;
}

export type LedgerEntry = LedgerEntryV1 | LedgerEntryV2;

const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z][a-z0-9_]*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const V2_KEYS = new Set(['v', 'domain', 'subject', 'agency', 'day', 'event', 'commitment', 'content']);

/** Domain separation: the salt also keys the commitment, whose message is the record's JSON object. */
export const SUBJECT_LABEL = 'sanxiang/ledger/subject/2';

/**
 * The blinded subject of a version-2 entry: hex HMAC-SHA-256 keyed by the event's 16-byte salt over
 * the canonical JSON of [SUBJECT_LABEL, kind, subjectType, subjectId]. Whoever holds the event row
 * (salt, kind, subject) recomputes it; without the salt two entries of one case share nothing, and a
 * guessed case id cannot be tested against an entry.
 */
export function blindedSubject(salt: Uint8Array, kind: string, subjectType: string, subjectId: string): string {
  const message = canonicalize([SUBJECT_LABEL, kind, subjectType, subjectId])!;
  return crypto.createHmac('sha256', salt).update(message, 'utf8').digest('hex');
}

/** The public domain of a kind: `cases.record_added` → `cases`. */
export function kindDomain(kind: string): string {
  const dot = kind.indexOf('.');
  return dot < 0 ? kind : kind.slice(0, dot);
}

const CST_OFFSET_MS = 8 * 3600_000;

/** The day of an instant in China Standard Time (fixed UTC+8, no daylight saving). */
export function entryDay(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function isV2(v: Record<string, unknown>): v is Record<string, unknown> & LedgerEntryV2 {
  return (
    v.v === 2 &&
    Object.keys(v).every((k) => V2_KEYS.has(k)) &&
    typeof v.domain === 'string' && DOMAIN.test(v.domain) &&
    typeof v.subject === 'string' && HEX64.test(v.subject) &&
    (v.agency === null || (typeof v.agency === 'string' && UUID.test(v.agency))) &&
    typeof v.day === 'string' && DAY.test(v.day) &&
    Number.isSafeInteger(v.event) && (v.event as number) > 0 &&
    typeof v.commitment === 'string' && HEX64.test(v.commitment) &&
    (v.content === undefined || (typeof v.content === 'string' && HEX64.test(v.content)))
  );
}

/** Version 1 as it was written: only kind and commitment were ever relied on. */
function isV1(v: Record<string, unknown>): v is Record<string, unknown> & LedgerEntryV1 {
  return !('v' in v) && typeof v.kind === 'string' && typeof v.commitment === 'string';
}

export function encodeEntry(entry: LedgerEntry): Buffer {
  if (!HEX64.test(entry.commitment)) throw new Error('日志条目的 commitment 必须是 64 位小写十六进制');
  if (entry.content !== undefined && !HEX64.test(entry.content)) throw new Error('日志条目的 content 必须是 64 位小写十六进制');
  if ('v' in entry && !isV2(entry as unknown as Record<string, unknown>)) throw new Error('第 2 版日志条目的字段不符合格式');
  const json = canonicalize(entry);
  if (json === undefined) throw new Error('日志条目无法规范化');
  const bytes = Buffer.from(json, 'utf8');
  if (bytes.length > MAX_ENTRY_BYTES) throw new Error('日志条目超过 65535 字节');
  return bytes;
}

/** Parses entry bytes; null when they are not a well-formed entry of ours (fsck reports, routes skip). */
export function decodeEntry(bytes: Uint8Array): LedgerEntry | null {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  return isV2(o) || isV1(o) ? (o as unknown as LedgerEntry) : null;
}

/** 1 or 2 for a well-formed entry, null otherwise. */
export function entryVersion(bytes: Uint8Array): 1 | 2 | null {
  const e = decodeEntry(bytes);
  return e === null ? null : 'v' in e ? 2 : 1;
}

/**
 * Entries that break the format rules of docs/LEDGER.md §1.1: not a well-formed entry, or in the old
 * format (kind and linkable subject in the clear) after blinded entries began. Reported, not a
 * divergence: the log cannot be rewritten, so one such entry (say from an old process during a rolling
 * upgrade) must not stop every later check of the log's integrity — but the public sees it.
 */
export interface FormatFindings {
  /** Index of the first version-2 (blinded) entry. */
  blindedFrom: number | null;
  malformed: number;
  plainAfterBlinded: number;
  /** Index of the first malformed or plain-after-blinded entry. */
  first: number | null;
}

/** Adds one entry's format (entryVersion of its bytes) to the findings; call in index order. */
export function noteEntryFormat(f: FormatFindings, index: number, version: 1 | 2 | null): void {
  if (version === 2) f.blindedFrom ??= index;
  if (version === 2 || (version === 1 && f.blindedFrom === null)) return;
  if (version === null) f.malformed++;
  else f.plainAfterBlinded++;
  f.first ??= index;
}

export function formatFindingsText(f: FormatFindings): string | null {
  if (f.first === null) return null;
  const parts = [f.malformed ? `${f.malformed} 条格式不正确` : '', f.plainAfterBlinded ? `${f.plainAfterBlinded} 条在第 ${f.blindedFrom} 条起的盲化条目之后仍为旧格式（明文类型与对象编号）` : ''].filter(Boolean);
  return `注意：${parts.join('，')}，第一条为第 ${f.first} 条（docs/LEDGER.md §1.1）`;
}

/** The lookup keys of an entry: its commitment and, when present, its content digest. */
export function entryDigests(bytes: Uint8Array): { commitment: Buffer | null; content: Buffer | null } {
  const e = decodeEntry(bytes);
  const hex = (s: unknown) => (typeof s === 'string' && HEX64.test(s) ? Buffer.from(s, 'hex') : null);
  return { commitment: hex(e?.commitment), content: hex(e?.content) };
}
