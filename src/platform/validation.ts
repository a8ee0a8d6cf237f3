// Shared field rules used by every domain's schemas.
import { z } from 'zod';
import { legalNow } from './clock.ts';

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
  page: z.coerce.number().int('页码必须是整数').min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(200, '每页最多 200 条').default(20),
};

// Made once: building an Intl.DateTimeFormat per call cost more than a case step's SQL.
const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Asia/Shanghai: legal dates and deadlines are counted there (DESIGN §7). */
export function todayInShanghai(now = legalNow()): string {
  return SHANGHAI_DATE.format(now);
}
