// Shared field rules used by every domain's schemas.
import { z } from 'zod';
import { legalNow } from './clock.ts';

// Messages a schema does not word itself (a number where text was expected, NaN, Infinity…) are
// shown to people too: Chinese, like every other message of the platform.
z.config(z.locales.zhCN());

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export const isoDate = (label = '日期') =>
  z
    .string({ error: `${label}必须是 YYYY-MM-DD 格式的日期` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}必须是 YYYY-MM-DD 格式`)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, `${label}不是有效日期`);

export const pageQuery = {
  // Bounded so that the offset stays a small integer whatever the caller sends (page=99999999999).
  page: z.coerce.number().int('页码必须是整数').min(1, '页码从 1 开始').max(100_000, '页码过大').default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(200, '每页最多 200 条').default(20),
};

// Made once: building an Intl.DateTimeFormat per call cost more than a case step's SQL.
const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Asia/Shanghai: legal dates and deadlines are counted there (DESIGN §7). */
export function todayInShanghai(now = legalNow()): string {
  return SHANGHAI_DATE.format(now);
}

/** A record id: refused here, before SQL casts it to uuid (a malformed id would be a 500, issue 15). */
export const uuid = (label = '编号') => z.uuid(`${label}格式不正确`);
/** For the few places that branch on "is this an id?" rather than refuse: the same rule as `uuid()`. */
export const isUuid = (s: string) => uuid().safeParse(s).success;

/** Deepest JSON nesting accepted anywhere; real bodies stay under ten levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Why a string cannot be accepted as text, or null when it can. Lone surrogates are not Unicode text
 * (PostgreSQL and UTF-8 cannot store them); NUL ends C strings and PostgreSQL refuses it in text and
 * jsonb. Either would reach the database as a 500.
 */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return '不能含有空字符（U+0000）';
  if (!s.isWellFormed()) return '含有不成对的代理字符（不是有效的 Unicode 文本）';
  return null;
}

/** A key shown in a field path: control and surrogate characters escaped so the path itself stays text. */
const showKey = (k: string) => k.replace(/[\u0000-\u001f\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Every text problem in a parsed value — strings, object keys (at any depth) and the nesting depth
 * itself — named by dotted field path under `prefix`. One rule for params, query, headers and JSON
 * bodies (issue 15): the first few problems are enough to show the caller what to fix.
 */
export function unsafeTextErrors(value: unknown, prefix = '', limit = 20): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  // One path stack for the whole walk, turned into a name only for a problem: bodies near the size
  // limit hold thousands of strings (bench/input.ts).
  const path: string[] = [];
  const name = () => [prefix, ...path].filter(Boolean).join('.') || '(根)';
  const walk = (v: unknown, depth: number): void => {
    if (out.length >= limit) return;
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) out.push({ field: name(), message: p });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= MAX_JSON_DEPTH) {
      out.push({ field: name(), message: `嵌套层数超过 ${MAX_JSON_DEPTH} 层` });
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(String(i));
        walk(v[i], depth + 1);
        path.pop();
      }
      return;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const kp = textProblem(k) ?? (k === '__proto__' ? '不允许的键名' : null);
      path.push(kp ? showKey(k) : k);
      if (kp) out.push({ field: name(), message: `键名${kp}` });
      else walk((v as Record<string, unknown>)[k], depth + 1);
      path.pop();
    }
  };
  walk(value, 0);
  return out;
}
