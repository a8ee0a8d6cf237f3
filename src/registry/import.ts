// Bulk import of agencies and officers from the spreadsheets justice bureaus keep (XLSX or CSV,
// UTF-8 or GB18030). All or nothing: every bad row is reported with its line and reason, and
// nothing is written unless the whole file is valid.
import crypto from 'node:crypto';
import type ExcelJS from 'exceljs';
// exceljs is loaded on first import or template: about 300 ms that start-up need not pay.
const loadExcel = () => import('exceljs').then((m) => m.default);
import { parse as parseCsv } from 'csv-parse/sync';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import { AppError, forbidden, type FieldError } from '../platform/errors.ts';
import { unsafeTextErrors } from '../platform/validation.ts';
import { recordChange } from '../platform/changes.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import * as registryRepo from './store.ts';
import * as policy from './policy.ts';
import { AgencyInput, OfficerInput } from './schema.ts';

export const MAX_IMPORT_ROWS = 50_000;

type Row = Record<string, string>;

interface Column {
  header: string;
  field: string;
  /** Chinese spreadsheet values → API values. */
  values?: Record<string, string>;
  example: string;
}

const AGENCY_COLUMNS: Column[] = [
  { header: '机关名称', field: 'name', example: '示例市市场监督管理局' },
  { header: '统一社会信用代码', field: 'creditCode', example: '11330100MB0000000X' },
  { header: '机关类型', field: 'kind', values: { 执法机关: 'enforcement', 司法行政机关: 'justice_bureau', 人民政府: 'government' }, example: '执法机关' },
  { header: '层级', field: 'level', values: { 省级: 'province', 市级: 'city', 县级: 'county', 乡镇级: 'township' }, example: '市级' },
  { header: '行政区划代码', field: 'regionCode', example: '330100' },
  { header: '主体性质', field: 'legalStatus', values: { 法定行政机关: 'statutory', 法律法规授权组织: 'authorized', 受委托组织: 'entrusted' }, example: '法定行政机关' },
  { header: '委托机关统一社会信用代码', field: 'entrustingCreditCode', example: '' },
  { header: '执法领域', field: 'fields', example: '市场监管、知识产权' },
  { header: '职责', field: 'duties', example: '' },
  { header: '法律依据', field: 'legalBasis', example: '' },
  { header: '上级机关统一社会信用代码', field: 'parentCreditCode', example: '' },
  { header: '法制审核机构', field: 'reviewUnit', example: '法规科' },
  { header: '地址', field: 'address', example: '' },
  { header: '电话', field: 'phone', example: '' },
];

const OFFICER_COLUMNS: Column[] = [
  { header: '姓名', field: 'name', example: '张三' },
  { header: '性别', field: 'gender', values: { 男: 'male', 女: 'female' }, example: '男' },
  { header: '身份证号', field: 'idNumber', example: '' },
  { header: '执法证号', field: 'certificateNumber', example: '33010012345678' },
  { header: '所属机关统一社会信用代码', field: 'agencyCreditCode', example: '11330100MB0000000X' },
  { header: '发证类型', field: 'issuerType', values: { 省级人民政府: 'province', 省级: 'province', 国务院部门: 'state_council' }, example: '省级人民政府' },
  { header: '备案号', field: 'justiceRegistration', example: '' },
  { header: '执法类别', field: 'category', example: '市场监管' },
  { header: '执法区域', field: 'area', example: '杭州市' },
  { header: '有效期起', field: 'validFrom', example: '2025-01-01' },
  { header: '有效期止', field: 'validTo', example: '2030-12-31' },
  { header: '资格取得方式', field: 'qualification', values: { 考试: 'exam', 考试合格: 'exam', 法律职业资格: 'legal_professional', 法律职业资格免考: 'legal_professional' }, example: '考试合格' },
  { header: '考试合格日期', field: 'examPassedOn', example: '2024-11-20' },
];

