// R-P13 correction requests with evidence: what a member of the public may upload (one JPG, PNG or PDF
// of at most 5 MB, whose bytes really are of that type: never HTML or a script under an image name), its
// storage attached to the agency handling the request, and its reading by that agency's staff and the
// supervisors over it only, each reading audited. The store never serves it by hash (attached files are
// refused there), so a hash seen in the ledger opens nothing.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { checkFilename, evidenceStorage, storeEvidence } from '../blobs/service.ts';
import { canReadPublications, seesSource } from './policy.ts';
import * as repo from './store.ts';

export const CORRECTION_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

/** Accepted types with their labels and the first bytes a real file of the type starts with. */
const TYPES: Record<string, { label: string; magic: number[] }> = {
  'image/jpeg': { label: 'JPG', magic: [0xff, 0xd8, 0xff] },
  'image/png': { label: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  'application/pdf': { label: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
};
export const CORRECTION_EVIDENCE_TYPES = Object.keys(TYPES);

export interface EvidenceFile {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

const refuse = (detail: string, status: 'validation' | 'payload_too_large' | 'unsupported_media_type' = 'validation') =>
  new AppError(status, { detail, errors: [{ field: 'evidence', message: detail }] });

export const tooLarge = () => refuse(`证据文件不得超过 5 MB，请压缩或只上传关键页后再提交。`, 'payload_too_large');

/** Size, type and content checks; every refusal says in Chinese what to do. */
export function checkEvidence(e: EvidenceFile): EvidenceFile {
  const type = e.mediaType.split(';')[0]!.trim().toLowerCase();
  const spec = TYPES[type];
  if (!spec) throw refuse('证据文件只接受 JPG、PNG 图片或 PDF 文件。', 'unsupported_media_type');
  if (e.bytes.length === 0) throw refuse('证据文件是空的，请重新选择文件。');
  if (e.bytes.length > CORRECTION_EVIDENCE_MAX_BYTES) throw tooLarge();
  if (!spec.magic.every((b, i) => e.bytes[i] === b)) throw refuse(`证据文件的内容不是 ${spec.label} 格式，请上传真实的 JPG、PNG 图片或 PDF 文件。`, 'unsupported_media_type');
  const name = e.filename.trim().slice(0, 100) || `证据.${spec.label.toLowerCase()}`;
  try {
    checkFilename(name);
  } catch {
    throw refuse('证据文件名含有不允许的字符，请改名后再上传。');
  }
  return { filename: name, mediaType: type, bytes: e.bytes };
}

/** The member of the public sending a correction: recorded as the uploader, apart from staff accounts. */
const PUBLIC_UPLOADER = '00000000-0000-4000-8000-00000000c0e1';

/** Stores the file and attaches it to the handling agency (purpose 'correction') before the request is recorded. */
export async function storeCorrectionEvidence(ctx: AppContext, agencyId: string, e: EvidenceFile) {
  const uploader: Actor = { kind: 'user', id: PUBLIC_UPLOADER, name: '更正申请人', role: 'officer', agencyId, jurisdiction: null, scopes: [] };
  const stored = await storeEvidence(ctx, uploader, { body: Readable.from([e.bytes]), mediaType: e.mediaType, filename: e.filename, declaredLength: e.bytes.length },
    { attach: { agencyId, by: null, purpose: 'correction' }, config: { maxBytes: CORRECTION_EVIDENCE_MAX_BYTES, allowedTypes: CORRECTION_EVIDENCE_TYPES, sm3: false, uploadTtlMs: 0 } });
  return { sha256: stored.sha256, filename: e.filename, mediaType: stored.mediaType, size: stored.size };
}

/** The handling agency's staff, or a supervisor whose jurisdiction covers it (R-P13, R-S03). */
export function canReadCorrectionEvidence(actor: Actor, agency: { id: string; region_code: string }): boolean {
  return seesSource(actor, agency.id) || (actor.kind === 'user' && actor.role === 'supervisor' && canReadPublications(actor, agency));
}

/**
 * The evidence of one correction request for an authorised reader. API tokens and the system
 * administrator never read it (403); staff outside the agency and supervisors outside its region get
 * 404, as if there were no request. Both refusals are audited.
 */
export async function correctionEvidence(ctx: AppContext, req: FastifyRequest | null, actor: Actor, correctionId: string) {
  if (actor.kind !== 'user' || actor.role === 'system_admin') {
    await audit(ctx.db, req, { action: 'publicity.correction_evidence', outcome: 'denied', ...actorAudit(actor), detail: { correctionId } });
    throw forbidden('更正申请的证据文件只由办理机关及其执法监督机构调阅');
  }
  const c = await repo.correctionEvidenceRow(ctx.db, correctionId);
  if (!c || !canReadCorrectionEvidence(actor, { id: c.agency_id, region_code: c.region_code })) {
    await audit(ctx.db, req, { action: 'publicity.correction_evidence', outcome: 'denied', ...actorAudit(actor), detail: { correctionId } });
    throw notFound('更正申请');
  }
  if (!c.evidence_sha256) throw notFound('证据文件');
  await audit(ctx.db, req, { action: 'publicity.correction_evidence', outcome: 'success', ...actorAudit(actor), detail: { correctionId, sha256: c.evidence_sha256 } });
  return {
    sha256: c.evidence_sha256, filename: c.evidence_filename ?? c.evidence_sha256, mediaType: c.evidence_media_type ?? 'application/octet-stream', size: Number(c.evidence_size),
    stream: () => evidenceStorage(ctx).read(c.evidence_sha256!),
  };
}
