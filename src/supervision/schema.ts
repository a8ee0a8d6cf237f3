// Supervision request schemas (issue 12): one per concept, shared by routes and OpenAPI.
import { z } from 'zod';
import { isoDate, uuid } from '../platform/validation.ts';
import { ALERT_KINDS } from './rules.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
export const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const AlertListQuery = z.object({
  kind: z.enum(ALERT_KINDS, '预警类型不正确').optional(),
  agency: uuid('机关编号').optional(),
  status: z.enum(['open', 'answered', 'resolved'], '状态应为 open、answered 或 resolved').optional(),
  cursor: z.string().max(200, '分页游标过长').regex(/^[A-Za-z0-9_-]+$/, '分页游标无效').optional(),
  limit: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});

export const IdParams = z.object({ id: uuid('编号') });
export const AnswerBody = z.object({ answer: required('答复内容', 2000) });
export const ResolveBody = z.object({ resolution: required('办结理由', 2000) });
export const RecomputeBody = z.object({ from: isoDate('起始日期') });
