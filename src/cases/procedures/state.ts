// The state of one case under one procedure: plain JSON, so the case service can keep it in a jsonb
// column and read it back through `ProcedureStateSchema`. Deadlines are not stored in it: they are
// computed from the clocks and the calendar when asked (clocks.ts), so an administrator's correction of
// the holiday calendar moves every running deadline at once. Persist `clockStatus(...)` beside it for
// list filters if needed.
import { z } from 'zod';
import { ROLES } from '../../platform/actor.ts';
import { isoDate } from '../../platform/validation.ts';
import { AV_LEVELS } from './schema.ts';

const factValue = z.union([z.boolean(), z.number().finite(), z.string()]);
const role = z.enum(ROLES);

export const OfficerRefSchema = z.strictObject({ id: z.string().min(1), name: z.string(), certificateNumber: z.string() });
export type OfficerRef = z.infer<typeof OfficerRefSchema>;

export const ApprovalSchema = z.strictObject({ by: z.string().min(1), name: z.string().default(''), role, on: isoDate('批准日期') });
export type Approval = z.infer<typeof ApprovalSchema>;

export const DocumentRecordSchema = z.strictObject({
  type: z.string().min(1),
  /** The documents module's id or number (文号) of the document. */
  ref: z.string().min(1),
  on: isoDate('文书日期'),
  /** The step record that produced it; null for one recorded outside a step (an extension notice, a party's letter). */
  seq: z.number().int().min(1).nullable(),
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

export const StepRecordSchema = z.strictObject({
  seq: z.number().int().min(1),
  step: z.string().min(1),
  on: isoDate('办理日期'),
  actor: z.strictObject({ id: z.string().min(1), role }),
  officers: z.array(OfficerRefSchema),
  approval: ApprovalSchema.nullable(),
  presidedBy: z.string().nullable(),
  facts: z.record(z.string(), factValue),
  documents: z.array(z.strictObject({ type: z.string(), ref: z.string() })),
  av: z.strictObject({ requirement: z.enum(AV_LEVELS), present: z.boolean() }).nullable(),
  /** Codes of the warnings it was allowed with (e.g. deadline_passed on a late decision). */
  warnings: z.array(z.string()),
  note: z.string().nullable(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const ClockStateSchema = z.strictObject({
  key: z.string().min(1),
  startedOn: isoDate('起算日'),
  startedBySeq: z.number().int().min(1),
  status: z.enum(['running', 'paused', 'stopped']),
  stoppedOn: isoDate('终止日').nullable(),
  stoppedBySeq: z.number().int().nullable(),
  /** step: a step ended it; restarted: the same clock was started again (e.g. a second prior notice). */
  stopReason: z.enum(['step', 'restarted']).nullable(),
  /** Days in (from, to] are not counted; `to` is null while paused. */
  pauses: z.array(z.strictObject({ from: isoDate('中止日'), to: isoDate('恢复日').nullable(), reason: z.string(), seq: z.number().int() })),
  extensions: z.array(
    z.strictObject({
      on: isoDate('延长日期'),
      days: z.number().int().min(1),
      approval: ApprovalSchema,
      reason: z.string().min(1),
      document: z.strictObject({ type: z.string(), ref: z.string() }).nullable(),
    }),
  ),
});
export type ClockState = z.infer<typeof ClockStateSchema>;

export const ProcedureStateSchema = z.strictObject({
  /** The definition version the case started with; it keeps it to the end (running cases are not migrated). */
  definition: z.strictObject({ id: z.string(), version: z.number().int().min(1) }),
  /** The matter's enforcement category and area, against which certificates are checked (R-P08). */
  matter: z.strictObject({ category: z.string().min(1), area: z.string().min(1) }),
  /** The last main step done; null before the first. */
  cursor: z.string().nullable(),
  finished: z.boolean(),
  steps: z.array(StepRecordSchema),
  documents: z.array(DocumentRecordSchema),
  facts: z.record(z.string(), factValue),
  clocks: z.array(ClockStateSchema),
});
export type ProcedureState = z.infer<typeof ProcedureStateSchema>;