export const IMPORT_KINDS = { agencies: AGENCY_COLUMNS, officers: OFFICER_COLUMNS } as const;
export type ImportKind = keyof typeof IMPORT_KINDS;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    return '';
  }
  return String(v);
}

/** Reads the sheet into rows keyed by header; the first row holds the headers. Line numbers are the file's. */
export async function readSheet(file: Buffer, filename: string): Promise<{ headers: string[]; rows: { line: number; cells: string[] }[] }> {
  const isZip = file.length > 4 && file.readUInt32LE(0) === 0x04034b50;
  if (isZip || /\.xlsx$/i.test(filename)) {
    if (!isZip) throw new AppError('unsupported_media_type', { detail: '文件扩展名为 .xlsx，但内容不是 Excel 工作簿。' });
    const wb = new (await loadExcel()).Workbook();
    try {
      await wb.xlsx.load(file as unknown as ArrayBuffer);
    } catch {
      throw new AppError('bad_request', { detail: '无法读取 Excel 文件，文件可能已损坏。' });
    }
    const sheet = wb.worksheets[0];
    if (!sheet) throw new AppError('bad_request', { detail: 'Excel 文件中没有工作表。' });
    const out: { line: number; cells: string[] }[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, line) => {
      const values = row.values as ExcelJS.CellValue[];
      out.push({ line, cells: values.slice(1).map((v) => cellText(v).trim()) });
    });
    const [head, ...rows] = out;
    return { headers: head?.cells ?? [], rows };
  }
  if (!/\.csv$/i.test(filename) && !/^text\//.test(filename)) {
    throw new AppError('unsupported_media_type', { detail: '只支持 .xlsx 或 .csv 文件。' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    // Spreadsheets saved as CSV by Chinese Excel are GB18030 (GBK) encoded.
    text = new TextDecoder('gb18030').decode(file);
  }
  let records: string[][];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new AppError('bad_request', { detail: `CSV 格式错误：${(err as Error).message}` });
  }
  const [head, ...rows] = records;
  return { headers: head ?? [], rows: rows.map((cells, i) => ({ line: i + 2, cells })) };
}

function toRows(kind: ImportKind, sheet: Awaited<ReturnType<typeof readSheet>>, errors: FieldError[]): { line: number; row: Row }[] {
  const columns = IMPORT_KINDS[kind];
  const index = new Map(sheet.headers.map((h, i) => [h.trim(), i]));
  const missing = columns.filter((c) => !index.has(c.header)).map((c) => c.header);
  if (missing.length) {
    throw new AppError('import_invalid', { detail: `表头缺少列：${missing.join('、')}。请使用导入模板。`, errors: missing.map((m) => ({ field: '第1行', message: `缺少列「${m}」` })) });
  }
  if (sheet.rows.length === 0) throw new AppError('import_invalid', { detail: '文件中没有数据行。', errors: [{ field: '第2行', message: '没有数据' }] });
  if (sheet.rows.length > MAX_IMPORT_ROWS) throw new AppError('payload_too_large', { detail: `一次最多导入 ${MAX_IMPORT_ROWS} 行，本文件有 ${sheet.rows.length} 行。` });
  return sheet.rows.map(({ line, cells }) => {
    const row: Row = {};
    for (const c of columns) {
      const raw = (cells[index.get(c.header)!] ?? '').trim();
      if (c.values && raw) {
        const mapped = c.values[raw] ?? (Object.values(c.values).includes(raw) ? raw : undefined);
        if (!mapped) errors.push({ field: `第${line}行 ${c.header}`, message: `「${raw}」不是有效值，可选：${Object.keys(c.values).join('、')}` });
        row[c.field] = mapped ?? raw;
      } else row[c.field] = raw;
    }
    return { line, row };
  });
}

const blankToNull = (s: string | undefined) => (s ? s : null);

