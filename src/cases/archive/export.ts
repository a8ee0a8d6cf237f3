// The archived case as one package (R-R07, issue 4): a ustar file with the PDF documents and the
// evidence files in the statutory order, manifest.json with every hash, every event of the case with
// its salt and data, the ledger entry and RFC 6962 inclusion proof of each against one signed
// checkpoint, and verify.mjs, which checks all of it offline (docs/CASES.md).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/actor.ts';
import { audit, actorAudit } from '../../platform/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { evidenceStorage } from '../../blobs/service.ts';
import { entriesByDigest, inclusionProof, logIdentity, servedCheckpoint } from '../../ledger/service.ts';
import { actorUserId, agencyRef, denied, loadCase } from '../access.ts';
import { documentPdf } from '../case-documents.ts';
import { electronicFormat } from '../document-forms.ts';
import { documentContentDigest } from '../document-render.ts';
import { archivedOn, assembleItems } from '../case-file.ts';
import { caseAvRetention } from '../av-retention.ts';
import { definitionOf } from '../definitions.ts';
import { minimiseFor } from '../minimise.ts';
import * as policy from '../policy.ts';
import { avRelease } from '../records.ts';
import * as recordsRepo from '../records-store.ts';
import { AV_KINDS } from '../schema.ts';
import * as casesRepo from '../store.ts';
import { tarStream, type TarEntry } from './tar.ts';
import { accountabilityPdf, caseAccountability } from '../accountability.ts';

const VERIFIER_SOURCE = new URL('./verify-archive.mjs', import.meta.url);

const EXT: Record<string, string> = {
  'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/wav': 'wav', 'audio/x-wav': 'wav',
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf', 'text/plain': 'txt', 'application/ofd': 'ofd',
};

const VERIFY_TEXT = `案卷归档包核验说明

本包包含：documents/ 正式文书 PDF；evidence/ 证据文件（音像记录、电子数据、文字记录）；
manifest.json 的 avRetention 列明每项音像记录按音像记录事项清单的保存期限、保存方式和保存截止日期（自归档之日起算）；
documents/*.json 与 schemas/ 文书的电子信息格式（字段数据及其 JSON Schema，供其他系统按数据读取）；
manifest.json 清单（每个文件的 SHA-256、案件的全部上链事件及其盐值和内容、账本条目、包含证明和签名检查点）；
verify.mjs 离线核验程序（只需 Node.js 20 及以上，无需联网）。

核验：
  node verify.mjs 本包.tar --key "<日志验证公钥>"
或在解压后的目录中：
  node verify.mjs . --key "<日志验证公钥>"

日志验证公钥请从可信渠道取得（平台 /ledger/key、见证机构、书面函件），并与 manifest.json 中 log.verifierKey 核对。
核验内容：文件摘要与清单一致；每条事件的承诺值 = SHA-256(盐值 ‖ 规范化 JSON)；每条账本条目通过 RFC 6962 包含证明
归入检查点的根哈希；检查点带有该公钥的有效 Ed25519 签名；每个文件的摘要都记载在已上链的事件中。
导出人无权取得的内容不随包提供（音像记录未经批准、当事人身份证件号码和住址），列于 manifest.json 的 withheld
（文件：摘要和理由）与 withheldEvents（事件：承诺值、账本条目和包含证明，不含内容和盐值）；其余内容照常核验。
本包含有当事人信息等个人信息，按档案和保密规定保管，不得公开。
`;

export interface ArchivePackage {
  filename: string;
  stream: Readable;
  files: number;
  events: number;
}

