// Bulk import of the inspection object directory (R-D01) from XLSX or CSV: the whole file or nothing,
// every bad row named with its line, the same reader as the registry's imports.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, type FieldError } from '../platform/errors.ts';
import { unsafeTextErrors } from '../platform/validation.ts';
import { readSheet } from '../registry/import.ts';
import * as policy from './policy.ts';
import { ObjectInput } from './schema.ts';
import { agencyRef, insertObjects } from './service.ts';

export const MAX_OBJECT_ROWS = 50_000;

const COLUMNS = [
  { header: '统一社会信用代码', field: 'creditCode' },
  { header: '名称', field: 'name' },
  { header: '对象类型', field: 'kind', values: { 企业: 'enterprise', 个体工商户: 'individual', 产品: 'product', 项目: 'project', 场所: 'site', 其他: 'other' } as Record<string, string> },
  { header: '行政区划代码', field: 'regionCode' },
  { header: '领域标签', field: 'tags' },
  { header: '信用风险分类', field: 'creditClass' },
  { header: '分类日期', field: 'classSetOn' },
] as const;

/** The agency responsible for the imported objects is the one named in the request; the caller must manage it. */
export async function importObjects(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, file: Buffer, filename: string) {
  const agency = await agencyRef(ctx, agencyId);
  if (!policy.canRead(actor, agency)) throw new AppError('validation', { detail: '机关不存在。', errors: [{ field: 'agencyId', message: '机关不存在' }] });
  if (!policy.canManage(actor, agency)) await policy.refuse(ctx, req, actor, 'inspections.import', '只有本机关负责人或单位管理员可以导入检查对象名录。', agencyId);
  const sheet = await readSheet(file, filename);
  const index = new Map(sheet.headers.map((h, i) => [h.trim(), i]));
  const missing = COLUMNS.filter((c) => !index.has(c.header)).map((c) => c.header);
  if (missing.length) throw new AppError('import_invalid', { detail: `表头缺少列：${missing.join('、')}。`, errors: missing.map((m) => ({ field: '第1行', message: `缺少列「${m}」` })) });
  if (!sheet.rows.length) throw new AppError('import_invalid', { detail: '文件中没有数据行。', errors: [{ field: '第2行', message: '没有数据' }] });
  if (sheet.rows.length > MAX_OBJECT_ROWS) throw new AppError('payload_too_large', { detail: `一次最多导入 ${MAX_OBJECT_ROWS} 行。` });
  const errors: FieldError[] = [];
  const valid: ObjectInput[] = [];
  const seen = new Map<string, number>();
  const headerOf = (field: string) => COLUMNS.find((c) => c.field === field)?.header ?? field;
  for (const { line, cells } of sheet.rows) {
    const row: Record<string, unknown> = { agencyId };
    for (const c of COLUMNS) {
      const raw = (cells[index.get(c.header)!] ?? '').trim();
      if ('values' in c && raw) {
        const v = c.values[raw] ?? (Object.values(c.values).includes(raw) ? raw : undefined);
        if (!v) errors.push({ field: `第${line}行 ${c.header}`, message: `「${raw}」不是有效值，可选：${Object.keys(c.values).join('、')}` });
        row[c.field] = v ?? raw;
      } else if (c.field === 'tags') row.tags = raw ? raw.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean) : [];
      else if (raw || c.field !== 'kind') row[c.field] = raw;
    }
    const unsafe = unsafeTextErrors(row);
    for (const e of unsafe) errors.push({ field: `第${line}行 ${headerOf(e.field.split('.')[0]!)}`, message: e.message });
    const r = ObjectInput.safeParse(row);
    if (!r.success) {
      for (const i of r.error.issues) errors.push({ field: `第${line}行 ${headerOf(String(i.path[0] ?? ''))}`, message: i.message });
      continue;
    }
    if (!r.data.regionCode.startsWith(agency.region_code.replace(/0+$/, ''))) errors.push({ field: `第${line}行 行政区划代码`, message: '不在本机关辖区内' });
    if (seen.has(r.data.creditCode)) errors.push({ field: `第${line}行 统一社会信用代码`, message: `与第${seen.get(r.data.creditCode)}行重复` });
    seen.set(r.data.creditCode, line);
    if (!unsafe.length) valid.push(r.data);
  }
  const { rows: existing } = await ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM inspection_objects WHERE credit_code = ANY($1::text[])`, [valid.map((v) => v.creditCode)]);
  for (const e of existing) errors.push({ field: `第${seen.get(e.credit_code)}行 统一社会信用代码`, message: '已在名录库中' });
  if (errors.length) {
    errors.sort((a, b) => Number(/\d+/.exec(a.field)?.[0]) - Number(/\d+/.exec(b.field)?.[0]));
    throw new AppError('import_invalid', { detail: `发现 ${errors.length} 处错误，未导入任何数据。请修改后重新上传。`, errors: errors.slice(0, 1000) });
  }
  await ctx.db.transaction(async (tx) => {
    await insertObjects(tx, actor, valid);
    await audit(tx, req, { action: 'inspections.import_objects', outcome: 'success', ...actorAudit(actor), detail: { rows: valid.length, filename } });
  });
  return { imported: valid.length };
}
