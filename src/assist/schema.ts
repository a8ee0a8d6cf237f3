// Request shapes of the assistance domain (issue 13).
import { z } from 'zod';
import { uuid } from '../platform/validation.ts';
import { CIRCUMSTANCE_CODES, LEVELS } from './benchmarks.ts';

const text = (max: number) => z.string().trim().max(max);
const code = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, '违法行为编码为 1–40 位字母、数字或连字符');
const money = z.number().finite().min(0).max(1e12);

export const BenchmarkQuery = z.strictObject({ q: text(100).optional() });
export const BenchmarkParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/, '裁量基准编号格式不正确') });
export const LibraryQuery = z.strictObject({ q: text(100).optional() });

export const Suggestion = z.strictObject({
  code,
  rank: z.number().int().min(1).max(20),
  terms: z.array(text(40)).max(30),
});

export const DiscretionInput = z.strictObject({
  violationCode: code,
  circumstances: z.array(z.enum(CIRCUMSTANCE_CODES as [string, ...string[]])).max(20),
  level: z.enum(LEVELS),
  amount: money,
  baseAmount: money.nullable().optional(),
  mitigationGround: text(500).nullable().optional(),
  firstOffenseClaim: z.boolean().optional(),
  deviationReason: text(1000).nullable().optional(),
  factsText: text(5000).optional(),
  suggestion: Suggestion.nullable().optional(),
});
export type DiscretionInput = z.infer<typeof DiscretionInput>;

export const ProposeInput = z.strictObject({
  violationCode: code,
  circumstances: z.array(z.enum(CIRCUMSTANCE_CODES as [string, ...string[]])).max(20),
  baseAmount: money.nullable().optional(),
});

export const DeviationApproval = z.strictObject({
  mode: z.enum(['head', 'collective']),
  opinion: text(1000).min(1, '请填写审批意见'),
  on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD'),
});

export const SuggestInput = z.strictObject({ text: text(5000).min(1, '请描述违法事实') });
export const SimilarQuery = z.strictObject({ agencyId: uuid('机关编号').optional(), limit: z.coerce.number().int().min(1).max(50).optional() });