function validate<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, line: number, errors: FieldError[], headerOf: (field: string) => string): T | undefined {
  const unsafe = unsafeTextErrors(value);
  for (const e of unsafe) errors.push({ field: `第${line}行 ${headerOf(e.field.split('.')[0]!)}`, message: e.message });
  const r = schema.safeParse(value);
  if (r.success && !unsafe.length) return r.data;
  if (r.success) return undefined;
  for (const i of r.error.issues) errors.push({ field: `第${line}行 ${headerOf(String(i.path[0] ?? ''))}`, message: i.message });
  return undefined;
}

function failIfErrors(errors: FieldError[]) {
  if (errors.length) {
    errors.sort((a, b) => Number(/\d+/.exec(a.field)?.[0]) - Number(/\d+/.exec(b.field)?.[0]));
    throw new AppError('import_invalid', { detail: `发现 ${errors.length} 处错误，未导入任何数据。请修改后重新上传。`, errors: errors.slice(0, 1000) });
  }
}

/** 403 (audited) for a caller who may import nothing of this kind, before the upload is read. */
export async function assertCanImport(ctx: AppContext, req: FastifyRequest | null, actor: Actor, kind: ImportKind): Promise<void> {
  if (policy.canImport(actor, kind)) return;
  await audit(ctx.db, req, { action: `registry.import_${kind}`, outcome: 'denied', ...actorAudit(actor), detail: { kind } });
  throw forbidden(kind === 'agencies' ? '只有系统管理员或司法行政机关可以批量登记执法主体。' : '只有单位管理员、司法行政机关或系统管理员可以批量登记执法人员。');
}

