// R-R10 (issue 16): retention periods from the AV list applied to what the archive keeps. Each AV record
// of a case is kept for the period of the AV-list entry its step ran under — the list version pinned on
// the step when it was done (case_steps.av_rule_set_id), not the one in force today — counted from the
// archive date. Fixed at archive (table case_av_retention with its ledger event), shown on the case file
// and carried in the archive package's manifest. Nothing is ever disposed of here: records stay
// append-only (R-R05); a record whose step the list does not cover has no period and is flagged.
import type { Queryable } from '../platform/db.ts';
import { ruleFor } from './av-rules.ts';
import type { ProcedureDefinition } from './procedures/index.ts';
import type { RecordRow } from './records-store.ts';
import * as rulesRepo from './rules-store.ts';
import { AV_KINDS, RECORD_KIND_LABELS, type AvRule, type RecordKind } from './schema.ts';
import type { StepRow } from './store.ts';

export interface AvRetention {
  recordId: string;
  title: string;
  kind: RecordKind;
  kindLabel: string;
  step: string;
  stepSeq: number | null;
  /** The AV-list entry (rule key) of the record's step; null when the list does not cover the step. */
  rule: string | null;
  /** The AV-list version the step ran under; null: no list was in force (the statutory default applied). */
  avList: { id: string; version: number } | null;
  period: string | null;
  /** Years from the archive date (0 = 永久). */
  years: number | null;
  method: string | null;
  /** Null before the case is archived. */
  archivedOn: string | null;
  /** The last day the record must be kept: archive date + years; null while not archived, for 永久, or with no period. */
  retainUntil: string | null;
  permanent: boolean;
  /** Why the record has no retention period (the supervisor's archive check flags it). */
  problem: string | null;
}

/** `on` plus whole years; 29 February falls back to 28 February in a common year. */
export function addYears(on: string, years: number): string {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const target = y + years;
  const last = new Date(Date.UTC(target, m, 0)).getUTCDate();
  return `${target}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The retention of every AV record of the case, from the AV-list versions its steps were done under. */
export async function computeAvRetention(
  q: Queryable,
  def: ProcedureDefinition,
  records: readonly RecordRow[],
  steps: readonly StepRow[],
  archivedOn: string | null,
): Promise<AvRetention[]> {
  const sets = new Map<string, rulesRepo.RuleSetRow<Record<string, AvRule>> | undefined>();
  const out: AvRetention[] = [];
  for (const r of records) {
    if (!AV_KINDS.includes(r.kind)) continue;
    const seq = r.claimed_seq ?? r.step_seq;
    const done = steps.find((s) => s.seq === seq);
    const av = def.steps.find((s) => s.key === r.step)?.av;
    const base = { recordId: r.id, title: r.title, kind: r.kind, kindLabel: RECORD_KIND_LABELS[r.kind], step: r.step, stepSeq: seq ?? null, archivedOn };
    if (!av) {
      out.push({ ...base, rule: null, avList: null, period: null, years: null, method: null, retainUntil: null, permanent: false, problem: '所属环节不在音像记录事项清单内，清单未规定保存期限' });
      continue;
    }
    const setId = done?.av_rule_set_id ?? null;
    if (setId && !sets.has(setId)) sets.set(setId, await rulesRepo.byId<Record<string, AvRule>>(q, 'av_rule_sets', setId));
    const set = setId ? sets.get(setId) : undefined;
    const { rule } = ruleFor(av.rule, av.minimum, set);
    const { period, years, method } = rule.retention;
    out.push({
      ...base, rule: av.rule, avList: set ? { id: set.id, version: set.version } : null, period, years, method,
      retainUntil: archivedOn && years > 0 ? addYears(archivedOn, years) : null, permanent: years === 0, problem: null,
    });
  }
  return out;
}

interface RetentionRow {
  record_id: string;
  rule: string | null;
  av_rule_set_id: string | null;
  av_rule_set_version: number | null;
  period: string | null;
  years: number | null;
  method: string | null;
  archived_on: string;
  retain_until: string | null;
}

/** R-R10: fixes the retention of the case's AV records at archive, inside the archive's transaction. */
export async function insertAvRetention(q: Queryable, caseId: string, items: readonly AvRetention[], eventId: number) {
  for (const x of items) {
    await q.query(
      `INSERT INTO case_av_retention (record_id, case_id, rule, av_rule_set_id, av_rule_set_version, period, years, method, archived_on, retain_until, event_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [x.recordId, caseId, x.rule, x.avList?.id ?? null, x.avList?.version ?? null, x.period, x.years, x.method, x.archivedOn, x.retainUntil, eventId],
    );
  }
}

/**
 * The case's AV records with their retention: as fixed at archive; for a case archived before the
 * retention was recorded, or not yet archived, computed the same way from the pinned list versions.
 */
export async function caseAvRetention(
  q: Queryable,
  def: ProcedureDefinition,
  records: readonly RecordRow[],
  steps: readonly StepRow[],
  archivedOn: string | null,
): Promise<AvRetention[]> {
  const computed = await computeAvRetention(q, def, records, steps, archivedOn);
  const ids = computed.map((x) => x.recordId);
  if (!ids.length) return computed;
  const fixed = new Map(
    (await q.query<RetentionRow>(
      `SELECT record_id, rule, av_rule_set_id, av_rule_set_version, period, years, method, archived_on::text AS archived_on, retain_until::text AS retain_until
         FROM case_av_retention WHERE record_id = ANY($1::uuid[])`,
      [ids],
    )).rows.map((r) => [r.record_id, r]),
  );
  return computed.map((x) => {
    const f = fixed.get(x.recordId);
    if (!f) return x;
    return {
      ...x, rule: f.rule, avList: f.av_rule_set_id ? { id: f.av_rule_set_id, version: Number(f.av_rule_set_version) } : null, period: f.period,
      years: f.years === null ? null : Number(f.years), method: f.method, archivedOn: f.archived_on, retainUntil: f.retain_until, permanent: f.years !== null && Number(f.years) === 0,
    };
  });
}
