// The laws and violations library: built-in (library.ts) plus what agencies import from the XLSX
// files they keep. Import is all or nothing: every bad row is named and nothing is written unless the
// whole file is valid (like src/registry/import.ts).
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, type FieldError } from '../platform/errors.ts';
import { unsafeTextErrors } from '../platform/validation.ts';
import { BASES, PROVISIONS, RANGE_KINDS, RANGE_KIND_LABELS, VIOLATIONS, citation, type Base, type Provision, type RangeKind, type Violation } from './library.ts';
import { BENCHMARKS } from './benchmarks.ts';
import * as repo from './store.ts';

const loadExcel = () => import('exceljs').then((m) => m.default);

function fromRow(r: repo.ImportedViolation): Violation {
  return { code: r.code, name: r.name, violated: r.violated, penalty: r.penalty, range: { kind: r.range_kind as RangeKind, min: r.range_min, max: r.range_max, base: (r.range_base as Base | null) ?? null }, keywords: r.keywords };
}

/** Built-in violations first; an imported row never replaces a built-in code (import refuses it). */
export async function allViolations(q: Queryable): Promise<Violation[]> {
  return [...VIOLATIONS, ...(await repo.importedViolations(q)).map(fromRow)];
}

export async function findViolation(q: Queryable, code: string): Promise<Violation | undefined> {
  return VIOLATIONS.find((v) => v.code === code) ?? (await allViolations(q)).find((v) => v.code === code);
}

export async function allProvisions(q: Queryable): Promise<Provision[]> {
  const imported = (await repo.importedProvisions(q)).map((r) => ({ id: r.id, law: r.law, article: r.article, paragraph: r.paragraph, item: r.item, text: r.text, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, amends: r.amends }));
  return [...PROVISIONS, ...imported];
}

/** GET /api/v1/assist/library: provisions and violations (with the benchmarks that govern each). */
export async function library(ctx: AppContext, q: string | undefined) {
  const hit = (...xs: string[]) => !q || xs.some((x) => x.includes(q));
  const violations = (await allViolations(ctx.db)).filter((v) => hit(v.code, v.name, v.violated, v.penalty)).map((v) => ({
    code: v.code, name: v.name, violated: v.violated, penalty: v.penalty, legalRange: v.range, rangeKindLabel: RANGE_KIND_LABELS[v.range.kind],
    benchmarks: BENCHMARKS.filter((b) => b.published && b.violationCode === v.code).map((b) => ({ id: b.id, issuer: b.issuer, version: b.version, effectiveFrom: b.effectiveFrom, effectiveTo: b.effectiveTo })),
  }));
  const provisions = (await allProvisions(ctx.db)).filter((p) => hit(p.law, p.text, citation(p))).map((p) => ({ ...p, citation: citation(p) }));
  return { violations, provisions };
}

const KIND_BY_LABEL = Object.fromEntries(RANGE_KINDS.map((k) => [RANGE_KIND_LABELS[k], k])) as Record<string, RangeKind>;

type Cells = Record<string, string>;

async function sheetRows(ws: import('exceljs').Worksheet): Promise<{ line: number; cells: Cells }[]> {
  const header: string[] = [];
  ws.getRow(1).eachCell((c, i) => (header[i] = String(c.text ?? '').trim()));
  const out: { line: number; cells: Cells }[] = [];
  ws.eachRow((row, line) => {
    if (line === 1) return;
    const cells: Cells = {};
    row.eachCell((c, i) => {
      if (header[i]) cells[header[i]!] = String(c.text ?? '').trim();
    });
    if (Object.values(cells).some((x) => x !== '')) out.push({ line, cells });
  });
  return out;
}

const num = (s: string | undefined) => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : null);
const isoDate = (s: string | undefined) => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/**
 * POST /api/v1/assist/library/import: an XLSX with a sheet 违法行为 (编码, 名称, 违则, 罚则, 幅度类型,
 * 下限, 上限, 倍数基数, 关键词) and optionally a sheet 法律条文 (编号, 法律名称, 条, 款, 项, 条文, 施行日期,
 * 失效日期). Agency administrators import for their agency.
 */