export async function importFile(ctx: AppContext, req: FastifyRequest | null, actor: Actor, kind: ImportKind, file: Buffer, filename: string) {
  await assertCanImport(ctx, req, actor, kind);
  const errors: FieldError[] = [];
  const rows = toRows(kind, await readSheet(file, filename), errors);
  const idFields: Record<string, string> = { entrustingAgencyId: 'entrustingCreditCode', parentId: 'parentCreditCode', agencyId: 'agencyCreditCode' };
  const headerOf = (field: string) => IMPORT_KINDS[kind].find((c) => c.field === (idFields[field] ?? field))?.header ?? field;

  // Resolve credit codes of referenced agencies (existing ones, or earlier rows of this file).
  const refCodes = new Set<string>();
  for (const { row } of rows) for (const f of ['agencyCreditCode', 'entrustingCreditCode', 'parentCreditCode']) if (row[f]) refCodes.add(row[f]!.toUpperCase());
  const { rows: known } = await ctx.db.query<{ id: string; credit_code: string; region_code: string }>(`SELECT id, credit_code, region_code FROM agencies WHERE credit_code = ANY($1)`, [[...refCodes]]);
  const byCode = new Map(known.map((a) => [a.credit_code, a]));
  const refId = (code: string | undefined, line: number, header: string) => {
    if (!code) return null;
    const a = byCode.get(code.toUpperCase());
    if (!a) errors.push({ field: `第${line}行 ${header}`, message: `统一社会信用代码 ${code} 对应的机关未登记` });
    return a?.id ?? null;
  };

  if (kind === 'agencies') {
    const valid: { line: number; id: string; input: AgencyInput }[] = [];
    const seen = new Map<string, number>();
    for (const { line, row } of rows) {
      const id = crypto.randomUUID();
      const code = row.creditCode?.toUpperCase() ?? '';
      // Rows may refer to agencies created earlier in the same file.
      const input = validate(AgencyInput, {
        ...row,
        fields: row.fields ? row.fields.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean) : [],
        entrustingAgencyId: refId(row.entrustingCreditCode, line, '委托机关统一社会信用代码'),
        parentId: refId(row.parentCreditCode, line, '上级机关统一社会信用代码'),
      }, line, errors, headerOf);
      if (code && seen.has(code)) errors.push({ field: `第${line}行 统一社会信用代码`, message: `与第${seen.get(code)}行重复` });
      if (code) seen.set(code, line);
      if (input) {
        if (!policy.canCreateAgency(actor, { region_code: input.regionCode, kind: input.kind })) errors.push({ field: `第${line}行 行政区划代码`, message: '无权在该行政区划登记执法主体' });
        valid.push({ line, id, input });
        byCode.set(input.creditCode, { id, credit_code: input.creditCode, region_code: input.regionCode });
      }
    }
    const existing = await registryRepo.existingCreditCodes(ctx.db, valid.map((v) => v.input.creditCode));
    for (const v of valid) if (existing.has(v.input.creditCode)) errors.push({ field: `第${v.line}行 统一社会信用代码`, message: '该代码已登记' });
    failIfErrors(errors);
    await ctx.db.transaction(async (tx) => {
      for (const v of valid) {
        await registryRepo.insertAgency(tx, v.id, v.input);
        await recordChange(tx, { kind: 'registry.agency_created', agencyId: v.id, subjectType: 'agency', subjectId: v.id, actorId: actor.kind === 'user' ? actor.id : null, data: { id: v.id, ...v.input } });
      }
      await audit(tx, req, { action: 'registry.import_agencies', outcome: 'success', ...actorAudit(actor), detail: { rows: valid.length, filename } });
    });
    return { imported: valid.length };
  }

  const valid: { line: number; input: OfficerInput }[] = [];
  const seen = new Map<string, number>();
  const regionOf = new Map(known.map((a) => [a.id, a.region_code]));
  for (const { line, row } of rows) {
    const agencyId = refId(row.agencyCreditCode, line, '所属机关统一社会信用代码');
    if (!row.agencyCreditCode) errors.push({ field: `第${line}行 所属机关统一社会信用代码`, message: '请填写所属机关统一社会信用代码' });
    const input = validate(OfficerInput, {
      ...row,
      // An unknown agency is already reported above; a placeholder lets the row's other fields be checked too.
      agencyId: agencyId ?? '00000000-0000-4000-8000-000000000000',
      gender: blankToNull(row.gender),
      idNumber: blankToNull(row.idNumber),
      justiceRegistration: blankToNull(row.justiceRegistration),
      examPassedOn: blankToNull(row.examPassedOn),
    }, line, errors, headerOf);
    const cert = row.certificateNumber ?? '';
    if (cert && seen.has(cert)) errors.push({ field: `第${line}行 执法证号`, message: `与第${seen.get(cert)}行重复` });
    if (cert) seen.set(cert, line);
    if (input && agencyId) {
      if (!policy.canWriteOfficers(actor, { id: agencyId, region_code: regionOf.get(agencyId)! })) errors.push({ field: `第${line}行 所属机关统一社会信用代码`, message: '无权为该机关登记执法人员' });
      valid.push({ line, input });
    }
  }
  const existing = await registryRepo.existingCertificateNumbers(ctx.db, valid.map((v) => v.input.certificateNumber));
  for (const v of valid) if (existing.has(v.input.certificateNumber)) errors.push({ field: `第${v.line}行 执法证号`, message: '该执法证号已登记' });
  failIfErrors(errors);
  await ctx.db.transaction(async (tx) => {
    for (const v of valid) {
      const id = crypto.randomUUID();
      await registryRepo.insertOfficer(tx, id, v.input);
      await recordChange(tx, { kind: 'registry.officer_created', agencyId: v.input.agencyId, subjectType: 'officer', subjectId: id, actorId: actor.kind === 'user' ? actor.id : null, data: { id, ...v.input } });
    }
    await audit(tx, req, { action: 'registry.import_officers', outcome: 'success', ...actorAudit(actor), detail: { rows: valid.length, filename } });
  });
  return { imported: valid.length };
}

export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const sheet = wb.addWorksheet(kind === 'agencies' ? '执法主体' : '执法人员');
  const columns = IMPORT_KINDS[kind];
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  sheet.addRow(columns.map((c) => c.example));
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.max(12, c.header.length * 2 + 4);
    if (c.values) sheet.getCell(1, i + 1).note = `可选值：${Object.keys(c.values).join('、')}`;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