export async function exportArchive(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, reason: string): Promise<ArchivePackage> {
  const row = await loadCase(ctx.db, actor, caseId);
  if (!policy.canExportArchive(actor, agencyRef(row))) await denied(ctx, req, actor, 'cases.archive_export', '无权导出该案卷。', caseId);
  if (row.status !== 'archived') throw new AppError('invalid_state', { detail: '案件归档后才能导出案卷归档包。' });
  const { items, records, documents } = await assembleItems(ctx, row);
  // What this actor may take away: R-P14 (the party's ID number and address) and R-R06 (AV records).
  // A file or an event's content it may not have is left out and listed with the reason; what is in
  // the package still verifies against the ledger, since nothing in it is altered.
  const m = minimiseFor(actor, row);
  const disclosures = await recordsRepo.listDisclosures(ctx.db, caseId);
  const withheld: { kind: 'document' | 'record' | 'text'; id: string; title: string; sha256: string; reason: string }[] = [];
  const released: { recordId: string; disclosureId: string | null }[] = [];
  const PERSONAL = '含当事人身份证件号码或住址，导出人无权查看（R-P14）';

  // Files in the order of the case file.
  const files: { path: string; sha256: string; size: number; kind: 'document' | 'record' | 'text'; id: string; title: string; number: string | null; order: number; entry: () => Promise<TarEntry> }[] = [];
  const storage = evidenceStorage(ctx);
  for (const it of items) {
    const n = String(it.order).padStart(3, '0');
    if (it.kind === 'document') {
      if (it.status !== 'final' || !it.sha256) continue;
      if (m.withholds(documents.find((d) => d.id === it.id)?.fields)) {
        withheld.push({ kind: 'document', id: it.id, title: m.value(it.title), sha256: it.sha256, reason: PERSONAL });
        continue;
      }
      files.push({
        path: `documents/${n}-${it.type}.pdf`, sha256: it.sha256, size: it.size!, kind: 'document', id: it.id, title: it.title, number: it.number, order: it.order,
        entry: async () => {
          const p = await documentPdf(ctx, actor, caseId, it.id);
          return { name: `documents/${n}-${it.type}.pdf`, size: p.size, data: Buffer.isBuffer(p.pdf) ? p.pdf : () => p.pdf as Readable };
        },
      });
    } else {
      const r = records.find((x) => x.id === it.id)!;
      if (r.blob_sha256 && AV_KINDS.includes(r.kind)) {
        const release = await avRelease(ctx, actor, row, r, disclosures);
        if (!release) {
          withheld.push({ kind: 'record', id: r.id, title: m.value(it.title), sha256: r.blob_sha256, reason: '音像记录清单未允许导出人的角色调阅，且没有经批准、在有效期内的对外提供申请（R-R06）' });
          continue;
        }
        released.push({ recordId: r.id, disclosureId: release.disclosureId });
      }
      if (r.blob_sha256) {
        const name = `evidence/${n}-${r.kind}.${EXT[r.media_type ?? ''] ?? 'bin'}`;
        files.push({ path: name, sha256: r.blob_sha256, size: Number(r.size), kind: 'record', id: r.id, title: it.title, number: null, order: it.order, entry: async () => ({ name, size: Number(r.size), data: () => storage.read(r.blob_sha256!) }) });
      } else if (r.content !== null) {
        if (m.withholds(r.content)) {
          withheld.push({ kind: 'text', id: r.id, title: m.value(it.title), sha256: createHash('sha256').update(r.content, 'utf8').digest('hex'), reason: PERSONAL });
          continue;
        }
        const bytes = Buffer.from(r.content, 'utf8');
        const name = `evidence/${n}-text.txt`;
        files.push({ path: name, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, kind: 'text', id: r.id, title: it.title, number: null, order: it.order, entry: async () => ({ name, size: bytes.length, data: bytes }) });
      }
    }
  }

  // Every event of the case with its place in the log, all proved against one checkpoint.
  const events = await casesRepo.caseEvents(ctx.db, caseId);
  const located: { ev: casesRepo.CaseEventRow; index: number; entry: string }[] = [];
  const pending: number[] = [];
  for (const ev of events) {
    const hex = Buffer.from(ev.commitment).toString('hex');
    let found;
    try {
      found = (await entriesByDigest(ctx.db, hex)).entries.find((e) => e.decoded?.event === ev.id && e.decoded?.commitment === hex);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') found = undefined;
      else throw err;
    }
    if (found) located.push({ ev, index: found.index, entry: found.entry });
    else pending.push(ev.id);
  }
  if (pending.length) {
    throw new AppError('invalid_state', { detail: `本案还有 ${pending.length} 条记录尚未被账本检查点收录（账本排序器通常在数秒内完成），请稍后再导出。`, extra: { pendingEvents: pending } });
  }
  const cp = await servedCheckpoint(ctx.db);
  const identity = await logIdentity(ctx);
  const proved = [];
  const withheldEvents = [];
  for (const l of located) {
    const proof = await inclusionProof(ctx.db, l.index, cp.size);
    const base = { id: l.ev.id, kind: l.ev.kind, time: new Date(l.ev.created_at).toISOString() };
    const ledger = { commitment: Buffer.from(l.ev.commitment).toString('hex'), ledger: { index: l.index, entry: l.entry, proof: proof.proof } };
    // R-P14: an event whose content holds the party's personal data goes without its data and salt
    // (the commitment cannot be opened, its place in the log still can be proved).
    if (m.withholds(l.ev.data)) withheldEvents.push({ ...base, ...ledger, reason: PERSONAL });
    else proved.push({ ...base, data: l.ev.data, salt: Buffer.from(l.ev.salt).toString('base64'), ...ledger });
  }
  // Every file in the package is bound by its hash to an event whose content is in it (what verify.mjs
  // checks): a file registered only by a withheld event goes with it.
  const bound = new Set<string>();
  for (const ev of proved) {
    const d = ev.data as { pdfSha256?: string; blobSha256?: string; contentSha256?: string };
    if (ev.kind === 'cases.document_finalised' && d.pdfSha256) bound.add(`document:${d.pdfSha256}`);
    if (ev.kind === 'cases.record_added') {
      if (d.blobSha256) bound.add(`record:${d.blobSha256}`);
      if (d.contentSha256) bound.add(`text:${d.contentSha256}`);
    }
  }
  for (const f of files.filter((x) => !bound.has(`${x.kind}:${x.sha256}`))) {
    withheld.push({ kind: f.kind, id: f.id, title: m.value(f.title), sha256: f.sha256, reason: `登记该文件的事件${PERSONAL}，本包不能证明该文件已上链` });
    files.splice(files.indexOf(f), 1);
    const i = released.findIndex((x) => x.recordId === f.id);
    if (i >= 0) released.splice(i, 1);
  }

  // R-R02 (issue 16): each document also as data — its fields (JSON) with the JSON Schema of its type, so
  // another system reads it without parsing the PDF. The fields' digest is the contentSha256 of the
  // document's finalisation event, so the data is bound to the ledger as the PDF is.
  const formats: { path: string; sha256: string; size: number; kind: 'fields' | 'schema'; document?: string; type: string }[] = [];
  const formatBytes = new Map<string, Buffer>();
  const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 1), 'utf8');
  const add = (path: string, bytes: Buffer, kind: 'fields' | 'schema', type: string, document?: string) => {
    formatBytes.set(path, bytes);
    formats.push({ path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, kind, type, ...(document ? { document } : {}) });
  };
  for (const f of files.filter((x) => x.kind === 'document')) {
    const d = documents.find((x) => x.id === f.id)!;
    const schema = electronicFormat(d.type);
    const schemaPath = `schemas/${d.type}.schema.json`;
    if (schema && !formatBytes.has(schemaPath)) add(schemaPath, json(schema), 'schema', d.type);
    add(f.path.replace(/\.pdf$/, '.json'), json({
      type: d.type, title: d.title, number: d.number, issuedOn: d.issued_on, template: d.template ?? null, schema: schema ? schemaPath : null, fields: d.fields,
      contentSha256: documentContentDigest({ caseId: row.id, type: d.type, number: d.number, agencyId: row.agency_id, issuedOn: d.issued_on!, fields: d.fields }),
    }), 'fields', d.type, f.path);
  }

  // R-R10: every AV record with the retention period and method of its AV-list entry (the list version
  // its step ran under) and the date it is kept until, counted from the archive date.
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const retention = await caseAvRetention(ctx.db, def, records, await casesRepo.listSteps(ctx.db, caseId), archivedOn(row));
  const avRetention = retention.map((x) => ({ ...m.value(x), path: files.find((f) => f.kind === 'record' && f.id === x.recordId)?.path ?? null }));

  const manifest = {
    format: 'sanxiang-case-archive/1',
    generatedAt: new Date().toISOString(),
    case: {
      id: row.id, number: row.number, title: m.value(row.title), agency: { id: row.agency_id, name: row.agency_name }, procedure: { id: row.procedure_id, version: row.procedure_version },
      party: { name: row.party_name, type: row.party_type }, matter: { category: row.matter_category, area: row.matter_area }, archivedAt: row.archived_at,
    },
    files: files.map(({ entry: _e, ...f }) => ({ ...f, title: m.value(f.title) })),
    formats,
    avRetention,
    events: proved,
    withheld,
    withheldEvents,
    checkpoint: { size: cp.size, note: cp.text },
    log: { origin: identity.origin, verifierKey: identity.verifierKey },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 1), 'utf8');
  const verifier = fs.readFileSync(VERIFIER_SOURCE);
  // R-L09 (issue 9): who answers for the decision, as JSON and PDF; a report read off the events above, not evidence itself.
  const account = Buffer.from(JSON.stringify(await caseAccountability(ctx, actor, caseId), null, 1), 'utf8');
  const accountPdf = (await accountabilityPdf(ctx, actor, caseId)).pdf;

  // R-R06: handing over the AV records inside the package is an export, logged with its reason.
  const username = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  for (const x of released) {
    await recordsRepo.logAccess(ctx.db, { caseId, recordId: x.recordId, action: 'export', userId: actorUserId(actor), username, role: actor.role, reason: `导出案卷归档包：${reason}`, disclosureId: x.disclosureId, requestId: req?.id ?? null });
  }
  await audit(ctx.db, req, {
    action: 'cases.archive_export', outcome: 'success', ...actorAudit(actor),
    detail: { caseId, files: files.length, events: proved.length, checkpoint: cp.size, withheldFiles: withheld.map((w) => w.id), withheldEvents: withheldEvents.length },
  });

  async function* entries(): AsyncGenerator<TarEntry> {
    yield { name: 'VERIFY.txt', size: Buffer.byteLength(VERIFY_TEXT), data: Buffer.from(VERIFY_TEXT, 'utf8') };
    yield { name: 'verify.mjs', size: verifier.length, data: verifier };
    yield { name: 'checkpoint.txt', size: Buffer.byteLength(cp.text), data: Buffer.from(cp.text, 'utf8') };
    yield { name: 'manifest.json', size: manifestBytes.length, data: manifestBytes };
    yield { name: 'accountability.json', size: account.length, data: account };
    yield { name: 'accountability.pdf', size: accountPdf.length, data: accountPdf };
    for (const f of files) yield await f.entry();
    for (const f of formats) yield { name: f.path, size: f.size, data: formatBytes.get(f.path)! };
  }
  const safeNumber = row.number.replace(/[^\p{L}\p{N}]+/gu, '-');
  return { filename: `案卷-${safeNumber}.tar`, stream: Readable.from(tarStream(entries())), files: files.length, events: proved.length };
}