export async function importLibrary(ctx: AppContext, req: FastifyRequest | null, actor: Actor, buf: Buffer) {
  if (actor.kind !== 'user' || actor.role !== 'agency_admin') {
    await audit(ctx.db, req, { action: 'assist.library_import', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw new AppError('forbidden', { detail: '只有机关管理员可以导入法律法规库' });
  }
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('import_invalid', { detail: '无法读取文件：请上传 .xlsx 格式的文件', errors: [{ field: 'file', message: '不是有效的 XLSX 文件' }] });
  }
  const errors: FieldError[] = [];
  const vSheet = wb.getWorksheet('违法行为');
  const pSheet = wb.getWorksheet('法律条文');
  if (!vSheet && !pSheet) throw new AppError('import_invalid', { detail: '文件中没有“违法行为”或“法律条文”工作表', errors: [{ field: 'file', message: '缺少工作表' }] });
  const builtin = new Set(VIOLATIONS.map((v) => v.code));
  const seen = new Set<string>();
  const violations: Violation[] = [];
  for (const { line, cells: c } of vSheet ? await sheetRows(vSheet) : []) {
    const at = (m: string) => errors.push({ field: `违法行为.${line}`, message: m });
    const bad = unsafeTextErrors(c, `违法行为.${line}`);
    if (bad.length) {
      errors.push(...bad);
      continue;
    }
    const code = c['编码'] ?? '';
    const kind = KIND_BY_LABEL[c['幅度类型'] ?? ''];
    const min = kind === 'maxOnly' ? 0 : num(c['下限']);
    const max = kind === 'fixed' ? min : num(c['上限']);
    const base = (c['倍数基数'] || null) as Base | null;
    if (!/^[A-Za-z0-9-]{1,40}$/.test(code)) at('编码须为 1–40 位字母、数字或连字符');
    else if (builtin.has(code)) at(`编码 ${code} 与内置违法行为重复`);
    else if (seen.has(code)) at(`编码 ${code} 在文件中重复`);
    seen.add(code);
    for (const k of ['名称', '违则', '罚则'] as const) if (!c[k] || c[k]!.length > 500) at(`${k}不能为空且不超过 500 字`);
    if (!kind) at(`幅度类型须为${RANGE_KINDS.map((k) => RANGE_KIND_LABELS[k]).join('、')}之一`);
    else if (min === null || max === null || min < 0 || max < min) at('下限、上限须为数字，且 0 ≤ 下限 ≤ 上限');
    if (kind === 'multiple' && (!base || !BASES.includes(base))) at(`倍数处罚须填写倍数基数（${BASES.join('、')}）`);
    if (kind && kind !== 'multiple' && base) at('只有倍数处罚填写倍数基数');
    violations.push({ code, name: c['名称'] ?? '', violated: c['违则'] ?? '', penalty: c['罚则'] ?? '', range: { kind: kind ?? 'range', min: min ?? 0, max: max ?? 0, base: kind === 'multiple' ? base : null }, keywords: (c['关键词'] ?? '').split(/[、,，\s]+/).filter(Boolean).slice(0, 30) });
  }
  const provisions: Provision[] = [];
  const pids = new Set(PROVISIONS.map((p) => p.id));
  for (const { line, cells: c } of pSheet ? await sheetRows(pSheet) : []) {
    const at = (m: string) => errors.push({ field: `法律条文.${line}`, message: m });
    const bad = unsafeTextErrors(c, `法律条文.${line}`);
    if (bad.length) {
      errors.push(...bad);
      continue;
    }
    const id = c['编号'] ?? '';
    const article = num(c['条']);
    const paragraph = c['款'] ? num(c['款']) : null;
    const item = c['项'] ? num(c['项']) : null;
    if (!/^[A-Za-z0-9.-]{1,60}$/.test(id)) at('编号须为 1–60 位字母、数字、点或连字符');
    else if (pids.has(id)) at(`编号 ${id} 重复`);
    pids.add(id);
    if (!c['法律名称'] || c['法律名称'].length > 200) at('法律名称不能为空且不超过 200 字');
    if (!article || !Number.isInteger(article) || article < 1) at('条须为正整数');
    for (const [k, v] of [['款', paragraph], ['项', item]] as const) if (c[k] && (!v || !Number.isInteger(v) || v < 1)) at(`${k}须为正整数`);
    if (!c['条文'] || c['条文'].length > 5000) at('条文不能为空且不超过 5000 字');
    if (!isoDate(c['施行日期'])) at('施行日期格式为 YYYY-MM-DD');
    if (c['失效日期'] && !isoDate(c['失效日期'])) at('失效日期格式为 YYYY-MM-DD');
    provisions.push({ id, law: c['法律名称'] ?? '', article: article ?? 1, paragraph, item, text: c['条文'] ?? '', effectiveFrom: c['施行日期'] ?? '', effectiveTo: c['失效日期'] || null, amends: c['修改'] || null });
  }
  if (!violations.length && !provisions.length) errors.push({ field: 'file', message: '文件中没有数据行' });
  if (errors.length) throw new AppError('import_invalid', { detail: `共 ${errors.length} 处错误，未导入任何数据`, errors: errors.slice(0, 500) });
  await ctx.db.transaction(async (tx) => {
    const taken = new Set([...(await repo.importedViolations(tx)).map((v) => v.code), ...(await repo.importedProvisions(tx)).map((p) => p.id)]);
    const dup = [...violations.map((v) => v.code), ...provisions.map((p) => p.id)].filter((x) => taken.has(x));
    if (dup.length) throw new AppError('import_invalid', { detail: '编码已存在，未导入任何数据', errors: dup.map((d) => ({ field: 'file', message: `编码 ${d} 已在库中` })) });
    for (const v of violations) {
      await tx.query(
        `INSERT INTO assist_violations (code, agency_id, name, violated, penalty, range_kind, range_min, range_max, range_base, keywords) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
        [v.code, actor.agencyId, v.name, v.violated, v.penalty, v.range.kind, v.range.min, v.range.max, v.range.base, JSON.stringify(v.keywords)],
      );
    }
    for (const p of provisions) {
      await tx.query(
        `INSERT INTO assist_provisions (id, agency_id, law, article, paragraph, item, text, effective_from, effective_to, amends) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [p.id, actor.agencyId, p.law, p.article, p.paragraph, p.item, p.text, p.effectiveFrom, p.effectiveTo, p.amends],
      );
    }
    await recordChange(tx, { kind: 'assist.library_imported', agencyId: actor.agencyId, subjectType: 'agency', subjectId: actor.agencyId!, actorId: actor.id, data: { violations: violations.map((v) => v.code), provisions: provisions.map((p) => p.id) } });
  });
  return { violations: violations.length, provisions: provisions.length };
}
